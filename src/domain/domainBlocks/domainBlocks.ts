/**
 * A member blocks a whole remote domain for themselves: posts, boosts and notifications from its
 * accounts leave everything that member reads (the rule itself is in filters/streamFilter.ts).
 * Private to the member: nothing federates and nobody is told. A domain matches exactly, as in
 * Mastodon's per-account domain blocks; the camp's own federation rules are the operator's.
 */
import type { Db } from "../../db/open.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { normalizeDomain } from "../remote/federationPolicy.ts";

/** The domain as typed, normalized, or a refusal; the camp's own domain is refused. */
export function checkBlockableDomain(input: string, localDomain: string): string {
  const domain = normalizeDomain(input);
  if (domain === localDomain.toLowerCase()) {
    refuse("invalid", `${domain} is this camp's own domain. To stop seeing someone here, mute or block them from their profile.`, "domain");
  }
  return domain;
}

/** Blocks a domain for the member; blocking it again changes nothing. Returns the domain as stored. */
export async function blockDomain(db: Db, memberId: number, input: string, localDomain: string): Promise<string> {
  const domain = checkBlockableDomain(input, localDomain);
  await db.insertInto("member_domain_blocks").values({ account_id: memberId, domain, created_at: now() })
    .onConflict((oc) => oc.doNothing()).execute();
  return domain;
}

/** Lifts the member's block of a domain (if there was one). */
export async function unblockDomain(db: Db, memberId: number, domain: string): Promise<void> {
  await db.deleteFrom("member_domain_blocks").where("account_id", "=", memberId).where("domain", "=", domain.trim().toLowerCase()).execute();
}

/** The domains the member blocks, alphabetically. */
export async function blockedDomainsOf(db: Db, memberId: number): Promise<string[]> {
  const rows = await db.selectFrom("member_domain_blocks").select("domain").where("account_id", "=", memberId).orderBy("domain").execute();
  return rows.map((r) => r.domain);
}
