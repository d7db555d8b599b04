/**
 * Access tokens for the client API. Like sessions, only a SHA-256 of each token is stored. A token
 * belongs to a member (granted on the consent page) or to an app alone (client credentials).
 * Revoking is a timestamp, so the list of authorized apps and a reused code can both find it.
 */
import type { Kysely } from "kysely";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import { now } from "../clock.ts";
import { hashToken, newToken } from "../tokens.ts";

export interface NewToken {
  appId: number;
  accountId: number | null;
  scopes: string[];
  codeHash?: string | null;
}

export interface IssuedToken {
  token: string;
  scopes: string[];
  createdAt: number;
}

/** Issues a token and returns it; the caller's transaction makes it part of a code's redemption. */
export async function issueToken(db: Kysely<Database>, input: NewToken): Promise<IssuedToken> {
  const token = newToken();
  const createdAt = now();
  await db.insertInto("oauth_tokens").values({
    token_hash: hashToken(token), app_id: input.appId, account_id: input.accountId, scopes: input.scopes.join(" "),
    code_hash: input.codeHash ?? null, created_at: createdAt,
  }).execute();
  return { token, scopes: input.scopes, createdAt };
}

export interface TokenHolder {
  tokenId: number;
  appId: number;
  /** The member the token acts for; null for an app's own token. */
  accountId: number | null;
  scopes: string[];
}

/**
 * Who holds this token: live (not revoked, not expired), and for a member's token a member who
 * is neither suspended nor deleted. Null for anything else.
 */
export async function tokenHolder(db: Db, token: string): Promise<TokenHolder | null> {
  const row = await db.selectFrom("oauth_tokens")
    .leftJoin("accounts", "accounts.id", "oauth_tokens.account_id")
    .select(["oauth_tokens.id", "oauth_tokens.app_id", "oauth_tokens.account_id", "oauth_tokens.scopes", "oauth_tokens.expires_at",
      "oauth_tokens.last_used_at", "accounts.suspended_at", "accounts.deleted_at"])
    .where("oauth_tokens.token_hash", "=", hashToken(token))
    .where("oauth_tokens.revoked_at", "is", null)
    .executeTakeFirst();
  if (!row) return null;
  const at = now();
  if (row.expires_at !== null && row.expires_at <= at) return null;
  if (row.account_id !== null && (row.suspended_at !== null || row.deleted_at !== null)) return null;
  // A write per request would cost more than the list of apps needs: once a minute is precise enough.
  if (row.last_used_at === null || at - row.last_used_at > 60_000) {
    await db.updateTable("oauth_tokens").set({ last_used_at: at }).where("id", "=", row.id).execute();
  }
  return { tokenId: row.id, appId: row.app_id, accountId: row.account_id, scopes: row.scopes.split(" ") };
}

/** Revokes one token presented by the app that holds it; false when the token belongs to another app. */
export async function revokeToken(db: Db, appId: number, token: string): Promise<boolean> {
  const row = await db.selectFrom("oauth_tokens").select(["id", "app_id"]).where("token_hash", "=", hashToken(token)).executeTakeFirst();
  if (!row) return true;
  if (row.app_id !== appId) return false;
  await db.updateTable("oauth_tokens").set({ revoked_at: now() }).where("id", "=", row.id).where("revoked_at", "is", null).execute();
  return true;
}

/** Revokes every token of a member at once (suspension). */
export async function revokeAllTokens(db: Kysely<Database>, accountId: number): Promise<void> {
  await db.updateTable("oauth_tokens").set({ revoked_at: now() }).where("account_id", "=", accountId).where("revoked_at", "is", null).execute();
}

/** Revokes every token issued from one authorization code (the code was presented twice). */
export async function revokeTokensOfCode(db: Kysely<Database>, codeHash: string): Promise<void> {
  await db.updateTable("oauth_tokens").set({ revoked_at: now() }).where("code_hash", "=", codeHash).where("revoked_at", "is", null).execute();
}

export interface AuthorizedApp {
  appId: number;
  name: string;
  website: string | null;
  scopes: string[];
  authorizedAt: number;
  lastUsedAt: number | null;
}

/** The apps a member has authorized and not revoked, newest first, one line per app. */
export async function authorizedApps(db: Db, accountId: number): Promise<AuthorizedApp[]> {
  const rows = await db.selectFrom("oauth_tokens")
    .innerJoin("oauth_apps", "oauth_apps.id", "oauth_tokens.app_id")
    .select(["oauth_apps.id", "oauth_apps.name", "oauth_apps.website", "oauth_tokens.scopes", "oauth_tokens.created_at", "oauth_tokens.last_used_at"])
    .where("oauth_tokens.account_id", "=", accountId)
    .where("oauth_tokens.revoked_at", "is", null)
    .orderBy("oauth_tokens.id", "desc")
    .execute();
  const apps = new Map<number, AuthorizedApp>();
  for (const r of rows) {
    const seen = apps.get(r.id);
    if (!seen) {
      apps.set(r.id, { appId: r.id, name: r.name, website: r.website, scopes: r.scopes.split(" "), authorizedAt: r.created_at, lastUsedAt: r.last_used_at });
    } else {
      seen.scopes = [...new Set([...seen.scopes, ...r.scopes.split(" ")])];
      seen.lastUsedAt = Math.max(seen.lastUsedAt ?? 0, r.last_used_at ?? 0) || null;
    }
  }
  return [...apps.values()];
}

/** A member withdraws an app's access: every token of theirs for that app is revoked. */
export async function revokeApp(db: Db, accountId: number, appId: number): Promise<void> {
  await db.updateTable("oauth_tokens").set({ revoked_at: now() })
    .where("account_id", "=", accountId).where("app_id", "=", appId).where("revoked_at", "is", null).execute();
}
