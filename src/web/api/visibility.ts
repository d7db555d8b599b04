/**
 * Kith's audiences in Mastodon's words, both ways. Mastodon has no camp, so Kith follows Hometown
 * and GoToSocial's `local_only` flag, and reads a plain `private` as camp so that an app that knows
 * nothing of local_only still writes camp-only posts by default and never sends one outside:
 *
 *   camp      <-> visibility "private",  local_only true   (also accepted: local_only true with public or unlisted)
 *   followers <-> visibility "private",  local_only false  (must be sent with local_only=false explicitly)
 *   unlisted  <-> visibility "unlisted", local_only false
 *   public    <-> visibility "public",   local_only false
 *   direct    <-> visibility "direct",   local_only false
 *
 * Without `visibility`, a post is camp-only, Kith's default.
 */
import type { Audience } from "../../db/schema.ts";
import { staysInCamp } from "../../domain/audience.ts";

const OUT: Record<Audience, string> = { camp: "private", followers: "private", unlisted: "unlisted", public: "public", direct: "direct" };

/** The Mastodon visibility and local_only flag of a Kith audience. */
export function visibilityOf(audience: Audience): { visibility: string; local_only: boolean } {
  return { visibility: OUT[audience], local_only: staysInCamp(audience) };
}

/** The Kith audience for what an app sent (Akkoma's "local" included), or an error for something Kith cannot honour. */
export function audienceFrom(visibility: string | undefined, localOnly: boolean | undefined): { audience: Audience } | { error: string } {
  switch (visibility ?? "") {
    case "":
    case "local":
      return { audience: "camp" };
    case "public":
      return { audience: localOnly ? "camp" : "public" };
    case "unlisted":
      return { audience: localOnly ? "camp" : "unlisted" };
    case "private":
      return { audience: localOnly === false ? "followers" : "camp" };
    case "direct":
      return localOnly ? { error: "Validation failed: a direct post reaches only the people it mentions and cannot also be local_only" } : { audience: "direct" };
    default:
      return { error: "Validation failed: Visibility is not included in the list" };
  }
}
