/** Who follows an account and whom it follows (accepted follows only), for the lists on profiles. */
import { compiledOnce } from "../../db/compiledOnce.ts";
import type { Db } from "../../db/open.ts";
import { loadAuthors, type AuthorView } from "../posts/present.ts";

async function accountsIn(db: Db, ids: number[]): Promise<AuthorView[]> {
  const authors = await loadAuthors(db, ids);
  return ids.flatMap((id) => authors.get(id) ?? []);
}

/**
 * Accepted follows between accounts that are not suspended. Suspended accounts are found through
 * their own small index (migration 015), so counting reads no account rows, only follows' indexes.
 */
function live(db: Db) {
  const suspended = db.selectFrom("accounts").select("id").where("suspended_at", "is not", null);
  return db.selectFrom("follows")
    .where("follows.state", "=", "accepted")
    .where("follows.follower_id", "not in", suspended)
    .where("follows.followee_id", "not in", suspended);
}

export async function followersOf(db: Db, accountId: number): Promise<AuthorView[]> {
  const rows = await live(db).select("follows.follower_id as id").where("follows.followee_id", "=", accountId).orderBy("follows.id", "desc").execute();
  return accountsIn(db, rows.map((r) => r.id));
}

export async function followingOf(db: Db, accountId: number): Promise<AuthorView[]> {
  const rows = await live(db).select("follows.followee_id as id").where("follows.follower_id", "=", accountId).orderBy("follows.id", "desc").execute();
  return accountsIn(db, rows.map((r) => r.id));
}

/** How many follow the account and how many it follows. */
export async function followCounts(db: Db, accountId: number): Promise<{ followers: number; following: number }> {
  const [[followers], [following]] = await Promise.all([
    countFollows(db, { side: "followee_id" }, { accountId }),
    countFollows(db, { side: "follower_id" }, { accountId }),
  ]);
  return { followers: Number(followers!.n), following: Number(following!.n) };
}

/** Asked on every profile page: built once per side (see compiledOnce). */
const countFollows = compiledOnce((db: Db, shape: { side: "followee_id" | "follower_id" }, v: { accountId: number }) => live(db)
  .select((eb) => eb.fn.countAll<number>().as("n")).where(`follows.${shape.side}`, "=", v.accountId));
