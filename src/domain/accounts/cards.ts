/**
 * What an app shows about accounts (members and people elsewhere): the profile fields for a page of
 * accounts in one query, and the counts for one profile. Suspended and deleted accounts are not found.
 */
import { sql } from "kysely";
import type { Db } from "../../db/open.ts";
import { visibleTo, type Viewer } from "../audience.ts";

export interface AccountCard {
  id: number;
  handle: string;
  domain: string | null;
  displayName: string;
  bioHtml: string;
  bioSource: string;
  /** A path on this camp for members' uploads, an absolute URL for others, or null. */
  avatar: string | null;
  locked: boolean;
  bot: boolean;
  uri: string | null;
  url: string | null;
  createdAt: number;
}

/** The cards of these accounts that are live, by id. */
export async function accountCards(db: Db, ids: number[]): Promise<Map<number, AccountCard>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom("accounts")
    .leftJoin("media", "media.id", "accounts.avatar_media_id")
    .select(["accounts.id", "accounts.handle", "accounts.domain", "accounts.display_name", "accounts.bio_html", "accounts.bio_source",
      "accounts.avatar_url", "accounts.locked", "accounts.kind", "accounts.uri", "accounts.url", "accounts.created_at", "media.storage_key"])
    .where("accounts.id", "in", [...new Set(ids)])
    .where("accounts.suspended_at", "is", null)
    .where("accounts.deleted_at", "is", null)
    .execute();
  return new Map(rows.map((a) => [a.id, {
    id: a.id, handle: a.handle, domain: a.domain, displayName: a.display_name || a.handle, bioHtml: a.bio_html, bioSource: a.bio_source,
    avatar: a.storage_key ? `/media/${a.storage_key}` : a.domain === null ? null : a.avatar_url,
    locked: a.locked === 1, bot: a.kind === "Service" || a.kind === "Application",
    uri: a.uri, url: a.url, createdAt: a.created_at,
  }]));
}

export interface AccountCounts {
  followers: number;
  following: number;
  /** Posts and boosts of the account that the viewer may see. */
  statuses: number;
  lastStatusAt: number | null;
}

/** Follower, following and post counts of one account, as the viewer may see its posts. */
export async function accountCounts(db: Db, viewer: Viewer, accountId: number): Promise<AccountCounts> {
  const live = (side: "follower_id" | "followee_id", other: "follower_id" | "followee_id") =>
    db.selectFrom("follows").innerJoin("accounts", "accounts.id", `follows.${other}`)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where(`follows.${side}`, "=", accountId).where("follows.state", "=", "accepted").where("accounts.suspended_at", "is", null)
      .executeTakeFirstOrThrow();
  const [followers, following, posts] = await Promise.all([
    live("followee_id", "follower_id"),
    live("follower_id", "followee_id"),
    db.selectFrom("posts").innerJoin("accounts as authors", "authors.id", "posts.author_id")
      .select([sql<number>`count(*)`.as("n"), sql<number | null>`max(posts.created_at)`.as("last")])
      .where("posts.author_id", "=", accountId).where(visibleTo(viewer)).executeTakeFirstOrThrow(),
  ]);
  return { followers: Number(followers.n), following: Number(following.n), statuses: Number(posts.n), lastStatusAt: posts.last === null ? null : Number(posts.last) };
}

/** A live account by `handle` (a member) or `handle@domain` (someone elsewhere we know of). */
export async function findAccountByAcct(db: Db, acct: string, ownDomain: string): Promise<number | null> {
  const [handle, domain] = acct.replace(/^@/, "").split("@");
  if (!handle) return null;
  const local = !domain || domain.toLowerCase() === ownDomain.toLowerCase();
  const row = await db.selectFrom("accounts").select("id")
    .where((eb) => eb(eb.fn("lower", ["handle"]), "=", handle.toLowerCase()))
    .where((eb) => (local ? eb("domain", "is", null) : eb("domain", "=", domain!.toLowerCase())))
    .where("suspended_at", "is", null).where("deleted_at", "is", null)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Accounts whose handle or name starts with the query: members first, then people elsewhere we know. */
export async function searchAccounts(db: Db, query: string, limit: number): Promise<number[]> {
  const q = query.replace(/^@/, "").toLowerCase();
  const [handle, domain] = q.split("@");
  if (!handle) return [];
  const pattern = `${handle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  let search = db.selectFrom("accounts").select("id")
    .where((eb) => eb.or([
      sql<boolean>`lower(handle) like ${pattern} escape '\\'`,
      sql<boolean>`lower(display_name) like ${pattern} escape '\\'`,
    ]))
    .where("suspended_at", "is", null).where("deleted_at", "is", null).where("kind", "!=", "Application");
  if (domain) search = search.where("domain", "like", `${domain}%`);
  const rows = await search.orderBy(sql`domain is not null`).orderBy("handle").limit(limit).execute();
  return rows.map((r) => r.id);
}
