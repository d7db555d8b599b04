/**
 * OAuth 2 for apps, as Mastodon answers it: registration, the consent page (behind the session and
 * CSRF), codes with PKCE S256, client credentials, revocation by the app, by the member and by
 * suspension, a reused code revoking its tokens, and every refusal with Mastodon's status and body.
 */
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { createHash, randomBytes } from "node:crypto";
import { suspendMember } from "../src/domain/members/moderation.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { codeFrom, consent, REDIRECT, tokenFor } from "./support/clientApi.ts";

// Logging in (scrypt) and hundreds of requests take several seconds on a busy machine.
setDefaultTimeout(30_000);

let camp: TestCamp;
let aliceId: number;

beforeAll(async () => {
  camp = await testCamp();
  aliceId = await camp.addMember("alice");
  await camp.addMember("bob");
}, 60_000);
afterAll(() => camp.close());

const json = (body: unknown) => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const form = (fields: Record<string, string>) => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields) });
const bearer = (token: string, init: RequestInit = {}) => ({ ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });

async function register(fields: Record<string, unknown> = {}) {
  const response = await camp.client().request("/api/v1/apps", json({ client_name: "Pocket", redirect_uris: REDIRECT, scopes: "read write follow", website: "https://pocket.example", ...fields }));
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

function authorizeUrl(clientId: string, extra: Record<string, string> = {}) {
  const params = new URLSearchParams({ response_type: "code", client_id: clientId, redirect_uri: REDIRECT, scope: "read write", ...extra });
  return `${camp.config.origin}/oauth/authorize?${params}`;
}

const exchange = (fields: Record<string, string>) => camp.client().request("/oauth/token", form({ grant_type: "authorization_code", redirect_uri: REDIRECT, ...fields }));
const verify = (token: string) => camp.client().request("/api/v1/accounts/verify_credentials", bearer(token));

describe("registering an app", () => {
  test("gives a client id and secret and stores only the secret's hash", async () => {
    const { status, body } = await register();
    expect(status).toBe(200);
    expect(body).toMatchObject({ name: "Pocket", website: "https://pocket.example", redirect_uri: REDIRECT, scopes: ["read", "write", "follow"] });
    expect(body.client_id!.length).toBeGreaterThan(30);
    const row = await camp.db.selectFrom("oauth_apps").selectAll().where("client_id", "=", body.client_id!).executeTakeFirstOrThrow();
    expect(row.client_secret_hash).not.toBe(body.client_secret);
    expect(JSON.stringify(row)).not.toContain(body.client_secret!);
  });

  test("refuses what Mastodon refuses, with 422 and its error body, and writes nothing", async () => {
    const before = await camp.db.selectFrom("oauth_apps").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(await register({ redirect_uris: "not a uri" })).toEqual({ status: 422, body: { error: "Validation failed: Redirect URI must be an absolute URI." } });
    expect(await register({ client_name: "" })).toEqual({ status: 422, body: { error: "Validation failed: Application name can't be blank" } });
    expect(await register({ scopes: "read everything" })).toEqual({ status: 422, body: { error: "Validation failed: Scopes are invalid" } });
    expect(await register({ website: "javascript:alert(1)" })).toEqual({ status: 422, body: { error: "Validation failed: Website is not a valid URL" } });
    expect((await register({ redirect_uris: "javascript:alert(1)" })).status).toBe(422);
    const after = await camp.db.selectFrom("oauth_apps").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  test("the server's OAuth metadata names the endpoints, PKCE S256 and the scopes", async () => {
    const meta = await (await camp.client().get("/.well-known/oauth-authorization-server")).json() as Record<string, unknown>;
    expect(meta.token_endpoint).toBe(`${camp.config.origin}/oauth/token`);
    expect(meta.authorization_endpoint).toBe(`${camp.config.origin}/oauth/authorize`);
    expect(meta.code_challenge_methods_supported).toEqual(["S256"]);
    expect(meta.scopes_supported).toContain("write:statuses");
  });
});

describe("the consent page", () => {
  test("sends a visitor to log in first, and comes back", async () => {
    const { body } = await register();
    const response = await camp.client().get(new URL(authorizeUrl(body.client_id!)).pathname + new URL(authorizeUrl(body.client_id!)).search);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toStartWith("/login?next=%2Foauth%2Fauthorize");
  });

  test("shows the app's name and scopes, and approving redirects with the code and state", async () => {
    const { body } = await register();
    const { html, answer } = await consent(camp, "alice", authorizeUrl(body.client_id!, { state: "xyz" }));
    expect(html).toContain("Pocket");
    expect(html).toContain("<code>read</code>");
    expect(html).toContain("<code>write</code>");
    expect(answer.status).toBe(303);
    const location = new URL(answer.headers.get("location")!);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get("state")).toBe("xyz");
    expect(location.searchParams.get("code")).toBeTruthy();
  });

  test("denying redirects with access_denied and grants nothing", async () => {
    const { body } = await register();
    const { answer } = await consent(camp, "alice", authorizeUrl(body.client_id!, { state: "s1" }), "deny");
    const location = new URL(answer.headers.get("location")!);
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("code")).toBeNull();
  });

  test("the approval form needs the CSRF token like every form", async () => {
    const { body } = await register();
    const codes = () => camp.db.selectFrom("oauth_codes").select("code_hash").where("app_id", "=", Number(body.id)).execute();
    const browser = await camp.loggedIn("alice");
    const response = await browser.post("/oauth/authorize", { _csrf: "", client_id: body.client_id!, redirect_uri: REDIRECT, scope: "read", decision: "approve" });
    expect(response.status).toBe(403);
    expect(response.headers.get("location")).toBeNull();
    expect(await codes()).toEqual([]);
  });

  test("a redirect URI the app did not register, a scope it did not ask for, or an unknown app is refused on the page, never redirected", async () => {
    const { body } = await register({ scopes: "read" });
    const browser = await camp.loggedIn("alice");
    for (const url of [
      authorizeUrl(body.client_id!, { redirect_uri: "https://evil.example/steal", scope: "read" }),
      authorizeUrl(body.client_id!, { scope: "read write" }),
      authorizeUrl("no-such-client", { scope: "read" }),
    ]) {
      const u = new URL(url);
      const response = await browser.get(u.pathname + u.search);
      expect(response.status).toBe(400);
      expect(response.headers.get("location")).toBeNull();
      expect(await response.text()).toContain("This app&#39;s request is not valid");
    }
  });

  test("with urn:ietf:wg:oauth:2.0:oob the code is shown on a page to copy", async () => {
    const { body } = await register({ redirect_uris: "urn:ietf:wg:oauth:2.0:oob" });
    const { answer } = await consent(camp, "alice", authorizeUrl(body.client_id!, { redirect_uri: "urn:ietf:wg:oauth:2.0:oob" }));
    expect(answer.status).toBe(200);
    const code = (await answer.text()).match(/id="oauth-code" type="text" readonly="" value="([^"]+)"/)?.[1];
    expect(code).toBeTruthy();
    const token = await camp.client().request("/oauth/token", form({ grant_type: "authorization_code", code: code!, client_id: body.client_id!, client_secret: body.client_secret!, redirect_uri: "urn:ietf:wg:oauth:2.0:oob" }));
    expect(token.status).toBe(200);
  });
});

