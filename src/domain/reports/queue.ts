/**
 * The report queue the operator and the moderators share: reports from members and from other
 * servers, each with the reported posts as stored (already sanitized), resolving a report, and
 * removing a post a report names (a moderation delete: the post is gone for everyone here).
 */
import type { Db } from "../../db/open.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { removePost } from "../posts/delete.ts";
import { type Actor, logAction } from "../moderation/auditLog.ts";

export interface PersonRef {
  id: number;
  /** `handle` for members, `handle@domain` for people elsewhere. */
  acct: string;
  local: boolean;
}

export interface ReportedPost {
  id: number;
  html: string;
  contentWarning: string;
  author: string;
  removed: boolean;
}

export interface OpenReport {
  id: number;
  reporter: PersonRef | null;
  target: PersonRef | null;
  comment: string;
  createdAt: number;
  posts: ReportedPost[];
}

const acctOf = (handle: string, domain: string | null) => (domain ? `${handle}@${domain}` : handle);

const refOf = (id: number | null, handle: string | null, domain: string | null): PersonRef | null =>
  id !== null && handle !== null ? { id, acct: acctOf(handle, domain), local: domain === null } : null;

const postIdsOf = (json: string): number[] => {
  const ids: unknown = JSON.parse(json);
  return Array.isArray(ids) ? ids.filter((id): id is number => Number.isSafeInteger(id)) : [];
};

/** How many reports wait for a moderator, for the navigation. */
export async function openReportCount(db: Db): Promise<number> {
  const row = await db.selectFrom("reports").select((eb) => eb.fn.countAll<number>().as("n")).where("resolved_at", "is", null).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Open reports, newest first, with who reported whom and the posts they name. */
export async function openReports(db: Db): Promise<OpenReport[]> {
  const rows = await db.selectFrom("reports")
    .leftJoin("accounts as reporter", "reporter.id", "reports.reporter_id")
    .leftJoin("accounts as target", "target.id", "reports.target_id")
    .select(["reports.id", "reports.comment", "reports.post_ids", "reports.created_at",
      "reporter.id as reporter_id", "reporter.handle as reporter_handle", "reporter.domain as reporter_domain",
      "target.id as target_id", "target.handle as target_handle", "target.domain as target_domain"])
    .where("reports.resolved_at", "is", null).orderBy("reports.id", "desc").execute();
  const ids = [...new Set(rows.flatMap((r) => postIdsOf(r.post_ids)))];
  const posts = ids.length === 0 ? [] : await db.selectFrom("posts").innerJoin("accounts", "accounts.id", "posts.author_id")
    .select(["posts.id", "posts.html", "posts.content_warning", "posts.deleted_at", "accounts.handle", "accounts.domain"])
    .where("posts.id", "in", ids).execute();
  const byId = new Map(posts.map((p) => [p.id, {
    id: p.id, html: p.html, contentWarning: p.content_warning, author: acctOf(p.handle, p.domain), removed: p.deleted_at !== null,
  }]));
  return rows.map((r) => ({
    id: r.id,
    reporter: refOf(r.reporter_id, r.reporter_handle, r.reporter_domain),
    target: refOf(r.target_id, r.target_handle, r.target_domain),
    comment: r.comment,
    createdAt: r.created_at,
    posts: postIdsOf(r.post_ids).flatMap((id) => byId.get(id) ?? []),
  }));
}

/** Marks an open report as dealt with, with the moderator's note, and logs it. */
export async function resolveReport(db: Db, id: number, actor: Actor, note = ""): Promise<void> {
  const text = note.trim();
  await db.transaction().execute(async (trx) => {
    const result = await trx.updateTable("reports").set({ resolved_at: now(), resolved_by: actor.id, resolution_note: text })
      .where("id", "=", id).where("resolved_at", "is", null).executeTakeFirst();
    if (result.numUpdatedRows === 0n) refuse("not_found", "That report does not exist or is already resolved.");
    await logAction(trx, actor, { action: "report.resolved", reportId: id, note: text });
  });
}

/**
 * Removes a post an open report names, through the same soft delete as the author's own (so
 * post.deleted follows); a post from another server is hidden here only. Only posts named by a
 * report can be removed this way. The report, and any other open report left with nothing but
 * removed posts, is resolved in the same transaction with a note saying so.
 */
export async function removeReportedPost(db: Db, reportId: number, postId: number, actor: Actor): Promise<void> {
  const report = await db.selectFrom("reports").select("post_ids").where("id", "=", reportId).where("resolved_at", "is", null).executeTakeFirst();
  if (!report || !postIdsOf(report.post_ids).includes(postId)) refuse("not_found", "That report is resolved or does not name this post.");
  const post = await db.selectFrom("posts").innerJoin("accounts", "accounts.id", "posts.author_id")
    .select(["posts.deleted_at", "posts.author_id", "accounts.handle", "accounts.domain"]).where("posts.id", "=", postId).executeTakeFirst();
  if (!post || post.deleted_at !== null) refuse("gone", "That post is already removed.");
  const note = `The reported post by @${acctOf(post!.handle, post!.domain)} was removed.`;
  await db.transaction().execute(async (trx) => {
    await removePost(trx, postId);
    await logAction(trx, actor, { action: "report.post_removed", reportId, postId, targetAccountId: post!.author_id, note });
    for (const open of await reportsLeftWithoutPosts(trx)) {
      await trx.updateTable("reports").set({ resolved_at: now(), resolved_by: actor.id, resolution_note: note }).where("id", "=", open).execute();
      await logAction(trx, actor, { action: "report.resolved", reportId: open, note });
    }
  });
}

/** Open reports that name posts, every one of which is now removed. */
async function reportsLeftWithoutPosts(db: Db): Promise<number[]> {
  const open = await db.selectFrom("reports").select(["id", "post_ids"]).where("resolved_at", "is", null).where("post_ids", "!=", "[]").execute();
  const ids = [...new Set(open.flatMap((r) => postIdsOf(r.post_ids)))];
  if (ids.length === 0) return [];
  const live = new Set((await db.selectFrom("posts").select("id").where("id", "in", ids).where("deleted_at", "is", null).execute()).map((p) => p.id));
  return open.filter((r) => postIdsOf(r.post_ids).length > 0 && postIdsOf(r.post_ids).every((id) => !live.has(id))).map((r) => r.id);
}
