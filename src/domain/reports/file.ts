/**
 * Members reporting a post or an account to the camp's moderators. A post is reported only
 * when the reporter may see it (the audience gate), never one's own; a report about someone on
 * another server may also go to that server, but only when the gate lets everything it names out.
 */
import type { Db } from "../../db/open.ts";
import type { Post } from "../../db/schema.ts";
import { recordEvent } from "../../jobs/events.ts";
import { mayLeaveServer } from "../audience.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { findVisiblePost, viewerOf } from "../posts/visibility.ts";

export const REPORTS_PER_HOUR = 20;
export const MAX_REPORT_COMMENT = 1000;
const HOUR_MS = 60 * 60 * 1000;

/** What a report is about: an account, and maybe one of its posts. */
export interface ReportSubject {
  account: { id: number; handle: string; domain: string | null; displayName: string };
  post: Post | null;
  /** The account is on another server and the gate lets the post (if any) leave. */
  forwardable: boolean;
}

const NOT_FOUND = "That does not exist, was deleted, or is not visible to you.";

async function accountOf(db: Db, id: number) {
  return db.selectFrom("accounts").select(["id", "handle", "domain", "display_name", "kind", "suspended_at", "deleted_at"])
    .where("id", "=", id).executeTakeFirst();
}

/** A post the reporter may see and did not write, with its author, or a refusal. */
export async function postSubject(db: Db, reporterId: number, postId: number): Promise<ReportSubject> {
  const post = await findVisiblePost(db, viewerOf({ id: reporterId }), postId);
  if (!post || post.boost_of_id !== null) return refuse("not_found", NOT_FOUND);
  if (post.author_id === reporterId) return refuse("forbidden", "You cannot report your own post; edit or delete it instead.");
  const author = await accountOf(db, post.author_id);
  if (!author) return refuse("not_found", NOT_FOUND);
  return {
    account: { id: author.id, handle: author.handle, domain: author.domain, displayName: author.display_name },
    post,
    forwardable: author.domain !== null && mayLeaveServer(post, author),
  };
}

/** A person (a member or someone on another server) the reporter may report, or a refusal. */
export async function accountSubject(db: Db, reporterId: number, accountId: number): Promise<ReportSubject> {
  const account = await accountOf(db, accountId);
  // The instance actor is the camp itself, and hidden accounts are not there to report.
  if (!account || account.kind === "Application" || account.suspended_at !== null || account.deleted_at !== null) return refuse("not_found", NOT_FOUND);
  if (account.id === reporterId) return refuse("forbidden", "You cannot report yourself.");
  return {
    account: { id: account.id, handle: account.handle, domain: account.domain, displayName: account.display_name },
    post: null,
    forwardable: account.domain !== null,
  };
}

/**
 * Stores the report for the moderators and, when asked and allowed, records report.forwarded
 * in the same transaction. At most REPORTS_PER_HOUR per member.
 */
export async function fileReport(db: Db, reporterId: number, subject: ReportSubject, input: { comment: string; forward: boolean }): Promise<number> {
  const comment = input.comment.trim();
  if ([...comment].length > MAX_REPORT_COMMENT) refuse("invalid", `Please keep the comment under ${MAX_REPORT_COMMENT} characters.`, "comment");
  return db.transaction().execute(async (trx) => {
    const recent = await trx.selectFrom("reports").select((eb) => eb.fn.countAll<number>().as("n"))
      .where("reporter_id", "=", reporterId).where("created_at", ">", now() - HOUR_MS).executeTakeFirstOrThrow();
    if (Number(recent.n) >= REPORTS_PER_HOUR) refuse("too_many", `You have sent ${REPORTS_PER_HOUR} reports in the last hour; please wait a while before sending more.`);
    const row = await trx.insertInto("reports").values({
      reporter_id: reporterId, target_id: subject.account.id, post_ids: JSON.stringify(subject.post ? [subject.post.id] : []), comment, created_at: now(),
    }).returning("id").executeTakeFirstOrThrow();
    if (input.forward && subject.forwardable) await recordEvent(trx, { type: "report.forwarded", reportId: row.id });
    return row.id;
  });
}