describe("trading a code for a token", () => {
  const INVALID_GRANT = { error: "invalid_grant", error_description: "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client." };

  test("gives a bearer token with the approved scopes; the token reads the member's account", async () => {
    const { body } = await register();
    const code = codeFrom((await consent(camp, "alice", authorizeUrl(body.client_id!))).answer);
    const response = await exchange({ code, client_id: body.client_id!, client_secret: body.client_secret! });
    const token = await response.json() as Record<string, unknown>;
    expect(token).toMatchObject({ token_type: "Bearer", scope: "read write" });
    expect(typeof token.created_at).toBe("number");
    const me = await (await verify(token.access_token as string)).json() as Record<string, unknown>;
    expect(me).toMatchObject({ id: String(aliceId), username: "alice", acct: "alice" });
    const stored = await camp.db.selectFrom("oauth_tokens").select("token_hash").execute();
    expect(stored.map((t) => t.token_hash)).not.toContain(token.access_token);
  });

  test("a reused code is refused and the token it gave is revoked", async () => {
    const { body } = await register();
    const code = codeFrom((await consent(camp, "alice", authorizeUrl(body.client_id!))).answer);
    const first = await (await exchange({ code, client_id: body.client_id!, client_secret: body.client_secret! })).json() as { access_token: string };
    expect((await verify(first.access_token)).status).toBe(200);
    const again = await exchange({ code, client_id: body.client_id!, client_secret: body.client_secret! });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual(INVALID_GRANT);
    const after = await verify(first.access_token);
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual({ error: "The access token is invalid" });
  });

  test("a wrong redirect URI, another app's code, an expired code and a wrong secret are refused", async () => {
    const { body } = await register({ redirect_uris: `${REDIRECT}\nhttp://127.0.0.1/other` });
    const other = (await register()).body;
    const codes = await Promise.all([0, 1, 2].map(async () => codeFrom((await consent(camp, "alice", authorizeUrl(body.client_id!))).answer)));
    const wrongUri = await exchange({ code: codes[0]!, client_id: body.client_id!, client_secret: body.client_secret!, redirect_uri: "http://127.0.0.1/other" });
    expect([wrongUri.status, await wrongUri.json()]).toEqual([400, INVALID_GRANT]);
    const otherApp = await exchange({ code: codes[1]!, client_id: other.client_id!, client_secret: other.client_secret! });
    expect([otherApp.status, await otherApp.json()]).toEqual([400, INVALID_GRANT]);
    await camp.db.updateTable("oauth_codes").set({ expires_at: Date.now() - 1 }).where("used_at", "is", null).execute();
    const expired = await exchange({ code: codes[2]!, client_id: body.client_id!, client_secret: body.client_secret! });
    expect([expired.status, await expired.json()]).toEqual([400, INVALID_GRANT]);
    const badSecret = await exchange({ code: codes[2]!, client_id: body.client_id!, client_secret: "wrong" });
    expect(badSecret.status).toBe(401);
    expect(await badSecret.json()).toEqual({ error: "invalid_client", error_description: "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method." });
  });

  test("PKCE S256: the right verifier gets the token; a wrong or missing one does not; plain is refused", async () => {
    const { body } = await register();
    const verifier = randomBytes(32).toString("base64url");
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const pkce = { code_challenge: challenge, code_challenge_method: "S256" };
    const [good, wrong, missing] = await Promise.all([0, 1, 2].map(async () => codeFrom((await consent(camp, "alice", authorizeUrl(body.client_id!, pkce))).answer)));
    const secret = { client_id: body.client_id!, client_secret: body.client_secret! };
    expect((await exchange({ ...secret, code: wrong!, code_verifier: randomBytes(32).toString("base64url") })).status).toBe(400);
    expect((await exchange({ ...secret, code: missing! })).status).toBe(400);
    const ok = await exchange({ ...secret, code: good!, code_verifier: verifier });
    expect(ok.status).toBe(200);
    const browser = await camp.loggedIn("alice");
    const plain = new URL(authorizeUrl(body.client_id!, { code_challenge: challenge, code_challenge_method: "plain" }));
    expect((await browser.get(plain.pathname + plain.search)).status).toBe(400);
  });

  test("client credentials give an app token: it verifies the app but may not act as a member", async () => {
    const { body } = await register();
    const response = await camp.client().request("/oauth/token", form({ grant_type: "client_credentials", client_id: body.client_id!, client_secret: body.client_secret!, scope: "read" }));
    const token = (await response.json() as { access_token: string }).access_token;
    const app = await camp.client().request("/api/v1/apps/verify_credentials", bearer(token));
    expect(await app.json()).toMatchObject({ name: "Pocket" });
    const me = await verify(token);
    expect([me.status, await me.json()]).toEqual([422, { error: "This method requires an authenticated user" }]);
    const wider = await camp.client().request("/oauth/token", form({ grant_type: "client_credentials", client_id: body.client_id!, client_secret: body.client_secret!, scope: "read push" }));
    expect([wider.status, await wider.json()]).toEqual([400, { error: "invalid_scope", error_description: "The requested scope is invalid, unknown, or malformed." }]);
    const unknownGrant = await camp.client().request("/oauth/token", form({ grant_type: "password", client_id: body.client_id!, client_secret: body.client_secret! }));
    expect(unknownGrant.status).toBe(400);
    expect((await unknownGrant.json() as { error: string }).error).toBe("unsupported_grant_type");
  });
});

