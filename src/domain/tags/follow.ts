/**
 * Following tags: a member follows a tag, and its public and camp posts they may see join their
 * Home (see followedTagIdsQuery). Private to the member; nothing federates.
 */
import { compiledOnce } from "../../db/compiledOnce.ts";
import type { Db } from "../../db/open.ts";
import { visibleTo, TAG_FOLLOW_AUDIENCES, type Viewer } from "../audience.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { notFilteredFor } from "../filters/streamFilter.ts";
import { MAX_TAG_LENGTH, normalizeTag } from "../text/references.ts";

export const MAX_FOLLOWED_TAGS = 100;

/** The tag as stored (without #, normalized), or null when it is not a tag. */
export function tagNamed(raw: string): string | null {
  const tag = normalizeTag(raw.replace(/^#/, ""));
  return /^[\p{L}\p{N}_]+$/u.test(tag) && tag.length <= MAX_TAG_LENGTH ? tag : null;
}

function checkTag(raw: string): string {
  return tagNamed(raw) ?? refuse("invalid", "That is not a tag: letters, digits and _ only, like cooking.", "tag");
}

/** Follows a tag; following it again changes nothing. Returns the tag as stored. */
export async function followTag(db: Db, accountId: number, raw: string): Promise<string> {
  const tag = checkTag(raw);
  const count = await db.selectFrom("followed_tags").select((eb) => eb.fn.countAll<number>().as("n")).where("account_id", "=", accountId).executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_FOLLOWED_TAGS) refuse("invalid", `You follow ${MAX_FOLLOWED_TAGS} tags already; unfollow one first.`, "tag");
  await db.insertInto("followed_tags").values({ account_id: accountId, tag, created_at: now() }).onConflict((oc) => oc.doNothing()).execute();
  return tag;
}

/** Stops following a tag. */
export async function unfollowTag(db: Db, accountId: number, raw: string): Promise<void> {
  await db.deleteFrom("followed_tags").where("account_id", "=", accountId).where("tag", "=", checkTag(raw)).execute();
}

/** The tags a member follows, in name order. */
export async function followedTags(db: Db, accountId: number): Promise<string[]> {
  return (await db.selectFrom("followed_tags").select("tag").where("account_id", "=", accountId).orderBy("tag").execute()).map((r) => r.tag);
}

/** Whether the member follows this (normalized) tag. */
export async function followsTag(db: Db, accountId: number, tag: string): Promise<boolean> {
  return (await db.selectFrom("followed_tags").select("tag").where("account_id", "=", accountId).where("tag", "=", tag).executeTakeFirst()) !== undefined;
}

/** Whether the member follows any tag (Home reads its second source only then). */
export async function followsAnyTag(db: Db, accountId: number): Promise<boolean> {
  return (await anyFollowedTag(db, {}, { accountId })).length > 0;
}

/** Asked on every Home page: built once (see compiledOnce). */
const anyFollowedTag = compiledOnce((db: Db, _shape: object, v: { accountId: number }) => db.selectFrom("followed_tags")
  .select("tag").where("account_id", "=", v.accountId).limit(1));

/**
 * Home's second source, for one window of post ids [lower, upper): posts carrying a tag the member
 * follows, of the audiences tag followers get, that the member may see, minus their filters. Walks
 * each followed tag's index within the window; never the posts table.
 */
export function followedTagIdsQuery(db: Db, memberId: number, upper: number, lower: number, limit: number) {
  const viewer: Viewer = { kind: "member", accountId: memberId };
  return db.selectFrom("post_tags")
    .crossJoin("posts")
    .whereRef("posts.id", "=", "post_tags.post_id")
    .innerJoin("accounts as authors", "authors.id", "posts.author_id")
    .select("posts.id")
    .distinct()
    .where("post_tags.tag", "in", (eb) => eb.selectFrom("followed_tags").select("tag").where("account_id", "=", memberId))
    .where("post_tags.post_id", "<", upper)
    .where("post_tags.post_id", ">=", lower)
    .where("posts.audience", "in", [...TAG_FOLLOW_AUDIENCES])
    .where(visibleTo(viewer))
    .where(notFilteredFor(memberId))
    .orderBy("posts.id", "desc")
    .limit(limit + 1);
}
