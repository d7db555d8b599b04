/**
 * Every ActivityPub id this camp mints, in one place, so the actor documents, the routes that
 * answer for them and the activities that name them cannot disagree.
 */
export const INSTANCE_ACTOR_HANDLE = "actor";

export const actorUri = (origin: string, handle: string) => `${origin}/users/${handle}`;
export const profileUrl = (origin: string, handle: string) => `${origin}/@${handle}`;
export const inboxUri = (origin: string, handle: string) => `${actorUri(origin, handle)}/inbox`;
export const outboxUri = (origin: string, handle: string) => `${actorUri(origin, handle)}/outbox`;
export const followersUri = (origin: string, handle: string) => `${actorUri(origin, handle)}/followers`;
export const followingUri = (origin: string, handle: string) => `${actorUri(origin, handle)}/following`;
export const keyId = (actor: string) => `${actor}#main-key`;
export const ed25519KeyId = (actor: string) => `${actor}#ed25519-key`;
export const sharedInboxUri = (origin: string) => `${origin}/inbox`;
export const instanceActorUri = (origin: string) => `${origin}/actor`;

/** The post's ActivityPub id; the same URL shows the post's page to a browser. */
export const postUri = (origin: string, postId: number) => `${origin}/posts/${postId}`;
export const likeUri = (origin: string, likeId: number) => `${origin}/likes/${likeId}`;
export const followUri = (origin: string, followId: number) => `${origin}/follows/${followId}`;
export const blockUri = (origin: string, accountId: number, targetId: number) => `${origin}/blocks/${accountId}-${targetId}`;

/** Parses an id this camp minted for a post, or returns null. */
export function localPostId(origin: string, uri: string): number | null {
  const match = uri.startsWith(`${origin}/posts/`) ? /^(\d+)$/.exec(uri.slice(origin.length + 7)) : null;
  return match ? Number(match[1]) : null;
}

/** The handle of a local actor id, or null when the id is not one of our actors. */
export function localActorHandle(origin: string, uri: string): string | null {
  if (uri === instanceActorUri(origin)) return INSTANCE_ACTOR_HANDLE;
  const match = uri.startsWith(`${origin}/users/`) ? /^([A-Za-z0-9_]+)$/.exec(uri.slice(origin.length + 7)) : null;
  return match ? match[1]! : null;
}

/** The host (with port) of a URL, lowercased: what domain blocks and accounts.domain compare. */
export function hostOf(uri: string): string | null {
  try {
    return new URL(uri).host.toLowerCase();
  } catch {
    return null;
  }
}

/** How the domain turns a moved account's id into a link for people (see domain/moving/movedTo.ts). */
export function movedToPlace(origin: string, domain: string) {
  return { domain, localHandleOf: (uri: string) => localActorHandle(origin, uri), profileUrl: (handle: string) => profileUrl(origin, handle) };
}
