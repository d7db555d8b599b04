/**
 * Which servers the camp federates with: in open mode everyone but blocked domains, in
 * allowlist mode only the listed ones. A rule on a domain covers its subdomains too.
 */
import type { Db } from "../db/open.ts";
import { hostOf } from "./urls.ts";

/** The domain and each parent domain, most specific first: a.b.example.org → a.b.example.org, b.example.org, example.org. */
function domainAndParents(host: string): string[] {
  const name = host.replace(/:\d+$/, "");
  const parts = name.split(".");
  const out = host === name ? [] : [host];
  for (let i = 0; i < parts.length - 1 || (i === 0 && parts.length === 1); i++) out.push(parts.slice(i).join("."));
  return out;
}

/** May we exchange anything with this host (a host name with optional port)? One query: it runs for every request. */
export async function mayFederateWith(db: Db, host: string): Promise<boolean> {
  const names = domainAndParents(host.toLowerCase());
  const row = await db.selectFrom("camp")
    .select((eb) => [
      "federation_mode",
      eb.selectFrom("domain_rules").select((r) => r.fn.max("policy").as("p")).where("domain", "in", names).where("policy", "=", "block").as("blocked"),
      eb.selectFrom("domain_rules").select((r) => r.fn.max("policy").as("p")).where("domain", "in", names).where("policy", "=", "allow").as("allowed"),
    ])
    .where("id", "=", 1).executeTakeFirstOrThrow();
  if (row.blocked !== null) return false;
  return row.federation_mode === "open" || row.allowed !== null;
}

/** The same question for a URL; anything that is not a URL is refused. */
export async function mayFederateWithUrl(db: Db, url: string): Promise<boolean> {
  const host = hostOf(url);
  return host !== null && mayFederateWith(db, host);
}
