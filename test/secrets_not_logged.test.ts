/**
 * One-time secrets (setup, invite and reset links, session and CSRF tokens) never reach the log,
 * so whoever reads the log cannot join, take over the camp or reset a password with them.
 */
import { afterEach, beforeEach, expect, setDefaultTimeout, test } from "bun:test";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { pathOf, textById } from "./support/pages.ts";
import { issueSetupToken } from "../src/domain/members/setup.ts";

// Every login hashes a password with scrypt (memory-hard by design): slow machines need more than 5 s.
setDefaultTimeout(30_000);

let camp: TestCamp;
beforeEach(async () => {
  camp = await testCamp();
});
afterEach(() => camp.close());

test("the onboarding story leaves no secret in the log", async () => {
  const secrets: string[] = [];
  const setupToken = (await issueSetupToken(camp.db))!;
  secrets.push(setupToken);
  const operator = camp.client();
  await operator.get(`/setup/${setupToken}`);
  expect((await operator.post(`/setup/${setupToken}`, { handle: "olga", displayName: "Olga", password: "a long operator password" })).status).toBe(303);

  const invite = textById(await (await operator.post("/admin/invites", { note: "Sam", days: "7" })).text(), "new-invite-link")!;
  secrets.push(pathOf(invite).split("/").pop()!);
  const friend = camp.client();
  await friend.get(pathOf(invite));
  // A refused post (no CSRF token) logs a warning with the path: still without the secret.
  expect((await friend.request(pathOf(invite), { method: "POST", body: new URLSearchParams({ handle: "sam" }) })).status).toBe(403);
  expect((await friend.post(pathOf(invite), { handle: "sam", displayName: "Sam", password: "sam's long password" })).status).toBe(303);

  const samId = (await camp.db.selectFrom("accounts").select("id").where("handle", "=", "sam").executeTakeFirstOrThrow()).id;
  const reset = textById(await (await operator.post(`/admin/members/${samId}/reset-link`)).text(), "reset-link")!;
  secrets.push(pathOf(reset).split("/").pop()!);
  await friend.get(pathOf(reset));
  expect((await friend.post(pathOf(reset), { password: "a brand new password" })).status).toBe(303);

  secrets.push(operator.cookies.get("kith_session")!, operator.csrf!, friend.csrf!);
  const log = camp.logs.join("\n");
  for (const path of ["/setup/[secret]", "/join/[secret]", "/reset/[secret]"]) expect(log).toContain(`"path":"${path}"`);
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(20);
    expect(log).not.toContain(secret);
  }
});