describe("tokens at work", () => {
  test("a missing, unknown, expired or revoked token is 401; a token without the scope is 403 and writes nothing", async () => {
    expect([(await camp.client().get("/api/v1/timelines/home")).status]).toEqual([401]);
    const garbage = await camp.client().request("/api/v1/timelines/home", bearer("not-a-token"));
    expect([garbage.status, await garbage.json()]).toEqual([401, { error: "The access token is invalid" }]);
    // A stale token does not stop an app from reading the instance or registering again.
    expect((await camp.client().request("/api/v1/instance", bearer("not-a-token"))).status).toBe(200);
    expect((await camp.client().request("/api/v1/apps", bearer("not-a-token", json({ client_name: "Again", redirect_uris: REDIRECT })))).status).toBe(200);

    const readOnly = await tokenFor(camp, "alice", "read");
    const posts = async () => Number((await camp.db.selectFrom("posts").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    const before = await posts();
    const write = await camp.client().request("/api/v1/statuses", bearer(readOnly, json({ status: "may I?" })));
    expect([write.status, await write.json()]).toEqual([403, { error: "This action is outside the authorized scopes" }]);
    expect(await posts()).toBe(before);

    const expiring = await tokenFor(camp, "alice", "read");
    expect((await verify(expiring)).status).toBe(200);
    await camp.db.updateTable("oauth_tokens").set({ expires_at: Date.now() - 1 }).where("revoked_at", "is", null).where("scopes", "=", "read").execute();
    expect((await verify(expiring)).status).toBe(401);
  });

  test("a sub-scope is enough for its part and no more", async () => {
    const token = await tokenFor(camp, "alice", "read:statuses write:statuses");
    expect((await camp.client().request("/api/v1/timelines/home", bearer(token))).status).toBe(200);
    expect((await camp.client().request("/api/v1/notifications", bearer(token))).status).toBe(403);
  });

  test("the app revokes its own token; another app may not", async () => {
    const registered = (await register()).body;
    const code = codeFrom((await consent(camp, "alice", authorizeUrl(registered.client_id!))).answer);
    const { access_token } = await (await exchange({ code, client_id: registered.client_id!, client_secret: registered.client_secret! })).json() as { access_token: string };
    const other = (await register()).body;
    const refused = await camp.client().request("/oauth/revoke", form({ client_id: other.client_id!, client_secret: other.client_secret!, token: access_token }));
    expect([refused.status, await refused.json()]).toEqual([403, { error: "unauthorized_client", error_description: "You are not authorized to revoke this token" }]);
    expect((await verify(access_token)).status).toBe(200);
    const revoked = await camp.client().request("/oauth/revoke", form({ client_id: registered.client_id!, client_secret: registered.client_secret!, token: access_token }));
    expect([revoked.status, await revoked.json()]).toEqual([200, {}]);
    expect((await verify(access_token)).status).toBe(401);
  });

  test("the member sees the app under Settings, Apps, and revoking it signs it out at once", async () => {
    const token = await tokenFor(camp, "bob", "read");
    const browser = await camp.loggedIn("bob");
    expect(await (await browser.get("/settings")).text()).toContain('href="/settings/apps"');
    const page = await (await browser.get("/settings/apps")).text();
    expect(page).toContain("Test app");
    const appId = page.match(/action="\/settings\/apps\/(\d+)\/revoke"/)![1]!;
    const revoked = await browser.post(`/settings/apps/${appId}/revoke`);
    expect(revoked.status).toBe(303);
    expect((await verify(token)).status).toBe(401);
    expect(await (await browser.get("/settings/apps")).text()).not.toContain("Test app");
  });

  test("suspending a member revokes their tokens at once", async () => {
    const carolId = await camp.addMember("carol");
    const token = await tokenFor(camp, "carol", "read");
    expect((await verify(token)).status).toBe(200);
    const operator = { id: await camp.addMember("olga", "operator"), role: "operator" };
    await suspendMember(camp.db, carolId, operator);
    expect((await verify(token)).status).toBe(401);
    const live = await camp.db.selectFrom("oauth_tokens").select("id").where("account_id", "=", carolId).where("revoked_at", "is", null).execute();
    expect(live).toEqual([]);
  });

  test("CORS is open to other origins as Mastodon sends it, for browser apps", async () => {
    const preflight = await camp.client().request("/api/v1/timelines/home", {
      method: "OPTIONS", headers: { origin: "https://phanpy.example", "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("authorization");
    const token = await tokenFor(camp, "alice", "read");
    const response = await camp.client().request("/api/v1/timelines/home", bearer(token, { headers: { origin: "https://phanpy.example" } }));
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-expose-headers")).toContain("Link");
  });

  test("every request is counted per token, reads and writes alike: the 301st in five minutes is 429, and another token is not held back", async () => {
    const token = await tokenFor(camp, "alice", "read write");
    const mark = (t: string, id: number) => camp.client().request("/api/v1/markers", bearer(t, json({ home: { last_read_id: String(id) } })));
    const started = Date.now();
    const first = await camp.client().request("/api/v1/markers", bearer(token));
    expect(first.status).toBe(200);
    expect([first.headers.get("x-ratelimit-limit"), first.headers.get("x-ratelimit-remaining")]).toEqual(["300", "299"]);
    const reset = Date.parse(first.headers.get("x-ratelimit-reset")!);
    expect(reset).toBeGreaterThan(started + 4 * 60 * 1000);
    expect(reset).toBeLessThanOrEqual(Date.now() + 5 * 60 * 1000);
    const statuses: number[] = [];
    for (let i = 1; i <= 149; i++) statuses.push((await camp.client().request("/api/v1/markers", bearer(token))).status);
    let lastAllowed: Response | null = null;
    for (let i = 1; i <= 151; i++) {
      const response = await mark(token, i);
      statuses.push(response.status);
      if (i === 150) lastAllowed = response;
    }
    expect(statuses.slice(0, 299).every((s) => s === 200)).toBe(true);
    expect(lastAllowed!.headers.get("x-ratelimit-remaining")).toBe("0");
    const last = await camp.client().request("/api/v1/markers", bearer(token));
    expect([statuses[299], last.status, await last.json()]).toEqual([429, 429, { error: "Too many requests" }]);
    expect(last.headers.get("x-ratelimit-remaining")).toBe("0");
    const marker = await camp.db.selectFrom("api_markers").select("last_read_id").where("account_id", "=", aliceId).where("timeline", "=", "home").executeTakeFirstOrThrow();
    expect(marker.last_read_id).toBe(150);
    expect((await mark(await tokenFor(camp, "bob", "read write"), 1)).status).toBe(200);
    expect(camp.logs.some((l) => l.includes("api: rate limited"))).toBe(true);
  });

  test("the operator may set another limit (KITH_API_RATE_LIMIT)", async () => {
    const small = await testCamp({ env: { KITH_API_RATE_LIMIT: "2" } });
    try {
      await small.addMember("alice");
      const token = await tokenFor(small, "alice", "read");
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await small.client().request("/api/v1/markers", bearer(token))).status);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await small.close();
    }
  });

  test("requests without a token are limited per address", async () => {
    const client = camp.client();
    client.address = "10.99.0.1";
    const statuses: number[] = [];
    for (let i = 0; i < 301; i++) statuses.push((await client.request("/api/v1/custom_emojis")).status);
    expect([statuses[299], statuses[300]]).toEqual([200, 429]);
  });
});
