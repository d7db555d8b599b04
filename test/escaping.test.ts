/**
 * Plain text that people type during onboarding (display names, the camp's name and description,
 * invite and operator notes, a typed handle) is shown as text on every page it appears on, never
 * as markup.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { testCamp, type TestCamp, type TestClient } from "./support/camp.ts";
import { dangersIn } from "./support/htmlSafety.ts";
import { createInvite } from "../src/domain/members/invites.ts";

// Every login hashes a password with scrypt (memory-hard by design): slow machines need more than 5 s.
setDefaultTimeout(30_000);

const HOSTILE = `<script>alert(1)</script><img src=x onerror=alert(2)>"'><a href="javascript:alert(3)">x</a>`;
const ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;";

let camp: TestCamp;
let operator: TestClient;
let sam: TestClient;
let samId: number;
let joinPath: string;

beforeAll(async () => {
  camp = await testCamp();
  await camp.addMember("olga", "operator");
  samId = await camp.addMember("sam");
  operator = await camp.loggedIn("olga");
  sam = await camp.loggedIn("sam");
  expect((await operator.post("/admin", { name: HOSTILE.slice(0, 80), description: HOSTILE, rules: "", about: "", supportUrl: "" })).status).toBe(303);
  expect((await operator.post("/admin/invites", { note: HOSTILE, days: "7" })).status).toBe(201);
  expect((await operator.post(`/admin/members/${samId}/note`, { note: HOSTILE })).status).toBe(303);
  expect((await sam.post("/settings/profile", { displayName: HOSTILE.slice(0, 80), bio: "" })).status).toBe(303);
  joinPath = `/join/${(await createInvite(camp.db, { note: "", days: 7, createdBy: null })).token}`;
});
afterAll(() => camp.close());

const pages: [string, () => TestClient][] = [
  ["/", () => camp.client()],
  ["/about", () => camp.client()],
  ["/login", () => camp.client()],
  ["/members", () => sam],
  ["/@sam", () => sam],
  ["/settings", () => sam],
  ["/admin", () => operator],
  ["/admin/invites", () => operator],
  ["/admin/members", () => operator],
];

for (const [path, who] of pages) {
  test(`${path} shows the hostile text as text`, async () => {
    const response = await who().get(path);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(await dangersIn(html, { page: true })).toEqual([]);
    expect(html).toContain(ESCAPED);
  });
}

test("the operator's page for a member shows the note and name as text", async () => {
  const html = await (await operator.get(`/admin/members/${samId}`)).text();
  expect(await dangersIn(html, { page: true })).toEqual([]);
  expect(html).toContain(ESCAPED);
});

test("a refused handle is echoed back as text", async () => {
  const response = await camp.client().post(joinPath, { handle: HOSTILE, displayName: "x", password: "a long enough password" });
  expect(response.status).toBe(422);
  const html = await response.text();
  expect(await dangersIn(html, { page: true })).toEqual([]);
  expect(html).toContain("&lt;script&gt;");
});
