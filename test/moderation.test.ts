/**
 * The operator looking after members: a private note, the moderator role, suspension (no login,
 * content hidden, every session ended at once), reinstatement, and password-reset links.
 */
import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { PASSWORD, testCamp, type TestCamp, type TestClient } from "./support/camp.ts";
import { countRows, errorMessageOf, pathOf, snapshot, textById, textOf } from "./support/pages.ts";

// Every login hashes a password with scrypt (memory-hard by design): slow machines need more than 5 s.
setDefaultTimeout(30_000);

let camp: TestCamp;
let operator: TestClient;
let samId: number;
beforeEach(async () => {
  camp = await testCamp();
  await camp.addMember("olga", "operator");
  samId = await camp.addMember("sam");
  operator = await camp.loggedIn("olga");
});
afterEach(() => camp.close());

const memberPage = async () => textOf(await (await operator.get(`/admin/members/${samId}`)).text());

describe("the operator's note", () => {
  test("is saved and shown only on the admin page", async () => {
    expect((await operator.post(`/admin/members/${samId}/note`, { note: "Met at the wall; likes bouldering." })).status).toBe(303);
    expect(await memberPage()).toContain("Met at the wall; likes bouldering.");
    const sam = await camp.loggedIn("sam");
    expect(await (await sam.get("/@sam")).text()).not.toContain("Met at the wall");
    expect((await sam.get(`/admin/members/${samId}`)).status).toBe(403);
    expect((await sam.post(`/admin/members/${samId}/note`, { note: "sam edits" })).status).toBe(403);
  });

  test("a note that is too long is refused with 422 and the old note stays", async () => {
    await operator.post(`/admin/members/${samId}/note`, { note: "first note" });
    const response = await operator.post(`/admin/members/${samId}/note`, { note: "x".repeat(5001) });
    expect(response.status).toBe(422);
    expect(errorMessageOf(await response.text())).toContain("at most 5000 characters");
    const row = await camp.db.selectFrom("members").select("operator_note").where("account_id", "=", samId).executeTakeFirstOrThrow();
    expect(row.operator_note).toBe("first note");
  });

  test("a member that does not exist is 404", async () => {
    expect((await operator.post("/admin/members/999/note", { note: "x" })).status).toBe(404);
    expect((await operator.get("/admin/members/999")).status).toBe(404);
  });
});

describe("the moderator role", () => {
  test("is given and taken back, and shows in the directory", async () => {
    expect((await operator.post(`/admin/members/${samId}/role/moderator`)).status).toBe(303);
    expect(await memberPage()).toContain("Sam · moderator");
    expect(textOf(await (await operator.get("/members")).text())).toMatch(/@sam moderator/);
    expect((await operator.post(`/admin/members/${samId}/role/member`)).status).toBe(303);
    expect(await memberPage()).toContain("Sam · member");
  });

  test("a moderator is not the operator: the admin pages stay closed", async () => {
    await operator.post(`/admin/members/${samId}/role/moderator`);
    const sam = await camp.loggedIn("sam");
    expect((await sam.get("/admin")).status).toBe(403);
  });

  test("the operator's own role and state cannot be changed", async () => {
    const olga = (await camp.db.selectFrom("accounts").select("id").where("handle", "=", "olga").executeTakeFirstOrThrow()).id;
    for (const action of ["role/member", "role/moderator", "suspend"]) {
      const response = await operator.post(`/admin/members/${olga}/${action}`);
      expect(response.status).toBe(403);
      expect(errorMessageOf(await response.text())).toContain("cannot be changed here");
    }
    const row = await camp.db.selectFrom("members").select("role").where("account_id", "=", olga).executeTakeFirstOrThrow();
    expect(row.role).toBe("operator");
  });
});

describe("suspension", () => {
  test("ends every open session at once, blocks login and hides the member; reinstating undoes it", async () => {
    const phone = await camp.loggedIn("sam");
    const laptop = await camp.loggedIn("sam");
    expect(await countRows(camp.db, "sessions")).toBe(3);

    expect((await operator.post(`/admin/members/${samId}/suspend`)).status).toBe(303);
    expect(await memberPage()).toContain("suspended since");
    expect(await countRows(camp.db, "sessions")).toBe(1);
    for (const device of [phone, laptop]) {
      const response = await device.get("/settings");
      expect(response.status).toBe(303);
      expect(response.headers.get("location")).toStartWith("/login");
      expect((await device.post("/settings/profile", { displayName: "Still here", bio: "" })).status).toBe(303);
    }
    const account = await camp.db.selectFrom("accounts").select("display_name").where("id", "=", samId).executeTakeFirstOrThrow();
    expect(account.display_name).toBe("Sam");

    const login = await camp.client().post("/login", { handle: "sam", password: PASSWORD });
    expect(login.status).toBe(401);
    expect(errorMessageOf(await login.text())).toBe("That handle and password do not match a member who can log in.");
    expect((await operator.get("/@sam")).status).toBe(404);
    expect(textOf(await (await operator.get("/members")).text())).not.toContain("@sam");
    expect(textOf(await (await operator.get("/admin/members")).text())).toMatch(/@sam Sam member suspended/);

    expect((await operator.post(`/admin/members/${samId}/reinstate`)).status).toBe(303);
    expect((await camp.client().post("/login", { handle: "sam", password: PASSWORD })).status).toBe(303);
    expect((await operator.get("/@sam")).status).toBe(200);
    expect(textOf(await (await operator.get("/members")).text())).toContain("@sam");
  });

  test("a suspended member's reset link does not let them back in", async () => {
    const made = await operator.post(`/admin/members/${samId}/reset-link`);
    const link = textById(await made.text(), "reset-link")!;
    await operator.post(`/admin/members/${samId}/suspend`);
    expect((await camp.client().post(pathOf(link), { password: "a brand new password" })).status).toBe(303);
    expect((await camp.client().post("/login", { handle: "sam", password: "a brand new password" })).status).toBe(401);
    expect(await countRows(camp.db, "sessions")).toBe(1);
  });
});

