/** Our actors as ActivityStreams: each member a Person, the instance actor an Application. */
import type { Config } from "../../config.ts";
import type { ActorKeys } from "../keys.ts";
import { actorUri, ed25519KeyId, followersUri, followingUri, inboxUri, instanceActorUri, keyId, outboxUri, profileUrl, sharedInboxUri } from "../urls.ts";
import { ACTOR_CONTEXT } from "./context.ts";

export interface LocalActorFacts {
  handle: string;
  kind: string;
  displayName: string;
  bioHtml: string;
  locked: boolean;
  createdAt: number;
  /** Absolute URL of the avatar, if any. */
  avatarUrl: string | null;
  /** The member's other accounts (aliases), and the account they moved to. */
  alsoKnownAs?: string[];
  movedTo?: string | null;
}

/** The actor document, with its RSA key for HTTP Signatures and its Ed25519 key as a Multikey. */
export function actorDocument(config: Config, actor: LocalActorFacts, keys: ActorKeys): Record<string, unknown> {
  const instance = actor.kind === "Application";
  const id = instance ? instanceActorUri(config.origin) : actorUri(config.origin, actor.handle);
  const paths = instance
    ? { inbox: `${id}/inbox`, outbox: `${id}/outbox`, url: `${config.origin}/about` }
    : { inbox: inboxUri(config.origin, actor.handle), outbox: outboxUri(config.origin, actor.handle), url: profileUrl(config.origin, actor.handle) };
  return {
    "@context": ACTOR_CONTEXT,
    id,
    type: instance ? "Application" : "Person",
    preferredUsername: actor.handle,
    name: actor.displayName || actor.handle,
    summary: actor.bioHtml,
    url: paths.url,
    inbox: paths.inbox,
    outbox: paths.outbox,
    ...(instance ? {} : { followers: followersUri(config.origin, actor.handle), following: followingUri(config.origin, actor.handle) }),
    endpoints: { sharedInbox: sharedInboxUri(config.origin) },
    manuallyApprovesFollowers: actor.locked,
    discoverable: false,
    published: new Date(actor.createdAt).toISOString(),
    ...(actor.avatarUrl ? { icon: { type: "Image", url: actor.avatarUrl } } : {}),
    ...(actor.alsoKnownAs?.length ? { alsoKnownAs: actor.alsoKnownAs } : {}),
    ...(actor.movedTo ? { movedTo: actor.movedTo } : {}),
    publicKey: { id: keyId(id), owner: id, publicKeyPem: keys.rsaPublicPem },
    assertionMethod: [{ id: ed25519KeyId(id), type: "Multikey", controller: id, publicKeyMultibase: keys.ed25519Multibase }],
  };
}
