/**
 * CSRF: every state-changing request needs the token from the visitor's own cookie, in the form or
 * the X-CSRF-Token header; without it the answer is 403 and nothing is written.
 */
import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { PASSWORD, testCamp, type TestCamp } from "./support/camp.ts";
import { snapshot } from "./support/pages.ts";
import { createInvite } from "../src/domain/members/invites.ts";
import { issueSetupToken } from "../src/domain/members/setup.ts";
import { getCamp } from "../src/domain/camp/settings.ts";

// Every login hashes a password with scrypt (memory-hard by design): slow machines need more than 5 s.
setDefaultTimeout(30_000);

let camp: TestCamp;
beforeEach(async () => {
  camp = await testCamp();
});
afterEach(() => camp.close());

/** Every form in the onboarding story, with fields that would succeed given a valid token. */
async function forms(): Promise<[string, Record<string, string>][]> {
  const setup = (await issueSetupToken(camp.db))!;
  const invite = await createInvite(camp.db, { note: "", days: 7, createdBy: null });
  const newcomer = { handle: "newcomer", displayName: "New", password: "a long enough password" };
  return [
    [`/setup/${setup}`, newcomer],
    [`/join/${invite.token}`, newcomer],
    ["/login", { handle: "olga", password: PASSWORD }],
    ["/admin", { name: "Renamed by an attacker", description: "", rules: "", about: "", supportUrl: "" }],
    ["/admin/invites", { note: "attacker", days: "7" }],
    ["/settings/profile", { displayName: "Hacked", bio: "hacked" }],
    ["/settings/password", { current: PASSWORD, password: "attacker's password" }],
    ["/logout", {}],
  ];
}

describe("a state-changing request without the right token", () => {
  /** What each case sends as `_csrf` (undefined: the field is left out), given a stranger's own token. */
  const cases: [string, (strangerToken: string) => string | undefined][] = [
    ["missing token", () => undefined],
    ["empty token", () => ""],
    ["wrong token", () => "A".repeat(43)],
    ["another visitor's token", (strangerToken) => strangerToken],
  ];

  for (const [name, tokenToSend] of cases) {
    test(`${name}: 403 on every form and nothing written`, async () => {
      await camp.addMember("olga", "operator");
      const client = await camp.loggedIn("olga");
      const stranger = camp.client();
      await stranger.get("/about");
      const allForms = await forms();
      const state = async () => ({ ...(await snapshot(camp.db)), campName: (await getCamp(camp.db)).name });
      const before = await state();
      for (const [path, fields] of allForms) {
        const token = tokenToSend(stranger.csrf!);
        const body = new URLSearchParams(token === undefined ? fields : { ...fields, _csrf: token });
        const response = await client.request(path, { method: "POST", body });
        expect(response.status, path).toBe(403);
        expect(await response.text()).toContain("reload the page and try again");
      }
      expect(await state()).toEqual(before);
      expect((await client.get("/settings")).status).toBe(200);
    });
  }

  test("a form with the token but no cookie (a forged cross-site post) gets 403", async () => {
    await camp.addMember("olga", "operator");
    const client = await camp.loggedIn("olga");
    const session = client.cookies.get("kith_session")!;
    const response = await camp.app.request(`${camp.config.origin}/admin/invites`, {
      method: "POST",
      headers: { cookie: `kith_session=${session}` },
      body: new URLSearchParams({ _csrf: client.csrf!, note: "forged", days: "7" }),
    }, { ip: "127.0.0.1" });
    expect(response.status).toBe(403);
    expect((await snapshot(camp.db)).invites).toBe(0);
  });

  test("a cross-site Origin is refused even with a matching token", async () => {
    await camp.addMember("olga", "operator");
    const client = await camp.loggedIn("olga");
    const response = await client.request("/admin/invites", {
      method: "POST",
      headers: { origin: "https://evil.example" },
      body: new URLSearchParams({ _csrf: client.csrf!, note: "cross-site", days: "7" }),
    });
    expect(response.status).toBe(403);
    const html = await response.text();
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(html).toContain("sent from another site");
    expect(html).toContain('<main id="main"');
    expect((await snapshot(camp.db)).invites).toBe(0);
  });

  test("a multipart upload without the token gets 403 and stores no file", async () => {
    await camp.addMember("sam");
    const client = await camp.loggedIn("sam");
    const form = new FormData();
    form.append("avatar", new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])], "a.png"));
    const response = await client.request("/settings/avatar", { method: "POST", body: form });
    expect(response.status).toBe(403);
    expect((await snapshot(camp.db)).media).toBe(0);
  });
});

describe("the right token gets through", () => {
  test("in the form, in the X-CSRF-Token header, and with our own Origin", async () => {
    await camp.addMember("olga", "operator");
    const client = await camp.loggedIn("olga");
    const inForm = await client.post("/admin/invites", { note: "form", days: "7" });
    expect(inForm.status).toBe(201);
    const inHeader = await client.request("/admin/invites", {
      method: "POST",
      headers: { "x-csrf-token": client.csrf!, origin: camp.config.origin },
      body: new URLSearchParams({ note: "header", days: "7" }),
    });
    expect(inHeader.status).toBe(201);
    expect((await snapshot(camp.db)).invites).toBe(2);
  });

  test("the token cookie is HttpOnly and SameSite=Lax, and every form carries it", async () => {
    const response = await camp.client().get("/login");
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith("kith_csrf="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const token = cookie.split(";")[0]!.slice("kith_csrf=".length);
    expect(await response.text()).toContain(`name="_csrf" value="${token}"`);
  });
});
