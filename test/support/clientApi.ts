/**
 * Helpers for the client API tests: the consent form submitted as a browser would (fetched with the
 * member's session cookie, posted back with its CSRF token and hidden fields), and a token in one step.
 */
import { PASSWORD, type TestCamp } from "./camp.ts";

let logins = 0;

/** A browser logged in as the member, from an address of its own (logins are rate limited per address). */
async function browserOf(camp: TestCamp, handle: string) {
  const browser = camp.client();
  logins += 1;
  browser.address = `10.12.${Math.floor(logins / 250)}.${(logins % 250) + 1}`;
  const login = await browser.post("/login", { handle, password: PASSWORD });
  if (login.status !== 303) throw new Error(`login as ${handle} failed with ${login.status}`);
  return browser;
}

/** The hidden fields and buttons of the consent form, read from its HTML. */
export function consentFields(html: string): Record<string, string> {
  const form = html.match(/<form method="post" action="\/oauth\/authorize"[\s\S]*?<\/form>/)?.[0];
  if (!form) throw new Error(`no consent form in the page:\n${html.slice(0, 2000)}`);
  const fields: Record<string, string> = {};
  const unescape = (v: string) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  for (const input of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) fields[input[1]!] = unescape(input[2]!);
  return fields;
}

/** Opens the authorize URL as the member, approves (or denies) it, and returns the redirect the camp answers with. */
export async function consent(camp: TestCamp, handle: string, authorizeUrl: string, decision: "approve" | "deny" = "approve") {
  const browser = await browserOf(camp, handle);
  const url = new URL(authorizeUrl);
  const page = await browser.get(url.pathname + url.search);
  if (page.status !== 200) throw new Error(`the consent page answered ${page.status}: ${await page.text()}`);
  const html = await page.text();
  const fields = consentFields(html);
  const answer = await browser.post("/oauth/authorize", { ...fields, decision });
  return { html, fields, answer, browser };
}

/** The authorization code from the consent's redirect. */
export function codeFrom(answer: Response): string {
  const location = answer.headers.get("location");
  const code = location ? new URL(location).searchParams.get("code") : null;
  if (!code) throw new Error(`no code in the answer ${answer.status} ${location}`);
  return code;
}

export const REDIRECT = "http://127.0.0.1/callback";

/** Registers an app, has the member approve it and returns a token with these scopes. */
export async function tokenFor(camp: TestCamp, handle: string, scopes = "read write follow"): Promise<string> {
  const app = camp.client();
  const registered = await (await app.request("/api/v1/apps", {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ client_name: "Test app", redirect_uris: REDIRECT, scopes }),
  })).json() as { client_id: string; client_secret: string };
  const authorize = `${camp.config.origin}/oauth/authorize?response_type=code&client_id=${registered.client_id}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=${encodeURIComponent(scopes)}`;
  const { answer } = await consent(camp, handle, authorize);
  const token = await (await app.request("/oauth/token", {
    method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code: codeFrom(answer), client_id: registered.client_id, client_secret: registered.client_secret, redirect_uri: REDIRECT }),
  })).json() as { access_token: string };
  return token.access_token;
}
