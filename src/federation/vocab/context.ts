/**
 * The JSON-LD contexts we publish: only well-known ones (ActivityStreams, security, Multikey)
 * plus inline terms, because peers cannot fetch unknown context URLs (Fedify fails on them).
 */
export const AS_CONTEXT = "https://www.w3.org/ns/activitystreams";
export const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

const EXTENSIONS = {
  manuallyApprovesFollowers: "as:manuallyApprovesFollowers",
  sensitive: "as:sensitive",
  Hashtag: "as:Hashtag",
  toot: "http://joinmastodon.org/ns#",
  discoverable: "toot:discoverable",
  votersCount: "toot:votersCount",
  alsoKnownAs: { "@id": "as:alsoKnownAs", "@type": "@id" },
  movedTo: { "@id": "as:movedTo", "@type": "@id" },
};

/** For actors: keys need security/v1 and the Multikey context. */
export const ACTOR_CONTEXT = [AS_CONTEXT, "https://w3id.org/security/v1", "https://w3id.org/security/multikey/v1", EXTENSIONS];
/** For objects and activities. */
export const OBJECT_CONTEXT = [AS_CONTEXT, EXTENSIONS];

export const ACTIVITY_JSON = "application/activity+json";

/** True when an Accept header asks for ActivityStreams JSON rather than a page. */
export function wantsActivityJson(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(",").some((part) => {
    const [type, ...params] = part.trim().toLowerCase().split(";").map((s) => s.trim());
    if (type === ACTIVITY_JSON) return true;
    return type === "application/ld+json" && params.some((p) => p.replace(/\s/g, "") === `profile="${AS_CONTEXT}"`);
  });
}
