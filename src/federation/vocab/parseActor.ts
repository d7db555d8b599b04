/** A remote actor document turned into what we store, or null when it is not a usable actor. */
import type { RemoteActor } from "../../domain/remote/actors.ts";
import { hostOf } from "../urls.ts";
import { firstUrl, idOf, isObject, type Json, plain, text, typeOf } from "./read.ts";
import { isHttpUrl } from "../../domain/text/urls.ts";

const ACTOR_TYPES = ["Person", "Service", "Application", "Group", "Organization"];

export function parseActor(doc: Json): RemoteActor | null {
  const id = text(doc.id);
  const type = typeOf(doc);
  const inbox = idOf(doc.inbox);
  if (!id || !isHttpUrl(id) || !ACTOR_TYPES.includes(type) || !inbox || !isHttpUrl(inbox)) return null;
  const domain = hostOf(id)!;
  const key = isObject(doc.publicKey) ? doc.publicKey : Array.isArray(doc.publicKey) ? doc.publicKey.find(isObject) : undefined;
  const keyOwner = key ? idOf(key.owner) ?? id : null;
  const endpoints = isObject(doc.endpoints) ? doc.endpoints : {};
  const handle = text(doc.preferredUsername) ?? new URL(id).pathname.split("/").filter(Boolean).pop() ?? "unknown";
  return {
    uri: id,
    kind: type,
    handle: handle.replace(/[^\p{L}\p{N}_.-]/gu, "").slice(0, 100) || "unknown",
    domain,
    displayName: plain(doc.name, doc.nameMap) ?? "",
    bioHtml: plain(doc.summary, doc.summaryMap) ?? "",
    url: firstUrl(doc.url),
    inbox,
    sharedInbox: idOf(endpoints.sharedInbox) ?? idOf(doc.sharedInbox),
    followers: idOf(doc.followers),
    // A key is ours to use only when it belongs to this actor.
    publicKeyId: key && keyOwner === id ? text(key.id) : null,
    publicKeyPem: key && keyOwner === id ? text(key.publicKeyPem) : null,
    avatarUrl: firstUrl(isObject(doc.icon) ? doc.icon.url : Array.isArray(doc.icon) ? (doc.icon.find(isObject) as Json | undefined)?.url : null),
    locked: doc.manuallyApprovesFollowers === true,
    alsoKnownAs: (Array.isArray(doc.alsoKnownAs) ? doc.alsoKnownAs : [doc.alsoKnownAs]).map(idOf).filter((u): u is string => !!u && isHttpUrl(u)).slice(0, 20),
    movedTo: ((moved) => (moved && isHttpUrl(moved) ? moved : null))(idOf(doc.movedTo)),
  };
}
