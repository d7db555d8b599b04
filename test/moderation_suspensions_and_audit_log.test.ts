/**
 * Moderators suspend and reinstate members (never the operator or another moderator, and not at
 * all once the operator turns it off); removing a reported post resolves its report with a note;
 * every moderation action lands in the audit log, which only the operator reads.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { postAs } from "./support/posts.ts";

let camp: TestCamp;
let ids: Record<"olive" | "mona" | "mark" | "alice" | "bob", number>;

beforeAll(async () => {
  camp = await testCamp();
  ids = {
    olive: await camp.addMember("olive", "operator"),
    mona: await camp.addMember("mona", "moderator"),
    mark: await camp.addMember("mark", "moderator"),
    alice: await camp.addMember("alice"),
    bob: await camp.addMember("bob"),
  };
});
afterAll(() => camp.close());

const suspendedAt = async (id: number) => (await camp.db.selectFrom("accounts").select("suspended_at").where("id", "=", id).executeTakeFirstOrThrow()).suspended_at;
const log = () => camp.db.selectFrom("moderation_log").selectAll().orderBy("id").execute();
const report = (id: number) => camp.db.selectFrom("reports").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

test("a moderator suspends and reinstates a member, with notes in the audit log; the suspended member's sessions end", async () => {
  const alice = await camp.loggedIn("alice");
  const mona = await camp.loggedIn("mona");
  const page = await (await mona.get("/moderation/members")).text();
  expect(page).toContain("Suspend @alice");
  expect(page).not.toContain("@olive");
  expect(page).not.toContain("Suspend @mark");
  expect(await (await mona.get("/moderation/reports")).text()).toContain('href="/moderation/members"');

  const suspended = await mona.post(`/moderation/members/${ids.alice}/suspend`, { note: "Spam after two warnings" });
  expect(suspended.status).toBe(303);
  expect(await suspendedAt(ids.alice)).not.toBeNull();
  expect((await alice.get("/home")).status).not.toBe(200);
  expect((await mona.post(`/moderation/members/${ids.alice}/reinstate`, { note: "Apologised" })).status).toBe(303);
  expect(await suspendedAt(ids.alice)).toBeNull();

  const entries = (await log()).slice(-2);
  expect(entries).toMatchObject([
    { actor_id: ids.mona, action: "member.suspended", target_account_id: ids.alice, note: "Spam after two warnings" },
    { actor_id: ids.mona, action: "member.reinstated", target_account_id: ids.alice, note: "Apologised" },
  ]);
});

test("a moderator cannot suspend the operator, another moderator, or anyone without the form's CSRF token; members cannot at all", async () => {
  const mona = await camp.loggedIn("mona");
  const before = (await log()).length;
  expect((await mona.post(`/moderation/members/${ids.olive}/suspend`)).status).toBe(403);
  expect((await mona.post(`/moderation/members/${ids.mark}/suspend`)).status).toBe(403);
  expect((await mona.post(`/moderation/members/${ids.bob}/suspend`, { _csrf: "" })).status).toBe(403);
  expect((await mona.post(`/moderation/members/99999/suspend`)).status).toBe(404);
  expect((await mona.post(`/moderation/members/${ids.bob}/suspend`, { note: "x".repeat(1001) })).status).toBe(422);
  const bob = await camp.loggedIn("bob");
  expect((await bob.get("/moderation/members")).status).toBe(403);
  expect((await bob.post(`/moderation/members/${ids.alice}/suspend`)).status).toBe(403);
  for (const id of [ids.olive, ids.mark, ids.bob, ids.alice]) expect(await suspendedAt(id)).toBeNull();
  expect((await log()).length).toBe(before);
});

test("the operator turns moderators' suspensions off and on again in Admin", async () => {
  const olive = await camp.loggedIn("olive");
  const mona = await camp.loggedIn("mona");
  expect(await (await olive.get("/admin/moderation")).text()).toMatch(/name="moderatorsMaySuspend" value="1" checked/);
  expect((await mona.post("/admin/moderation/settings", {})).status).toBe(403);
  expect((await olive.post("/admin/moderation/settings", {})).status).toBe(303);

  expect((await mona.get("/moderation/members")).status).toBe(403);
  expect((await mona.post(`/moderation/members/${ids.bob}/suspend`)).status).toBe(403);
  expect(await suspendedAt(ids.bob)).toBeNull();
  expect(await (await mona.get("/moderation/reports")).text()).not.toContain('href="/moderation/members"');
  // The operator still can, here and on the member's admin page.
  expect((await olive.post(`/moderation/members/${ids.bob}/suspend`)).status).toBe(303);
  expect((await olive.post(`/admin/members/${ids.bob}/reinstate`)).status).toBe(303);
  expect(await suspendedAt(ids.bob)).toBeNull();

  expect((await olive.post("/admin/moderation/settings", { moderatorsMaySuspend: "1" })).status).toBe(303);
  expect((await mona.get("/moderation/members")).status).toBe(200);
});

test("removing a reported post resolves the report (and any other left with only removed posts) with a note", async () => {
  const post = await postAs(camp, ids.alice, { source: "Something hurtful" });
  const keep = await postAs(camp, ids.alice, { source: "Something fine" });
  const bob = await camp.loggedIn("bob");
  const mark = await camp.loggedIn("mark");
  expect((await bob.post(`/posts/${post}/report`, { comment: "hurtful" })).status).toBe(303);
  expect((await mark.post(`/posts/${post}/report`, { comment: "me too" })).status).toBe(303);
  expect((await bob.post(`/posts/${keep}/report`, { comment: "unsure" })).status).toBe(303);
  const [first, second, other] = (await camp.db.selectFrom("reports").select("id").orderBy("id").execute()).slice(-3).map((r) => r.id) as [number, number, number];

  const mona = await camp.loggedIn("mona");
  const removed = await mona.post(`/moderation/reports/${first}/posts/${post}/remove`);
  expect(removed.headers.get("location")).toBe("/moderation/reports?notice=removed");
  for (const id of [first, second]) {
    expect(await report(id)).toMatchObject({ resolved_by: ids.mona, resolution_note: "The reported post by @alice was removed." });
    expect((await report(id)).resolved_at).not.toBeNull();
  }
  expect((await report(other)).resolved_at).toBeNull();
  const queue = await (await mona.get("/moderation/reports")).text();
  expect(queue).not.toContain("Something hurtful");
  expect(queue).toContain("Something fine");

  expect((await mona.post(`/moderation/reports/${other}/resolve`, { note: "Fine by our rules" })).status).toBe(303);
  expect(await report(other)).toMatchObject({ resolved_by: ids.mona, resolution_note: "Fine by our rules" });
  expect((await log()).slice(-4).map((e) => [e.action, e.report_id, e.post_id])).toEqual([
    ["report.post_removed", first, post], ["report.resolved", first, null], ["report.resolved", second, null], ["report.resolved", other, null],
  ]);
});

test("only the operator reads the audit log, which names who did what to whom", async () => {
  const olive = await camp.loggedIn("olive");
  expect((await olive.post(`/admin/members/${ids.bob}/role/moderator`)).status).toBe(303);
  const page = await (await olive.get("/admin/moderation")).text();
  expect(page).toContain("@olive");
  expect(page).toContain("made a moderator:");
  expect(page).toContain("Spam after two warnings");
  expect(page).toContain("Fine by our rules");
  expect(page.indexOf("made a moderator:")).toBeLessThan(page.indexOf("Spam after two warnings"));
  expect((await (await camp.loggedIn("mona")).get("/admin/moderation")).status).toBe(403);
  expect((await camp.client().get("/admin/moderation")).status).not.toBe(200);
});

test("the operator's domain blocks, allows and lifted rules are in the audit log too", async () => {
  const olive = await camp.loggedIn("olive");
  expect((await olive.post("/admin/federation/rules", { domain: "spam.example", policy: "block" })).status).toBe(303);
  expect((await olive.post("/admin/federation/rules/spam.example/remove")).status).toBe(303);
  expect((await olive.post("/admin/federation/rules/never.example/remove")).status).toBe(303);
  expect((await log()).slice(-2).map((e) => [e.actor_id, e.action, e.note])).toEqual([
    [ids.olive, "domain.blocked", "spam.example"], [ids.olive, "domain.rule_removed", "spam.example"],
  ]);
  expect(await (await olive.get("/admin/moderation")).text()).toContain("blocked the domain in the note");
});
