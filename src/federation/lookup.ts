/**
 * Finding an account on another server from what a member pastes: `@user@host`, `user@host`,
 * or a profile or actor URL. Handles go through WebFinger (RFC 7033); everything through the
 * guarded client.
 */
import type { Deps } from "../web/env.ts";
import { fetchDocument, resolveActor } from "./fetchRemote.ts";
import { FetchRefused, safeFetch } from "./safeFetch.ts";
import { ACTIVITY_JSON } from "./vocab/context.ts";
import { idOf, isObject, text, typeOf } from "./vocab/read.ts";
import { parsePost, POST_TYPES } from "./vocab/parseNote.ts";
import { hostOf } from "./urls.ts";
import { storeRemotePost } from "../domain/remote/posts.ts";
import { mayListPublicly } from "../domain/audience.ts";

const ACCT = /^@?([^@\s/]+)@([a-z0-9.-]+(?::\d{1,5})?)$/i;

/** The stored account id for what the member typed, or FetchRefused with a reason they can read. */
export async function lookupAccount(deps: Deps, query: string): Promise<number> {
  const input = query.trim();
  const acct = ACCT.exec(input.replace(/^acct:/i, ""));
  if (acct) return resolveActor(deps, await webFinger(deps, acct[1]!, acct[2]!.toLowerCase()));
  if (/^https?:\/\//i.test(input)) return resolveActor(deps, await actorOfUrl(deps, input));
  throw new FetchRefused("Type a handle like @someone@example.social, or paste the address of their profile.");
}

/** The actor id WebFinger gives for user@host. */
async function webFinger(deps: Deps, user: string, host: string): Promise<string> {
  const path = `/.well-known/webfinger?resource=${encodeURIComponent(`acct:${user}@${host}`)}`;
  // Plain http only exists for tests on loopback, and only with the unsafe switch on.
  const schemes = deps.config.allowPrivateNetwork ? ["http", "https"] : ["https"];
  let lastError: unknown = null;
  for (const scheme of schemes) {
    try {
      const response = await safeFetch(deps.config, `${scheme}://${host}${path}`, { headers: () => ({ accept: "application/jrd+json, application/json" }) });
      if (response.status === 404) throw new FetchRefused(`${host} does not know ${user}.`);
      if (response.status !== 200) throw new FetchRefused(`${host} answered ${response.status} when asked about ${user}.`);
      const jrd = JSON.parse(response.text) as unknown;
      const links = isObject(jrd) && Array.isArray(jrd.links) ? jrd.links.filter(isObject) : [];
      const self = links.find((l) => l.rel === "self" && (l.type === ACTIVITY_JSON || String(l.type ?? "").startsWith("application/ld+json")));
      const href = self ? text(self.href) : null;
      if (!href) throw new FetchRefused(`${host} has no ActivityPub account for ${user}.`);
      return href;
    } catch (error) {
      lastError = error;
      if (error instanceof FetchRefused && /does not know|has no ActivityPub|answered/.test(error.message)) throw error;
    }
  }
  throw lastError instanceof FetchRefused ? lastError : new FetchRefused(`${host} could not be asked about ${user}.`);
}

const ACTOR_TYPES = ["Person", "Service", "Application", "Group", "Organization"];

/**
 * What a pasted URL names: a post (fetched and stored, when its server shows it to anyone, so it
 * can be opened here) or an account (a profile, or the author of a post we may not store).
 */
export async function lookupUrl(deps: Deps, url: string): Promise<{ kind: "post" | "account"; id: number }> {
  if (!/^https?:\/\//i.test(url.trim())) throw new FetchRefused("Paste the whole address, starting with https://.");
  const doc = await fetchDocument(deps, url.trim());
  if (ACTOR_TYPES.includes(typeOf(doc))) return { kind: "account", id: await resolveActor(deps, text(doc.id)!) };
  const authorUri = idOf(doc.attributedTo);
  if (!POST_TYPES.includes(typeOf(doc)) || !authorUri) throw new FetchRefused("That address is neither a profile nor a post.");
  const accountId = await resolveActor(deps, authorUri);
  // Only the author's own server speaks for their posts.
  if (hostOf(text(doc.id)!) !== hostOf(authorUri)) return { kind: "account", id: accountId };
  const author = await deps.db.selectFrom("accounts").select(["id", "followers_uri"]).where("id", "=", accountId).executeTakeFirstOrThrow();
  const post = await parsePost(deps.db, deps.config.origin, doc, author);
  if (!post || !mayListPublicly(post.audience)) return { kind: "account", id: accountId };
  return { kind: "post", id: await storeRemotePost(deps.db, post) };
}

/** A URL may name an actor, or a post whose author we then look up. */
async function actorOfUrl(deps: Deps, url: string): Promise<string> {
  const doc = await fetchDocument(deps, url);
  if (ACTOR_TYPES.includes(typeOf(doc))) return text(doc.id)!;
  const author = idOf(doc.attributedTo);
  if (author) return author;
  throw new FetchRefused("That address is neither a profile nor a post.");
}
