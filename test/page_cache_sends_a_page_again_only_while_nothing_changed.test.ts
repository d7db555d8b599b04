/**
 * The page cache (src/web/pageCache.ts) sends a member the page they asked a moment ago only while
 * nothing in the database has changed: a write by this process or by another connection to the file
 * makes it draw the page again, another reader or another CSRF token never gets someone else's
 * page, an htmx fragment and a whole page are kept apart, a logout ends it, and a kept page is never
 * older than FRESH_FOR_MS. Whether an answer came from the cache is read from the request log.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { testCamp, type TestCamp, type TestClient } from "./support/camp.ts";
import { postAs } from "./support/posts.ts";
import { openStore, type Store } from "../src/db/open.ts";
import { likePost } from "../src/domain/posts/likes.ts";
import { FRESH_FOR_MS, PageCache } from "../src/web/pageCache.ts";

let camp: TestCamp;
let other: Store;
const ids: Record<string, number> = {};
const readers: Record<string, TestClient> = {};
let soup: number;

/** Asks a page and says whether the log line of that request says it came from the cache. */
async function ask(reader: TestClient, path: string, headers: Record<string, string> = {}) {
  const before = camp.logs.length;
  const response = await reader.get(path, headers);
  const lines = camp.logs.slice(before).map((line) => JSON.parse(line)).filter((line) => line.message === "request");
  expect(lines).toHaveLength(1);
  return { status: response.status, body: await response.text(), cached: lines[0].cached === true };
}

beforeAll(async () => {
  camp = await testCamp();
  for (const handle of ["ada", "bo", "cy"]) {
    ids[handle] = await camp.addMember(handle);
    readers[handle] = await camp.loggedIn(handle);
  }
  soup = await postAs(camp, ids.ada!, { source: "Soup on Sunday, all welcome" });
  // A second connection to the same file stands for another process (an HTTP worker, the queue).
  other = await openStore(camp.config.dbFile);
});

afterAll(async () => {
  await other.close();
  await camp.close();
});

test("a page asked again with nothing changed comes from the cache, byte for byte", async () => {
  for (const path of ["/", "/camp", `/posts/${soup}`, "/@ada"]) {
    const first = await ask(readers.bo!, path);
    const second = await ask(readers.bo!, path);
    expect(first.status).toBe(200);
    expect(first.cached).toBe(false);
    expect(second.cached).toBe(true);
    expect(second.body).toBe(first.body);
  }
});

test("a write by this process makes the kept page stale at once", async () => {
  expect((await ask(readers.bo!, "/camp")).cached).toBe(true);
  expect((await readers.ada!.post("/posts", { source: "Bread on Monday", audience: "camp", next: "/" })).status).toBe(303);
  const after = await ask(readers.bo!, "/camp");
  expect(after.cached).toBe(false);
  expect(after.body).toContain("Bread on Monday");
});

test("a write by another connection to the file makes the kept page stale at once", async () => {
  const before = await ask(readers.bo!, `/posts/${soup}`);
  expect(before.body).not.toContain("1 like");
  expect((await ask(readers.bo!, `/posts/${soup}`)).cached).toBe(true);
  await likePost(other.db, ids.cy!, soup);
  const after = await ask(readers.bo!, `/posts/${soup}`);
  expect(after.cached).toBe(false);
  expect(after.body).toContain("1 like");
  expect((await ask(readers.bo!, `/posts/${soup}`)).cached).toBe(true);
});

test("another reader, or the same reader with another CSRF token, never gets a kept page", async () => {
  await ask(readers.bo!, "/camp");
  expect((await ask(readers.bo!, "/camp")).cached).toBe(true);
  const cy = await ask(readers.cy!, "/camp");
  expect(cy.cached).toBe(false);
  expect(cy.body).not.toContain(readers.bo!.csrf!);
  expect(cy.body).toContain(readers.cy!.csrf!);
  // A second browser of Bo's: a session and a CSRF cookie of its own.
  const boElsewhere = await camp.loggedIn("bo");
  const elsewhere = await ask(boElsewhere, "/camp");
  expect(elsewhere.cached).toBe(false);
  expect(elsewhere.body).toContain(boElsewhere.csrf!);
  expect(elsewhere.body).not.toContain(readers.bo!.csrf!);
});

test("an htmx fragment and the whole page are kept apart", async () => {
  const whole = await ask(readers.bo!, `/camp?before=${soup + 1}`);
  const fragment = await ask(readers.bo!, `/camp?before=${soup + 1}`, { "hx-request": "true" });
  expect(whole.body).toContain("<!doctype html>");
  expect(fragment.cached).toBe(false);
  expect(fragment.body).not.toContain("<!doctype html>");
  expect((await ask(readers.bo!, `/camp?before=${soup + 1}`, { "hx-request": "true" })).cached).toBe(true);
  expect((await ask(readers.bo!, `/camp?before=${soup + 1}`)).body).toContain("<!doctype html>");
});

