/**
 * Who a camp-only post cannot reach: people on other servers it mentions. The post form or the
 * post's page calls this to warn the author that those people will not see it.
 */
import type { Db } from "../../db/open.ts";
import { staysInCamp } from "../audience.ts";

/** `@user@domain` of every outside person a camp-only post mentions; empty for any other post. */
export async function unreachedMentions(db: Db, postId: number): Promise<string[]> {
  const post = await db.selectFrom("posts").select("audience").where("id", "=", postId).executeTakeFirst();
  if (!post || !staysInCamp(post.audience)) return [];
  const [known, pending] = await Promise.all([
    db.selectFrom("mentions").innerJoin("accounts", "accounts.id", "mentions.account_id").select(["accounts.handle", "accounts.domain"])
      .where("mentions.post_id", "=", postId).where("accounts.domain", "is not", null).execute(),
    db.selectFrom("pending_mentions").select("acct").where("post_id", "=", postId).execute(),
  ]);
  return [...new Set([...known.map((m) => `@${m.handle}@${m.domain}`), ...pending.map((p) => `@${p.acct}`)])].sort();
}

/** The warning an author sees, or null when everyone mentioned can see the post. */
export function unreachedWarning(names: string[]): string | null {
  if (!names.length) return null;
  return `This post is for the camp only, so ${names.join(", ")} will not see it. Choose another audience if you want them to.`;
}