describe("password-reset links", () => {
  async function makeLink(): Promise<string> {
    const response = await operator.post(`/admin/members/${samId}/reset-link`);
    expect(response.status).toBe(200);
    const link = textById(await response.text(), "reset-link")!;
    expect(link).toStartWith(`${camp.config.origin}/reset/`);
    return pathOf(link);
  }

  test("works once, ends the member's old sessions, and the new password works", async () => {
    const oldDevice = await camp.loggedIn("sam");
    const path = await makeLink();
    const sam = camp.client();
    const page = await sam.get(path);
    expect(page.status).toBe(200);
    expect(textOf(await page.text())).toContain("Choose a new password for @sam");

    const done = await sam.post(path, { password: "a brand new password" });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe("/login?notice=reset");
    expect((await oldDevice.get("/settings")).status).toBe(303);
    expect((await camp.client().post("/login", { handle: "sam", password: PASSWORD })).status).toBe(401);
    expect((await camp.client().post("/login", { handle: "sam", password: "a brand new password" })).status).toBe(303);

    // Posted a second time (or opened again): refused cleanly, the password stays.
    const before = await snapshot(camp.db);
    const again = await sam.post(path, { password: "someone else's password" });
    expect(again.status).toBe(410);
    expect(errorMessageOf(await again.text())).toContain("has been used or has expired");
    expect((await camp.client().get(path)).status).toBe(410);
    expect(await snapshot(camp.db)).toEqual(before);
    expect((await camp.client().post("/login", { handle: "sam", password: "someone else's password" })).status).toBe(401);
  });

  test("a password that is too short is refused and the link still works after", async () => {
    const path = await makeLink();
    const short = await camp.client().post(path, { password: "short" });
    expect(short.status).toBe(422);
    expect(errorMessageOf(await short.text())).toContain("at least 10 characters");
    expect((await camp.client().post(path, { password: "a brand new password" })).status).toBe(303);
  });

  test("a newer link replaces an older one, and an expired link is refused", async () => {
    const older = await makeLink();
    const newer = await makeLink();
    expect((await camp.client().get(older)).status).toBe(410);
    await camp.db.updateTable("password_resets").set({ expires_at: Date.now() - 1000 }).execute();
    const expired = await camp.client().post(newer, { password: "a brand new password" });
    expect(expired.status).toBe(410);
    expect((await camp.client().post("/login", { handle: "sam", password: PASSWORD })).status).toBe(303);
  });

  test("a made-up reset link is 404", async () => {
    expect((await camp.client().get("/reset/made-up")).status).toBe(404);
    expect((await camp.client().post("/reset/made-up", { password: "a brand new password" })).status).toBe(404);
  });
});

describe("the onboarding checklist", () => {
  test("ticks 'profile filled in' once the member writes a bio", async () => {
    expect(await memberPage()).toContain("○ profile filled in (not yet)");
    const sam = await camp.loggedIn("sam");
    await sam.post("/settings/profile", { displayName: "Sam", bio: "Hello!" });
    expect(await memberPage()).toContain("✓ profile filled in (done)");
  });

  test("ticks 'first post' and 'first follow' as the member does them", async () => {
    expect(await memberPage()).toContain("○ first post (not yet)");
    expect(await memberPage()).toContain("○ first follow (not yet)");
    const sam = await camp.loggedIn("sam");
    expect((await sam.post("/posts", { source: "Hello, camp!", audience: "camp" })).status).toBe(303);
    expect(await memberPage()).toContain("✓ first post (done)");
    const olga = (await camp.db.selectFrom("accounts").select("id").where("handle", "=", "olga").executeTakeFirstOrThrow()).id;
    expect((await sam.post(`/accounts/${olga}/follow`)).status).toBe(303);
    expect(await memberPage()).toContain("✓ first follow (done)");
  });
});

describe("profile saves", () => {
  test("posting the same profile twice is harmless: same result, no new rows", async () => {
    const sam = await camp.loggedIn("sam");
    const fields = { displayName: "Sam S.", bio: "Climber." };
    expect((await sam.post("/settings/profile", fields)).status).toBe(303);
    const before = await snapshot(camp.db);
    const firstRow = await camp.db.selectFrom("accounts").select(["display_name", "bio_html"]).where("id", "=", samId).executeTakeFirstOrThrow();
    expect((await sam.post("/settings/profile", fields)).status).toBe(303);
    expect(await snapshot(camp.db)).toEqual(before);
    expect(await camp.db.selectFrom("accounts").select(["display_name", "bio_html"]).where("id", "=", samId).executeTakeFirstOrThrow()).toEqual(firstRow);
  });

  test("an empty display name or an overlong bio is refused with 422 and the profile stays", async () => {
    const sam = await camp.loggedIn("sam");
    const empty = await sam.post("/settings/profile", { displayName: "  ", bio: "new bio" });
    expect(empty.status).toBe(422);
    expect(errorMessageOf(await empty.text())).toContain("cannot be empty");
    const long = await sam.post("/settings/profile", { displayName: "Sam", bio: "x".repeat(2001) });
    expect(long.status).toBe(422);
    const row = await camp.db.selectFrom("accounts").select(["display_name", "bio_source"]).where("id", "=", samId).executeTakeFirstOrThrow();
    expect(row).toEqual({ display_name: "Sam", bio_source: "" });
  });
});
