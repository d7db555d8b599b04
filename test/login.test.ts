/**
 * Logging in and out: where `next` may send you, what a wrong password reveals (nothing), how
 * many attempts an address or an account gets, and what the session cookie looks like.
 */
import { afterEach, beforeEach, describe, expect, setDefaultTimeout, setSystemTime, test } from "bun:test";
import { createApp } from "../src/app.ts";
import { openStore } from "../src/db/open.ts";
import { createLogger } from "../src/log.ts";
import { PASSWORD, TestClient, testCamp, type TestCamp } from "./support/camp.ts";
import { countRows, errorMessageOf } from "./support/pages.ts";

// Every login hashes a password with scrypt (memory-hard by design): slow machines need more than 5 s.
setDefaultTimeout(30_000);

let camp: TestCamp;
beforeEach(async () => {
  camp = await testCamp();
  await camp.addMember("sam");
});
afterEach(() => camp.close());

describe("next stays on this site", () => {
  const offSite = ["//evil.example", "https://evil.example", "/\\evil.example", "\\\\evil.example", "/\t/evil.example", "javascript:alert(1)", "http:evil.example", " //evil.example"];

  for (const next of offSite) {
    test(`login with next=${JSON.stringify(next)} lands on /`, async () => {
      const client = camp.client();
      const page = await client.get(`/login?next=${encodeURIComponent(next)}`);
      expect(await page.text()).not.toContain("evil.example");
      const response = await client.post(`/login?next=${encodeURIComponent(next)}`, { handle: "sam", password: PASSWORD });
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toBe("/");
      // Already logged in, the login page redirects at once: still on site.
      const again = await client.get(`/login?next=${encodeURIComponent(next)}`);
      expect(again.headers.get("location")).toBe("/");
    });
  }

  test("a path on this site is kept, query and all", async () => {
    const response = await camp.client().post(`/login?next=${encodeURIComponent("/members?page=2")}`, { handle: "sam", password: PASSWORD });
    expect(response.headers.get("location")).toBe("/members?page=2");
  });
});

describe("a failed login says nothing about who exists", () => {
  const attempt = async (handle: string, password: string) => {
    const response = await camp.client().post("/login", { handle, password });
    const html = (await response.text()).replace(/value="[^"]*"/g, 'value=""');
    return { status: response.status, html, message: errorMessageOf(html) };
  };

  test("wrong password, unknown handle and suspended member get the same page and status", async () => {
    const wrongPassword = await attempt("sam", "not the password");
    const unknown = await attempt("nobody", "not the password");
    await camp.db.updateTable("accounts").set({ suspended_at: Date.now() }).where("handle", "=", "sam").execute();
    const suspended = await attempt("sam", PASSWORD);
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.message).toBe("That handle and password do not match a member who can log in.");
    expect(unknown).toEqual(wrongPassword);
    expect(suspended).toEqual(wrongPassword);
    expect(await countRows(camp.db, "sessions")).toBe(0);
  });
});