test("after logging out, the same cookie gets the login page, not the kept page", async () => {
  const leaving = await camp.loggedIn("cy");
  await ask(leaving, "/camp");
  expect((await ask(leaving, "/camp")).cached).toBe(true);
  const jar = new Map(leaving.cookies);
  expect((await leaving.post("/logout")).status).toBe(303);
  for (const [name, value] of jar) leaving.cookies.set(name, value);
  const after = await ask(leaving, "/camp");
  expect(after.cached).toBe(false);
  expect(after.status).toBe(303);
});

test("a kept page is sent only while younger than FRESH_FOR_MS, and the least recently sent go first when full", () => {
  const cache = new PageCache(30, FRESH_FOR_MS);
  const page = (body: string, drawnAt: number) => ({ version: "1.1", drawnAt, body, headers: {} });
  cache.put("a", page("0123456789", 1000));
  expect(cache.get("a", "1.1", 1000 + FRESH_FOR_MS - 1)?.body).toBe("0123456789");
  expect(cache.get("a", "1.2", 1001)).toBeUndefined();
  cache.put("a", page("0123456789", 1000));
  expect(cache.get("a", "1.1", 999)).toBeUndefined();
  cache.put("a", page("0123456789", 1000));
  expect(cache.get("a", "1.1", 1000 + FRESH_FOR_MS)).toBeUndefined();
  expect(cache.size).toBe(0);

  cache.put("x", page("x".repeat(10), 0));
  cache.put("y", page("y".repeat(10), 0));
  expect(cache.get("x", "1.1", 0)).toBeDefined();
  cache.put("z", page("z".repeat(15), 0));
  expect(cache.get("y", "1.1", 0)).toBeUndefined();
  expect(cache.get("x", "1.1", 0)).toBeDefined();
  expect(cache.get("z", "1.1", 0)).toBeDefined();
  cache.put("huge", page("h".repeat(31), 0));
  expect(cache.get("huge", "1.1", 0)).toBeUndefined();
  expect(cache.size).toBe(2);
});

test("an unsigned actor fetch is kept for every asker alike; a signed one and a browser's never are", async () => {
  const peer = camp.client();
  const asJson = { accept: "application/activity+json" };
  // The first fetch ever makes Ada's keys (a write), so the pair below starts after it.
  await ask(peer, "/users/ada", asJson);
  const first = await ask(peer, "/users/ada", asJson);
  const second = await ask(camp.client(), "/users/ada", asJson);
  expect(first.status).toBe(200);
  expect(second.cached).toBe(true);
  expect(second.body).toBe(first.body);
  expect((await ask(peer, "/@ada", asJson)).cached).toBe(false);
  expect((await ask(peer, "/@ada", asJson)).cached).toBe(true);

  expect((await readers.ada!.post("/settings/profile", { displayName: "Ada Lovelace", bio: "" })).status).toBe(303);
  const renamed = await ask(peer, "/users/ada", asJson);
  expect(renamed.cached).toBe(false);
  expect(JSON.parse(renamed.body).name).toBe("Ada Lovelace");

  // A signature, even a broken one, is checked every time, never answered from the cache.
  const signed = await ask(peer, "/users/ada", { ...asJson, signature: 'keyId="https://elsewhere.example/actor#main-key",signature="AAAA"' });
  expect(signed.cached).toBe(false);
  expect(signed.status).not.toBe(200);
  // A browser asking the same address is sent to the profile page, never a kept document or page.
  for (let i = 0; i < 2; i++) {
    const browser = await ask(camp.client(), "/@ada", { accept: "text/html" });
    expect(browser.cached).toBe(false);
    expect(browser.status).toBe(303);
  }
});

test("a WebFinger answer is kept until a write, and a member who can no longer be found is not", async () => {
  const peer = camp.client();
  const address = `/.well-known/webfinger?resource=${encodeURIComponent(`acct:cy@${camp.config.domain}`)}`;
  const first = await ask(peer, address);
  expect(first.status).toBe(200);
  expect((await ask(peer, address)).cached).toBe(true);
  await other.db.updateTable("accounts").set({ suspended_at: Date.now() }).where("id", "=", ids.cy!).execute();
  for (let i = 0; i < 2; i++) {
    const gone = await ask(peer, address);
    expect(gone.cached).toBe(false);
    expect(gone.status).toBe(404);
  }
});
