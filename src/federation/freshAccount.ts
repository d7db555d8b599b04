/**
 * An account named by address or actor id, with its `alsoKnownAs` and `movedTo` as they are now:
 * members of this camp from the database, others fetched again through the guarded fetch. Moves
 * (in and out) are checked against this, never against a copy that may be stale.
 */
import type { Deps } from "../web/env.ts";
import { accountResolver } from "./importLookup.ts";
import { resolveActor } from "./fetchRemote.ts";
import { memberByUri } from "./inbox/local.ts";
import { FetchRefused } from "./safeFetch.ts";
import { actorUri } from "./urls.ts";

export interface FreshAccount {
  id: number;
  uri: string;
  /** `user@domain`, for messages. */
  address: string;
  alsoKnownAs: string[];
  movedTo: string | null;
}

/** The account behind `user@domain` or an actor id; FetchRefused with a readable reason when none. */
export async function freshAccount(deps: Deps, ref: { address: string } | { uri: string }): Promise<FreshAccount> {
  let id: number;
  if ("address" in ref) {
    const resolved = await accountResolver(deps)(ref.address.trim().replace(/^@/, ""));
    if ("notFound" in resolved) throw new FetchRefused(resolved.notFound);
    if ("refused" in resolved) throw new FetchRefused(resolved.refused);
    id = resolved.found;
  } else {
    const member = await memberByUri(deps.db, deps.config.origin, ref.uri);
    id = member ? member.id : await resolveActor(deps, ref.uri, { refresh: true });
  }
  const load = () => deps.db.selectFrom("accounts").select(["handle", "domain", "uri", "also_known_as", "moved_to_uri"]).where("id", "=", id).executeTakeFirstOrThrow();
  let fresh = await load();
  // A lookup by address may have used a stored copy of the actor: fetch it once more, now.
  if (fresh.domain !== null && "address" in ref) {
    await resolveActor(deps, fresh.uri!, { refresh: true });
    fresh = await load();
  }
  return {
    id,
    uri: fresh.domain === null ? actorUri(deps.config.origin, fresh.handle) : fresh.uri!,
    address: `${fresh.handle}@${fresh.domain ?? deps.config.domain}`,
    alsoKnownAs: JSON.parse(fresh.also_known_as) as string[],
    movedTo: fresh.moved_to_uri,
  };
}
