/**
 * Fetching ActivityStreams documents from other servers: signed as the instance actor (so
 * servers with authorized fetch answer), through the guarded client, only from servers the
 * camp federates with, and only documents whose id lives where we fetched them.
 */
import type { Deps } from "../web/env.ts";
import { findRemoteAccountByUri, upsertRemoteActor } from "../domain/remote/actors.ts";
import { instanceSigner } from "./localActors.ts";
import { mayFederateWithUrl } from "./policy.ts";
import { FetchRefused, safeFetch } from "./safeFetch.ts";
import { signRequest } from "./signatures.ts";
import { hostOf } from "./urls.ts";
import { ACTIVITY_JSON } from "./vocab/context.ts";
import { parseActor } from "./vocab/parseActor.ts";
import { isObject, type Json, text } from "./vocab/read.ts";

/** How long a stored actor is trusted before it is fetched again. */
const ACTOR_TTL_MS = 24 * 60 * 60 * 1000;

/** GETs a document as the instance actor; throws FetchRefused with a reason a log can carry. */
export async function fetchDocument(deps: Deps, url: string): Promise<Json> {
  if (!(await mayFederateWithUrl(deps.db, url))) throw new FetchRefused(`this camp does not federate with ${hostOf(url) ?? url}`);
  const signer = await instanceSigner(deps.db, deps.config);
  const response = await safeFetch(deps.config, url.split("#")[0]!, {
    headers: (target) => ({
      accept: `${ACTIVITY_JSON}, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`,
      ...signRequest({ method: "GET", url: target, keyId: signer.keyId, privateKey: signer.privateKey }),
    }),
  });
  if (response.status === 410) throw new FetchRefused(`${url} is gone`);
  if (response.status !== 200) throw new FetchRefused(`${hostOf(url)} answered ${response.status} for ${url}`);
  let doc: unknown;
  try {
    doc = JSON.parse(response.text);
  } catch {
    throw new FetchRefused(`${url} did not answer with JSON`);
  }
  if (!isObject(doc)) throw new FetchRefused(`${url} did not answer with an object`);
  const id = text(doc.id);
  // A server may only speak for ids on its own host: where we finally fetched from.
  if (!id || hostOf(id) !== hostOf(response.url)) throw new FetchRefused(`${url} answered with an id from another server`);
  return doc;
}

/** The account id of a remote actor, fetched and stored when unknown or stale. */
export async function resolveActor(deps: Deps, uri: string, options: { refresh?: boolean } = {}): Promise<number> {
  const known = await findRemoteAccountByUri(deps.db, uri);
  if (known && !options.refresh && known.fetched_at !== null && known.fetched_at > Date.now() - ACTOR_TTL_MS) return known.id;
  const doc = await fetchDocument(deps, uri);
  const actor = parseActor(doc);
  if (!actor || actor.uri !== uri.split("#")[0]) throw new FetchRefused(`${uri} is not an actor`);
  return upsertRemoteActor(deps.db, actor);
}

/** Stores an actor document that arrived embedded (e.g. in an Update) after checking it is who it says. */
export async function storeActorDocument(deps: Deps, doc: Json): Promise<number | null> {
  const actor = parseActor(doc);
  return actor ? upsertRemoteActor(deps.db, actor) : null;
}

export interface KeyOwner {
  accountId: number;
  actorUri: string;
  publicKeyPem: string;
}

/**
 * The actor owning a key id. Known keys come from the database; unknown ones, or all when
 * `refresh` is set (a key may have rotated), are fetched from the key's own server.
 */
export async function keyOwner(deps: Deps, keyId: string, options: { refresh?: boolean } = {}): Promise<KeyOwner> {
  if (!options.refresh) {
    const known = await deps.db.selectFrom("accounts").select(["id", "uri", "public_key_pem"])
      .where("public_key_id", "=", keyId).where("domain", "is not", null).where("deleted_at", "is", null).executeTakeFirst();
    if (known?.uri && known.public_key_pem) return { accountId: known.id, actorUri: known.uri, publicKeyPem: known.public_key_pem };
  }
  const doc = await fetchDocument(deps, keyId);
  // The key id names either the actor (with a #fragment) or a key document with an owner.
  const actorDoc = isObject(doc.publicKey) || Array.isArray(doc.publicKey) ? doc : await fetchDocument(deps, String(doc.owner ?? ""));
  const actor = parseActor(actorDoc);
  if (!actor || actor.publicKeyId !== keyId || !actor.publicKeyPem) throw new FetchRefused(`no actor owns the key ${keyId}`);
  if (hostOf(actor.uri) !== hostOf(keyId)) throw new FetchRefused(`the key ${keyId} is owned by an actor on another server`);
  const accountId = await upsertRemoteActor(deps.db, actor);
  return { accountId, actorUri: actor.uri, publicKeyPem: actor.publicKeyPem };
}
