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

/** May we exchange anything with this host (a host name with optional port)? */
export async function mayFederateWith(db: Db, host: string): Promise<boolean> {
  const names = domainAndParents(host.toLowerCase());
  const [camp, rules] = await Promise.all([
    db.selectFrom("camp").select("federation_mode").where("id", "=", 1).executeTakeFirstOrThrow(),
    db.selectFrom("domain_rules").select(["domain", "policy"]).where("domain", "in", names).execute(),
  ]);
  if (rules.some((r) => r.policy === "block")) return false;
  return camp.federation_mode === "open" || rules.some((r) => r.policy === "allow");
}

/** The same question for a URL; anything that is not a URL is refused. */
export async function mayFederateWithUrl(db: Db, url: string): Promise<boolean> {
  const host = hostOf(url);
  return host !== null && mayFederateWith(db, host);
}
