/** Who follows an account and whom it follows (accepted follows only), for the lists on profiles. */
import type { Db } from "../../db/open.ts";
import { loadAuthors, type AuthorView } from "../posts/present.ts";

async function accountsIn(db: Db, ids: number[]): Promise<AuthorView[]> {
  const authors = await loadAuthors(db, ids);
  return ids.flatMap((id) => authors.get(id) ?? []);
}

function live(db: Db) {
  return db.selectFrom("follows").innerJoin("accounts", "accounts.id", "follows.follower_id")
    .innerJoin("accounts as followees", "followees.id", "follows.followee_id")
    .where("follows.state", "=", "accepted")
    .where("accounts.suspended_at", "is", null)
    .where("followees.suspended_at", "is", null);
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
  const [followers, following] = await Promise.all([
    live(db).select((eb) => eb.fn.countAll<number>().as("n")).where("follows.followee_id", "=", accountId).executeTakeFirstOrThrow(),
    live(db).select((eb) => eb.fn.countAll<number>().as("n")).where("follows.follower_id", "=", accountId).executeTakeFirstOrThrow(),
  ]);
  return { followers: Number(followers.n), following: Number(following.n) };
}
