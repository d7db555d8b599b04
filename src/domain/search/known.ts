/**
 * A search for `@user@host` or a URL names one account or post rather than words. What the camp
 * already knows is answered from the database; anything else the page offers to look up on the
 * other server (the federation module does that, through the guarded fetch).
 */
import type { Db } from "../../db/open.ts";
import type { Viewer } from "../audience.ts";
import { findVisiblePost } from "../posts/visibility.ts";

const ACCT = /^@?([^@\s/]+)@([a-z0-9.-]+(?::\d{1,5})?)$/i;
const URL_START = /^https?:\/\//i;

export type Reference = { kind: "acct"; user: string; host: string } | { kind: "url"; url: string };

/** Whether the query is a handle on a server or an address, rather than words to search for. */
export function referenceIn(query: string): Reference | null {
  const input = query.trim();
  const acct = ACCT.exec(input);
  if (acct) return { kind: "acct", user: acct[1]!, host: acct[2]!.toLowerCase() };
  if (URL_START.test(input) && !/\s/.test(input)) return { kind: "url", url: input };
  return null;
}

/** Where a reference already leads here: a member's or remote profile, or a post the viewer may see. */
export async function knownReference(db: Db, viewer: Viewer, ref: Reference, localHost: string): Promise<{ href: string; label: string } | null> {
  if (ref.kind === "acct") {
    const local = ref.host === localHost.toLowerCase();
    const account = await db.selectFrom("accounts").select(["id", "handle"])
      .where((eb) => eb(eb.fn("lower", ["handle"]), "=", ref.user.toLowerCase()))
      .where((eb) => (local ? eb("domain", "is", null) : eb("domain", "=", ref.host)))
      .where("suspended_at", "is", null).where("deleted_at", "is", null)
      .executeTakeFirst();
    if (!account) return null;
    return { href: local ? `/@${account.handle}` : `/remote/${account.id}`, label: `@${account.handle}@${ref.host}` };
  }
  const post = await db.selectFrom("posts").select("id").where((eb) => eb.or([eb("uri", "=", ref.url), eb("url", "=", ref.url)])).executeTakeFirst();
  if (post && (await findVisiblePost(db, viewer, post.id))) return { href: `/posts/${post.id}`, label: "Open the post" };
  const account = await db.selectFrom("accounts").select(["id", "handle", "domain"])
    .where((eb) => eb.or([eb("uri", "=", ref.url), eb("url", "=", ref.url)]))
    .where("domain", "is not", null).where("suspended_at", "is", null).where("deleted_at", "is", null)
    .executeTakeFirst();
  return account ? { href: `/remote/${account.id}`, label: `@${account.handle}@${account.domain}` } : null;
}
