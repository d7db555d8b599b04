/**
 * The operator's say over federation: domain blocks and allows, allowlist mode and authorized
 * fetch (reports from other servers join the moderators' queue, src/domain/reports). Blocking a domain also ends
 * every follow with its accounts and hides them and their posts (suspended, as the gate reads it).
 */
import { sql } from "kysely";
import type { Db } from "../../db/open.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { type Actor, logAction } from "../moderation/auditLog.ts";

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$/;

/** A domain as typed (maybe with https:// or @user@ around it), normalized, or a refusal. */
export function normalizeDomain(input: string): string {
  const domain = input.trim().toLowerCase().replace(/^https?:\/\//, "").replace(/^.*@/, "").replace(/\/.*$/, "");
  if (!DOMAIN.test(domain)) refuse("invalid", "Type a domain like example.social (without https:// or a path).", "domain");
  return domain;
}

/** Accounts on the domain or any of its subdomains. */
const onDomain = (domain: string) => sql<boolean>`(accounts.domain = ${domain} or accounts.domain like ${`%.${domain}`})`;

/** Blocks or allows a domain (written to the audit log). */
export async function setDomainRule(db: Db, input: string, policy: "block" | "allow", actor: Actor): Promise<string> {
  const domain = normalizeDomain(input);
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("domain_rules").values({ domain, policy, created_at: now() })
      .onConflict((oc) => oc.column("domain").doUpdateSet({ policy })).execute();
    await logAction(trx, actor, { action: policy === "block" ? "domain.blocked" : "domain.allowed", note: domain });
    if (policy !== "block") return;
    const ids = trx.selectFrom("accounts").select("accounts.id").where(onDomain(domain));
    await trx.deleteFrom("follows").where((eb) => eb.or([eb("follower_id", "in", ids), eb("followee_id", "in", ids)])).execute();
    await trx.updateTable("accounts").set({ suspended_at: now() }).where(onDomain(domain)).where("suspended_at", "is", null).execute();
  });
  return domain;
}

/** Lifts a rule; accounts hidden by a block are shown again (their follows stay ended). */
export async function removeDomainRule(db: Db, domain: string, actor: Actor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const rule = await trx.deleteFrom("domain_rules").where("domain", "=", domain).returning("policy").executeTakeFirst();
    if (rule) await logAction(trx, actor, { action: "domain.rule_removed", note: domain });
    if (rule?.policy === "block") await trx.updateTable("accounts").set({ suspended_at: null }).where(onDomain(domain)).where("deleted_at", "is", null).execute();
  });
}

export function listDomainRules(db: Db) {
  return db.selectFrom("domain_rules").selectAll().orderBy("policy").orderBy("domain").execute();
}

export async function setFederationSettings(db: Db, input: { mode: string; authorizedFetch: boolean }): Promise<void> {
  if (input.mode !== "open" && input.mode !== "allowlist") refuse("invalid", "Choose open federation or allowlist mode.", "mode");
  await db.updateTable("camp").set({ federation_mode: input.mode as "open" | "allowlist", authorized_fetch: input.authorizedFetch ? 1 : 0 }).where("id", "=", 1).execute();
}
