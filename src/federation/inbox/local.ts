/** Finding our own members and posts named by ActivityPub ids in incoming activities. */
import type { Db } from "../../db/open.ts";
import { localActorHandle, localPostId } from "../urls.ts";

/** The member behind one of our actor ids, if it names an active member. */
export async function memberByUri(db: Db, origin: string, uri: string | null) {
  const handle = uri ? localActorHandle(origin, uri) : null;
  if (!handle) return undefined;
  return db.selectFrom("accounts").innerJoin("members", "members.account_id", "accounts.id")
    .select(["accounts.id", "accounts.handle", "accounts.locked"])
    .where("accounts.domain", "is", null).where("accounts.suspended_at", "is", null)
    .where((eb) => eb(eb.fn("lower", ["accounts.handle"]), "=", handle.toLowerCase()))
    .executeTakeFirst();
}

/** A post named by id: ours (by its URL) or a stored remote one (by its uri). */
export async function postById(db: Db, origin: string, uri: string | null) {
  if (!uri) return undefined;
  const local = localPostId(origin, uri);
  const query = db.selectFrom("posts").innerJoin("accounts", "accounts.id", "posts.author_id")
    .select(["posts.id", "posts.author_id", "posts.audience", "posts.deleted_at", "posts.boost_of_id", "accounts.domain", "accounts.suspended_at"]);
  return local !== null
    ? query.where("posts.id", "=", local).where("accounts.domain", "is", null).executeTakeFirst()
    : query.where("posts.uri", "=", uri).executeTakeFirst();
}