describe("too many attempts", () => {
  test("per address: the 21st attempt in the window gets 429, even with the right password", async () => {
    const client = camp.client();
    for (let i = 0; i < 20; i++) {
      const response = await client.post("/login", { handle: `nobody${i}`, password: "wrong password" });
      expect(response.status).toBe(401);
    }
    const blocked = await client.post("/login", { handle: "sam", password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(errorMessageOf(await blocked.text())).toContain("Too many login attempts");
    expect(await countRows(camp.db, "sessions")).toBe(0);
    // Another address is not affected.
    const other = camp.client();
    other.address = "127.0.0.2";
    expect((await other.post("/login", { handle: "sam", password: PASSWORD })).status).toBe(303);
  });

  test("per address across HTTP workers: two processes' apps on one database share the 20 attempts", async () => {
    // A second worker: its own app and its own connection to the same file, as KITH_WORKERS starts.
    const store = await openStore(camp.config.dbFile);
    try {
      const otherWorker = new TestClient(createApp({ db: store.db, config: camp.config, log: createLogger("error", () => {}) }), camp.config.origin);
      const clients = [camp.client(), otherWorker];
      for (let i = 0; i < 20; i++) {
        expect((await clients[i % 2]!.post("/login", { handle: `nobody${i}`, password: "wrong password" })).status).toBe(401);
      }
      for (const client of clients) expect((await client.post("/login", { handle: "sam", password: PASSWORD })).status).toBe(429);
    } finally {
      await store.close();
    }
  });

  test("per account: after 5 failures from anywhere the account waits, whatever the address", async () => {
    for (let i = 0; i < 5; i++) {
      const client = camp.client();
      client.address = `10.0.0.${i + 1}`;
      expect((await client.post("/login", { handle: "Sam", password: "wrong password" })).status).toBe(401);
    }
    const fresh = camp.client();
    fresh.address = "10.0.1.1";
    const blocked = await fresh.post("/login", { handle: "sam", password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(errorMessageOf(await blocked.text())).toContain("Too many login attempts");
    expect(await countRows(camp.db, "sessions")).toBe(0);
    // Other members can still log in from the same address.
    await camp.addMember("kim");
    expect((await fresh.post("/login", { handle: "kim", password: PASSWORD })).status).toBe(303);
  });

  /** A failed login (each for a different handle) sent with an X-Forwarded-For header, as from behind a proxy. */
  let attempts = 0;
  const loginVia = (c: TestCamp, forwardedFor: string, password = "wrong password") => {
    const client = c.client();
    return client.get("/login").then(() =>
      client.request("/login", {
        method: "POST",
        headers: { "x-forwarded-for": forwardedFor },
        body: new URLSearchParams({ _csrf: client.csrf!, handle: `nobody${attempts++}`, password }),
      }),
    );
  };

  test("without a trusted proxy, a made-up X-Forwarded-For does not escape the per-address limit", async () => {
    for (let i = 0; i < 20; i++) expect((await loginVia(camp, `198.51.100.${i}`)).status).toBe(401);
    expect((await loginVia(camp, "198.51.100.99")).status).toBe(429);
  });

  test("behind a trusted proxy, the limit is per address the proxy reports", async () => {
    const proxied = await testCamp({ env: { KITH_TRUST_PROXY: "1" } });
    try {
      for (let i = 0; i < 20; i++) expect((await loginVia(proxied, "203.0.113.5")).status).toBe(401);
      expect((await loginVia(proxied, "203.0.113.5")).status).toBe(429);
      // The proxy appends the real address last; what the client put in front does not count.
      expect((await loginVia(proxied, "203.0.113.6, 203.0.113.5")).status).toBe(429);
      expect((await loginVia(proxied, "203.0.113.5, 203.0.113.6")).status).toBe(401);
    } finally {
      await proxied.close();
    }
  });

  test("successful logins do not count against the account", async () => {
    for (let i = 0; i < 8; i++) {
      const client = camp.client();
      client.address = `10.0.2.${i + 1}`;
      expect((await client.post("/login", { handle: "sam", password: PASSWORD })).status).toBe(303);
    }
  });
});

describe("sessions", () => {
  test("the session cookie is HttpOnly and SameSite=Lax, and holds no stored value", async () => {
    const response = await camp.client().post("/login", { handle: "sam", password: PASSWORD });
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith("kith_session="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const token = cookie.split(";")[0]!.split("=")[1]!;
    const stored = await camp.db.selectFrom("sessions").select("id_hash").execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.id_hash).not.toBe(token);
  });

  test("cookies are Secure when the camp is served over https", async () => {
    const secureCamp = await testCamp({ domain: "camp.example.org" });
    try {
      await secureCamp.addMember("sam");
      const response = await secureCamp.client().post("/login", { handle: "sam", password: PASSWORD });
      expect(response.status).toBe(303);
      for (const cookie of response.headers.getSetCookie()) expect(cookie).toMatch(/; Secure/i);
    } finally {
      await secureCamp.close();
    }
  });

  test("logging in again replaces the old session rather than adding one", async () => {
    const client = await camp.loggedIn("sam");
    const first = client.cookies.get("kith_session");
    expect((await client.post("/login", { handle: "sam", password: PASSWORD })).status).toBe(303);
    expect(client.cookies.get("kith_session")).not.toBe(first);
    expect(await countRows(camp.db, "sessions")).toBe(1);
  });

  test("an expired session lets nobody in, and is swept away at the next login", async () => {
    const client = await camp.loggedIn("sam");
    await camp.db.updateTable("sessions").set({ expires_at: Date.now() - 1000 }).execute();
    expect((await client.get("/settings")).status).toBe(303);
    await camp.loggedIn("sam");
    expect(await countRows(camp.db, "sessions")).toBe(1);
  });

  // Sessions asked at the same database stamp are answered from memory (sessionMember): neither the
  // clock alone nor a write by another process may be missed.
  test("a session answered from memory still ends at its expiry, with no write in between", async () => {
    const client = await camp.loggedIn("sam");
    const { expires_at } = await camp.db.selectFrom("sessions").select("expires_at").executeTakeFirstOrThrow();
    expect((await client.get("/settings")).status).toBe(200);
    expect((await client.get("/settings")).status).toBe(200);
    try {
      setSystemTime(new Date(expires_at + 1000));
      expect((await client.get("/settings")).status).toBe(303);
    } finally {
      setSystemTime();
    }
  });

  test("a session ended by another process is not answered from memory", async () => {
    const client = await camp.loggedIn("sam");
    expect((await client.get("/settings")).status).toBe(200);
    const other = await openStore(camp.config.dbFile);
    try {
      await other.db.deleteFrom("sessions").execute();
    } finally {
      await other.close();
    }
    expect((await client.get("/settings")).status).toBe(303);
  });

  test("logging out ends the session on the server", async () => {
    const client = await camp.loggedIn("sam");
    const token = client.cookies.get("kith_session")!;
    expect((await client.post("/logout")).status).toBe(303);
    expect(await countRows(camp.db, "sessions")).toBe(0);
    const replay = camp.client();
    replay.cookies.set("kith_session", token);
    expect((await replay.get("/members")).status).toBe(303);
  });

  test("changing the password needs the current one, and logs out every other device", async () => {
    const client = await camp.loggedIn("sam");
    const otherDevice = await camp.loggedIn("sam");
    const wrong = await client.post("/settings/password", { current: "not it at all", password: "a brand new password" });
    expect(wrong.status).toBe(422);
    expect(errorMessageOf(await wrong.text())).toBe("Your current password is not right.");
    expect((await client.post("/settings/password", { current: PASSWORD, password: "a brand new password" })).status).toBe(303);
    expect((await client.get("/settings")).status).toBe(200);
    expect((await otherDevice.get("/settings")).status).toBe(303);
    expect(await countRows(camp.db, "sessions")).toBe(1);
    expect((await camp.client().post("/login", { handle: "sam", password: PASSWORD })).status).toBe(401);
    expect((await camp.client().post("/login", { handle: "sam", password: "a brand new password" })).status).toBe(303);
  });
});
