/**
 * Apps registered through the client API. Any client may register (as on Mastodon); a member's
 * consent is what gives it access. Only a hash of the client secret is kept.
 */
import type { Db } from "../../db/open.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { hashToken, newToken } from "../tokens.ts";
import { timingSafeEqual } from "node:crypto";
import { parseScopes } from "./scopes.ts";
import { isHttpUrl } from "../text/urls.ts";

/** The redirect URI that shows the code on a page instead of redirecting (for apps without a web view). */
export const OOB_REDIRECT = "urn:ietf:wg:oauth:2.0:oob";
export const MAX_APP_NAME = 200;

export interface NewApp {
  name: string;
  redirectUris: string[];
  scopes: string | null;
  website: string | null;
}

export interface RegisteredApp {
  id: number;
  clientId: string;
  clientSecret: string;
  name: string;
  website: string | null;
  redirectUris: string[];
  scopes: string[];
}

/** An absolute URI without a fragment (custom schemes like `tusky://` count), or the out-of-band URI. */
function isRedirectUri(uri: string): boolean {
  if (uri === OOB_REDIRECT) return true;
  try {
    const url = new URL(uri);
    return !url.hash && !/^(javascript|data|vbscript|file):$/i.test(url.protocol);
  } catch {
    return false;
  }
}

/** Registers an app; refuses a missing name, an unusable redirect URI or an unknown scope. */
export async function registerApp(db: Db, input: NewApp): Promise<RegisteredApp> {
  const name = input.name.trim();
  if (!name) refuse("invalid", "Validation failed: Application name can't be blank");
  if (name.length > MAX_APP_NAME) refuse("invalid", `Validation failed: Application name is too long (maximum is ${MAX_APP_NAME} characters)`);
  const uris = input.redirectUris.map((u) => u.trim()).filter(Boolean);
  if (uris.length === 0) refuse("invalid", "Validation failed: Redirect URI can't be blank");
  if (!uris.every(isRedirectUri)) refuse("invalid", "Validation failed: Redirect URI must be an absolute URI.");
  const scopes = parseScopes(input.scopes);
  if (!scopes) return refuse("invalid", "Validation failed: Scopes are invalid");
  // The website is shown as a link on the consent page: only a web address, never javascript: or data:.
  const website = input.website?.trim() || null;
  if (website !== null && !isHttpUrl(website)) refuse("invalid", "Validation failed: Website is not a valid URL");
  const clientId = newToken();
  const clientSecret = newToken();
  const row = await db.insertInto("oauth_apps").values({
    client_id: clientId, client_secret_hash: hashToken(clientSecret), name, website,
    redirect_uris: uris.join("\n"), scopes: scopes.join(" "), created_at: now(),
  }).returning("id").executeTakeFirstOrThrow();
  return { id: row.id, clientId, clientSecret, name, website, redirectUris: uris, scopes };
}

export interface AppRecord {
  id: number;
  clientId: string;
  name: string;
  website: string | null;
  redirectUris: string[];
  scopes: string[];
}

const toRecord = (row: { id: number; client_id: string; name: string; website: string | null; redirect_uris: string; scopes: string }): AppRecord => ({
  id: row.id, clientId: row.client_id, name: row.name, website: row.website,
  redirectUris: row.redirect_uris.split("\n"), scopes: row.scopes.split(" "),
});

/** The app with this client id, or null. */
export async function findApp(db: Db, clientId: string): Promise<AppRecord | null> {
  const row = await db.selectFrom("oauth_apps").selectAll().where("client_id", "=", clientId).executeTakeFirst();
  return row ? toRecord(row) : null;
}

/** The app when the client id and secret match; null otherwise (the caller answers invalid_client). */
export async function authenticateApp(db: Db, clientId: string, clientSecret: string): Promise<AppRecord | null> {
  const row = await db.selectFrom("oauth_apps").selectAll().where("client_id", "=", clientId).executeTakeFirst();
  if (!row) return null;
  const given = Buffer.from(hashToken(clientSecret));
  const stored = Buffer.from(row.client_secret_hash);
  return given.length === stored.length && timingSafeEqual(given, stored) ? toRecord(row) : null;
}

/** The app behind a token id, for GET /api/v1/apps/verify_credentials. */
export async function appById(db: Db, id: number): Promise<AppRecord | null> {
  const row = await db.selectFrom("oauth_apps").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toRecord(row) : null;
}
