/** Where a moved account went, as an address and a link for people: for the profile's notice and the settings page. */
import { compiledOnce } from "../../db/compiledOnce.ts";
import type { Db } from "../../db/open.ts";

export interface MovedToPlace {
  domain: string;
  /** The handle of a member of this camp named by an actor id, or null (federation knows the id's shape). */
  localHandleOf(uri: string): string | null;
  profileUrl(handle: string): string;
}

/** The account `accountId` moved to, or null when it has not moved. */
export async function movedToOf(db: Db, place: MovedToPlace, accountId: number): Promise<{ address: string; url: string } | null> {
  const [row] = await movedToUriOf(db, {}, { accountId });
  if (!row?.moved_to_uri) return null;
  const handle = place.localHandleOf(row.moved_to_uri);
  if (handle) return { address: `${handle}@${place.domain}`, url: place.profileUrl(handle) };
  const target = await db.selectFrom("accounts").select(["handle", "domain", "url"]).where("uri", "=", row.moved_to_uri).executeTakeFirst();
  return target ? { address: `${target.handle}@${target.domain}`, url: target.url ?? row.moved_to_uri } : { address: row.moved_to_uri, url: row.moved_to_uri };
}

/** Asked on every profile page: built once (see compiledOnce). */
const movedToUriOf = compiledOnce((db: Db, _shape: object, v: { accountId: number }) => db.selectFrom("accounts")
  .select("moved_to_uri").where("id", "=", v.accountId));
