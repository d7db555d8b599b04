/**
 * For the federation module: the `@user@domain` mentions of a post that still wait for an account,
 * and tying one to the account WebFinger found. Resolving links the name in the post's HTML and
 * makes the mentioned account part of the post's audience; it records no event, since the
 * federation module calls it while preparing the post's own delivery.
 */
import type { Db } from "../../db/open.ts";
import { linkText, storeLinks } from "./links.ts";

/** The lower-case `user@domain` names of this post that no account is known for yet. */
export async function pendingRemoteMentions(db: Db, postId: number): Promise<string[]> {
  const rows = await db.selectFrom("pending_mentions").select("acct").where("post_id", "=", postId).orderBy("acct").execute();
  return rows.map((r) => r.acct);
}

/**
 * Call after storing the remote account (accounts row with handle, domain and url or uri): re-links
 * every pending mention of the post, so all names with a known account become mentions.
 */
export async function resolveRemoteMentions(db: Db, postId: number, localDomain: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const post = await trx.selectFrom("posts").select(["source", "in_reply_to_id"]).where("id", "=", postId).executeTakeFirst();
    if (!post) return;
    const linked = await linkText(trx, post.source, localDomain);
    const kept = await trx.selectFrom("mentions").select("account_id").where("post_id", "=", postId).execute();
    await storeLinks(trx, postId, linked, kept.map((m) => m.account_id));
    await trx.updateTable("posts").set({ html: linked.html }).where("id", "=", postId).execute();
  });
}
