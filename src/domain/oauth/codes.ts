/**
 * Authorization codes (RFC 6749 section 4.1) with PKCE (RFC 7636, S256 only): a member approves an
 * app on the consent page, the app trades the code for a token once, within ten minutes. A code
 * presented a second time is refused and every token it gave is revoked (RFC 6749 section 4.1.2).
 */
import { createHash } from "node:crypto";
import type { Db } from "../../db/open.ts";
import { now } from "../clock.ts";
import { hashToken, newToken } from "../tokens.ts";
import { OOB_REDIRECT, type AppRecord } from "./apps.ts";
import { OAuthRefusal } from "./errors.ts";
import { withinScopes } from "./scopes.ts";
import { issueToken, revokeTokensOfCode, type IssuedToken } from "./tokens.ts";

export const CODE_LIFETIME_MS = 10 * 60 * 1000;

export interface AuthorizationRequest {
  redirectUri: string;
  scopes: string[];
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
}

/** Checks what an app asks for before the consent page is shown; refuses what Mastodon refuses. */
export function checkAuthorizationRequest(app: AppRecord, request: AuthorizationRequest): void {
  if (!app.redirectUris.includes(request.redirectUri)) {
    throw new OAuthRefusal("invalid_request", "The requested redirect uri is malformed or doesn't match client redirect URI.");
  }
  if (!withinScopes(app.scopes, request.scopes)) throw new OAuthRefusal("invalid_scope");
  if (request.codeChallenge !== null) {
    if ((request.codeChallengeMethod ?? "plain") !== "S256") throw new OAuthRefusal("invalid_request", "The code challenge method must be S256.");
    if (!/^[A-Za-z0-9_-]{43}$/.test(request.codeChallenge)) throw new OAuthRefusal("invalid_request", "The code challenge is malformed.");
  }
}

/** A member approved the request: a new code for the app. */
export async function grantCode(db: Db, app: AppRecord, accountId: number, request: AuthorizationRequest): Promise<string> {
  checkAuthorizationRequest(app, request);
  const code = newToken();
  const at = now();
  await db.insertInto("oauth_codes").values({
    code_hash: hashToken(code), app_id: app.id, account_id: accountId, redirect_uri: request.redirectUri,
    scopes: request.scopes.join(" "), code_challenge: request.codeChallenge, created_at: at, expires_at: at + CODE_LIFETIME_MS,
  }).execute();
  return code;
}

const s256 = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");

/** Trades a code for a token; the code must be this app's, unused, unexpired, for this redirect URI and verifier. */
export async function redeemCode(db: Db, app: AppRecord, input: { code: string; redirectUri: string; codeVerifier: string | null }): Promise<IssuedToken> {
  const codeHash = hashToken(input.code);
  const outcome = await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("oauth_codes").selectAll().where("code_hash", "=", codeHash).executeTakeFirst();
    if (!row || row.app_id !== app.id) return "invalid" as const;
    if (row.used_at !== null) {
      await revokeTokensOfCode(trx, codeHash);
      return "reused" as const;
    }
    if (row.expires_at <= now()) return "invalid" as const;
    // Where the redirect URI is not the out-of-band one, it must be the one the code was granted for.
    if (row.redirect_uri !== input.redirectUri && !(row.redirect_uri === OOB_REDIRECT && !input.redirectUri)) return "invalid" as const;
    if (row.code_challenge !== null && (!input.codeVerifier || s256(input.codeVerifier) !== row.code_challenge)) return "invalid" as const;
    await trx.updateTable("oauth_codes").set({ used_at: now() }).where("code_hash", "=", codeHash).execute();
    return issueToken(trx, { appId: app.id, accountId: row.account_id, scopes: row.scopes.split(" "), codeHash });
  });
  if (outcome === "reused") throw new OAuthRefusal("invalid_grant");
  if (outcome === "invalid") throw new OAuthRefusal("invalid_grant");
  return outcome;
}
