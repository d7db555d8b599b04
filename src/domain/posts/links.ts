/**
 * A post's mentions and tags, kept in step with its source: looked up, stored, and linked in the
 * rendered HTML. `@user@domain` names we do not know yet wait in pending_mentions for federation.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { now } from "../clock.ts";
import { renderPostHtml, type MentionLinks } from "../text/postText.ts";
import { findReferences } from "../text/references.ts";

export interface LinkedText {
  html: string;
  /** Accounts mentioned (local members and known remote accounts). */
  mentionedIds: number[];
  /** `user@domain` names not yet tied to an account. */
  pending: string[];
  tags: string[];
}

const remoteProfileUrl = (a: { url: string | null; uri: string | null }) => a.url ?? a.uri;

/** Looks up everyone the source mentions and renders it with their links. */
export async function linkText(db: Kysely<Database>, source: string, localDomain: string): Promise<LinkedText> {
  const refs = findReferences(source, localDomain);
  const links: MentionLinks = { local: new Map(), remote: new Map() };
  const mentionedIds: number[] = [];
  if (refs.localHandles.length > 0) {
    const members = await db
      .selectFrom("accounts")
      .innerJoin("members", "members.account_id", "accounts.id")
      .select(["accounts.id", "accounts.handle"])
      .where("accounts.domain", "is", null)
      .where("accounts.suspended_at", "is", null)
      .where((eb) => eb(eb.fn("lower", ["accounts.handle"]), "in", refs.localHandles.map((h) => h.toLowerCase())))
      .execute();
    for (const m of members) {
      links.local.set(m.handle.toLowerCase(), `/@${m.handle}`);
      mentionedIds.push(m.id);
    }
  }
  const pending: string[] = [];
  for (const acct of refs.remote) {
    const [user, domain] = [acct.slice(0, acct.indexOf("@")), acct.slice(acct.indexOf("@") + 1)];
    const account = await db
      .selectFrom("accounts")
      .select(["id", "url", "uri"])
      .where((eb) => eb(eb.fn("lower", ["handle"]), "=", user))
      .where("domain", "=", domain)
      .where("suspended_at", "is", null)
      .executeTakeFirst();
    const url = account && remoteProfileUrl(account);
    if (account && url) {
      links.remote.set(acct, url);
      mentionedIds.push(account.id);
    } else {
      pending.push(acct);
    }
  }
  return { html: renderPostHtml(source, links, localDomain), mentionedIds, pending, tags: refs.tags };
}

/** Replaces the stored mentions, pending mentions and tags of a post; returns who is newly mentioned. */
export async function storeLinks(trx: Kysely<Database>, postId: number, linked: LinkedText, alsoMentioned: number[] = []): Promise<number[]> {
  const before = new Set((await trx.selectFrom("mentions").select("account_id").where("post_id", "=", postId).execute()).map((r) => r.account_id));
  const mentioned = [...new Set([...linked.mentionedIds, ...alsoMentioned])];
  await trx.deleteFrom("mentions").where("post_id", "=", postId).execute();
  await trx.deleteFrom("pending_mentions").where("post_id", "=", postId).execute();
  await trx.deleteFrom("post_tags").where("post_id", "=", postId).execute();
  if (mentioned.length) await trx.insertInto("mentions").values(mentioned.map((account_id) => ({ post_id: postId, account_id }))).execute();
  if (linked.pending.length) {
    const at = now();
    await trx.insertInto("pending_mentions").values(linked.pending.map((acct) => ({ post_id: postId, acct, created_at: at }))).execute();
  }
  if (linked.tags.length) await trx.insertInto("post_tags").values(linked.tags.map((tag) => ({ post_id: postId, tag }))).execute();
  return linked.mentionedIds.filter((id) => !before.has(id));
}
