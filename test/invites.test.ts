/**
 * Joining by invite when something is wrong: a taken handle, an expired or used invite, two people
 * using one invite at the same moment, the join form posted twice. Each gets a clear message, the
 * right status, and nothing half-written.
 */
import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { errorMessageOf, snapshot, textById } from "./support/pages.ts";
import { createInvite } from "../src/domain/members/invites.ts";

// Every login hashes a password with scrypt (memory-hard by design): slow machines need more than 5 s.
setDefaultTimeout(30_000);

let camp: TestCamp;
beforeEach(async () => {
  camp = await testCamp();
  await camp.addMember("olga", "operator");
});
afterEach(() => camp.close());

const newcomer = (handle: string) => ({ handle, displayName: handle, password: "a long enough password" });

async function invitePath(days = 7): Promise<string> {
  const invite = await createInvite(camp.db, { note: "test", days, createdBy: null });
  return `/join/${invite.token}`;
}

describe("joining is refused clearly", () => {
  test("a taken handle (in any letter case) gets 409 and spends nothing", async () => {
    await camp.addMember("sam");
    const path = await invitePath();
    const before = await snapshot(camp.db);
    const response = await camp.client().post(path, newcomer("SAM"));
    expect(response.status).toBe(409);
    const html = await response.text();
    expect(errorMessageOf(html)).toBe('The handle "SAM" is taken; pick another.');
    expect(html).toContain('aria-invalid="true"');
    expect(await snapshot(camp.db)).toEqual(before);
    // The invite was not spent: the same person can try another handle.
    expect((await camp.client().post(path, newcomer("sam2"))).status).toBe(303);
  });

  test("a handle that is reserved or malformed gets 422", async () => {
    const path = await invitePath();
    const before = await snapshot(camp.db);
    for (const handle of ["admin", "has space", "", "x".repeat(31), "émile"]) {
      const response = await camp.client().post(path, newcomer(handle));
      expect(response.status).toBe(422);
      expect(errorMessageOf(await response.text())).toMatch(/handle/i);
    }
    expect(await snapshot(camp.db)).toEqual(before);
  });

  test("a short password gets 422 and the typed handle is kept", async () => {
    const path = await invitePath();
    const response = await camp.client().post(path, { handle: "sam", displayName: "Sam", password: "short" });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(errorMessageOf(html)).toContain("at least 10 characters");
    expect(html).toContain('value="sam"');
  });

  test("an expired invite gets 410 on the page and on submit", async () => {
    const path = await invitePath(1);
    await camp.db.updateTable("invites").set({ expires_at: Date.now() - 1000 }).execute();
    const page = await camp.client().get(path);
    expect(page.status).toBe(410);
    expect(errorMessageOf(await page.text())).toContain("has expired");
    const before = await snapshot(camp.db);
    const response = await camp.client().post(path, newcomer("sam"));
    expect(response.status).toBe(410);
    expect(errorMessageOf(await response.text())).toContain("has expired");
    expect(await snapshot(camp.db)).toEqual(before);
  });

  test("a used invite gets 410 for the next person", async () => {
    const path = await invitePath();
    expect((await camp.client().post(path, newcomer("sam"))).status).toBe(303);
    const before = await snapshot(camp.db);
    const page = await camp.client().get(path);
    expect(page.status).toBe(410);
    const response = await camp.client().post(path, newcomer("kim"));
    expect(response.status).toBe(410);
    expect(errorMessageOf(await response.text())).toContain("already been used");
    expect(await snapshot(camp.db)).toEqual(before);
  });

  test("a made-up invite gets 404", async () => {
    const before = await snapshot(camp.db);
    const response = await camp.client().post("/join/made-up-token", newcomer("sam"));
    expect(response.status).toBe(404);
    expect(errorMessageOf(await response.text())).toContain("not valid");
    expect(await snapshot(camp.db)).toEqual(before);
  });
});

describe("races and repeats", () => {
  test("two people using one invite at the same moment: exactly one joins", async () => {
    const path = await invitePath();
    const [a, b] = [camp.client(), camp.client()];
    await Promise.all([a.get(path), b.get(path)]);
    const responses = await Promise.all([a.post(path, newcomer("sam")), b.post(path, newcomer("kim"))]);
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([303, 410]);
    const refused = responses.find((r) => r.status === 410)!;
    expect(errorMessageOf(await refused.text())).toMatch(/(already|just) been used/);
    const members = await camp.db.selectFrom("members").select("invite_id").where("invite_id", "is not", null).execute();
    expect(members).toHaveLength(1);
    const invite = await camp.db.selectFrom("invites").selectAll().executeTakeFirstOrThrow();
    expect(invite.used_by).not.toBeNull();
  });

  test("two invites racing for the same handle: exactly one gets it", async () => {
    const [first, second] = [await invitePath(), await invitePath()];
    const responses = await Promise.all([camp.client().post(first, newcomer("sam")), camp.client().post(second, newcomer("Sam"))]);
    expect(responses.map((r) => r.status).sort()).toEqual([303, 409]);
    const unused = await camp.db.selectFrom("invites").select("id").where("used_at", "is", null).execute();
    expect(unused).toHaveLength(1);
  });

  test("the join form posted twice: the second is refused cleanly and nothing doubles", async () => {
    const path = await invitePath();
    const friend = camp.client();
    await friend.get(path);
    expect((await friend.post(path, newcomer("sam"))).status).toBe(303);
    const before = await snapshot(camp.db);
    const again = await friend.post(path, newcomer("sam"));
    expect(again.status).toBe(410);
    expect(errorMessageOf(await again.text())).toContain("already been used");
    expect(await snapshot(camp.db)).toEqual(before);
    expect((await friend.get("/settings")).status).toBe(200);
  });
});

describe("invites on the admin page", () => {
  test("a bad number of days is refused with 422 and no invite", async () => {
    const operator = await camp.loggedIn("olga");
    for (const days of ["0", "91", "two", ""]) {
      const response = await operator.post("/admin/invites", { note: "x", days });
      expect(response.status).toBe(422);
      expect(errorMessageOf(await response.text())).toContain("from 1 to 90 days");
    }
    expect((await snapshot(camp.db)).invites).toBe(0);
  });

  test("a revoked invite can no longer be used", async () => {
    const operator = await camp.loggedIn("olga");
    const created = await operator.post("/admin/invites", { note: "for Kim", days: "7" });
    const link = new URL(textById(await created.text(), "new-invite-link")!);
    const { id } = await camp.db.selectFrom("invites").select("id").executeTakeFirstOrThrow();
    expect((await operator.post(`/admin/invites/${id}/revoke`)).status).toBe(303);
    const response = await camp.client().post(link.pathname, newcomer("kim"));
    expect(response.status).toBe(410);
    expect((await snapshot(camp.db)).members).toBe(1);
  });

  test("only the operator can make invites", async () => {
    await camp.addMember("sam");
    const member = await camp.loggedIn("sam");
    expect((await member.post("/admin/invites", { note: "", days: "7" })).status).toBe(403);
    expect((await camp.client().post("/admin/invites", { note: "", days: "7" })).status).toBe(303);
    expect((await snapshot(camp.db)).invites).toBe(0);
  });
});
