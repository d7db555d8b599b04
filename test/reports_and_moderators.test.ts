/**
 * Members report posts (local and remote) and people; the operator and moderators share one
 * report queue where they resolve reports and remove reported posts; a report about someone
 * elsewhere may go to their server as a Flag from the instance actor, but never names a post
 * the audience gate keeps in the camp.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { upsertRemoteActor } from "../src/domain/remote/actors.ts";
import { storeRemotePost } from "../src/domain/remote/posts.ts";
import { REPORTS_PER_HOUR } from "../src/domain/reports/file.ts";
import { recordEvent } from "../src/jobs/events.ts";
import { eventHandler } from "../src/federation/outbound/events.ts";
import { createLogger } from "../src/log.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { postAs } from "./support/posts.ts";

const REMOTE = "remote.example";
let camp: TestCamp;
let ids: Record<"olive" | "mona" | "alice" | "bob" | "carol" | "rita", number>;

beforeAll(async () => {
  camp = await testCamp();
  ids = {
    olive: await camp.addMember("olive", "operator"),
    mona: await camp.addMember("mona", "moderator"),
    alice: await camp.addMember("alice"),
    bob: await camp.addMember("bob"),
    carol: await camp.addMember("carol"),
    rita: await upsertRemoteActor(camp.db, {
      uri: `https://${REMOTE}/users/rita`, kind: "Person", handle: "rita", domain: REMOTE, displayName: "Rita", bioHtml: "", url: null,
      inbox: `https://${REMOTE}/users/rita/inbox`, sharedInbox: `https://${REMOTE}/inbox`, followers: null, publicKeyId: null, publicKeyPem: null,
      avatarUrl: null, locked: false,
    }),
  };
});
afterAll(() => camp.close());

const remotePost = (n: number, text: string) => storeRemotePost(camp.db, {
  uri: `https://${REMOTE}/notes/${n}`, url: null, authorId: ids.rita, audience: "public", html: `<p>${text}</p>`, contentWarning: "",
  inReplyToUri: null, inReplyToId: null, language: null, createdAt: Date.now(), mentionIds: [], tags: [], attachments: [],
});

const reportsBy = (reporterId: number) => camp.db.selectFrom("reports").selectAll().where("reporter_id", "=", reporterId).orderBy("id").execute();

const jobsOf = (kind: string) => camp.db.selectFrom("jobs").select(["id", "payload"]).where("kind", "=", kind).orderBy("id").execute();

/** The report.forwarded events waiting in the queue, by report id. */
async function forwardedEvents(): Promise<number[]> {
  return (await jobsOf("event")).map((j) => JSON.parse(j.payload)).filter((e) => e.type === "report.forwarded").map((e) => e.reportId);
}

/** Runs the federation module's handler on one event, as the worker would, leaving deliveries in the jobs table. */
function runEvent(payload: unknown) {
  const log = createLogger("debug", (line) => camp.logs.push(line));
  return eventHandler({ db: camp.db, config: camp.config, log }).run(payload);
}

/** Flag deliveries queued for the remote server's inbox. */
async function flagDeliveries() {
  return (await jobsOf("deliver")).map((j) => JSON.parse(j.payload) as { inbox: string; body: string })
    .filter((d) => JSON.parse(d.body).type === "Flag");
}

test("a member reports a member's post: the form shows it, no forwarding is offered, the report is stored", async () => {
  const postId = await postAs(camp, ids.alice, { source: "Something unkind about ducks" });
  const bob = await camp.loggedIn("bob");
  const thread = await (await bob.get(`/posts/${postId}`)).text();
  expect(thread).toContain(`href="/posts/${postId}/report"`);
  const form = await (await bob.get(`/posts/${postId}/report`)).text();
  expect(form).toContain("Something unkind about ducks");
  expect(form).toContain('name="comment"');
  expect(form).not.toContain('name="forward"');
  const sent = await bob.post(`/posts/${postId}/report`, { comment: "Not kind", forward: "1" });
  expect(sent.status).toBe(303);
  expect(sent.headers.get("location")).toBe(`/posts/${postId}/report?sent=1`);
  expect(await (await bob.get(sent.headers.get("location")!)).text()).toContain("moderators will look at your report");
  const [report] = await reportsBy(ids.bob);
  expect(report).toMatchObject({ target_id: ids.alice, comment: "Not kind", resolved_at: null });
  expect(JSON.parse(report!.post_ids)).toEqual([postId]);
  // A forged "forward" on a member's camp-only post records nothing for federation to send.
  expect(await forwardedEvents()).not.toContain(report!.id);
});

test("a member reports a remote post and asks to send it on: a Flag from the instance actor is queued for that server's inbox", async () => {
  const postId = await remotePost(1, "Spam from afar");
  const carol = await camp.loggedIn("carol");
  const form = await (await carol.get(`/posts/${postId}/report`)).text();
  expect(form).toContain("Spam from afar");
  expect(form).toContain(`Also send this report to ${REMOTE}`);
  expect((await carol.post(`/posts/${postId}/report`, { comment: "Spam, please act", forward: "1" })).status).toBe(303);
  const [report] = await reportsBy(ids.carol);
  expect(report).toMatchObject({ target_id: ids.rita, comment: "Spam, please act" });
  expect(JSON.parse(report!.post_ids)).toEqual([postId]);

  const event = (await jobsOf("event")).map((j) => JSON.parse(j.payload)).find((e) => e.type === "report.forwarded" && e.reportId === report!.id);
  expect(event).toBeDefined();
  await runEvent(event);
  const [delivery, ...more] = await flagDeliveries();
  expect(more).toEqual([]);
  expect(delivery!.inbox).toBe(`https://${REMOTE}/inbox`);
  const flag = JSON.parse(delivery!.body);
  expect(flag.actor).toBe(`${camp.config.origin}/actor`);
  expect(flag.object).toEqual([`https://${REMOTE}/users/rita`, `https://${REMOTE}/notes/1`]);
  expect(flag.content).toBe("Spam, please act");
  // The reporter stays unnamed outside the camp.
  expect(delivery!.body).not.toContain("carol");
});

test("reporting without asking to forward, or a remote person from their profile, stays in the camp unless asked", async () => {
  const postId = await remotePost(2, "Another remote note");
  const alice = await camp.loggedIn("alice");
  expect((await alice.post(`/posts/${postId}/report`, { comment: "Just so you know" })).status).toBe(303);
  const profile = await (await alice.get(`/remote/${ids.rita}`)).text();
  expect(profile).toContain(`href="/accounts/${ids.rita}/report"`);
  expect(await (await alice.get(`/accounts/${ids.rita}/report`)).text()).toContain(`Also send this report to ${REMOTE}`);
  expect((await alice.post(`/accounts/${ids.rita}/report`, { comment: "The whole account is spam" })).status).toBe(303);
  const reports = await reportsBy(ids.alice);
  expect(reports.map((r) => [r.target_id, JSON.parse(r.post_ids)])).toEqual([[ids.rita, [postId]], [ids.rita, []]]);
  const forwarded = await forwardedEvents();
  for (const r of reports) expect(forwarded).not.toContain(r.id);
});

test("a post the gate keeps in the camp is never forwarded, even when the report asks and the event is forced", async () => {
  const postId = await remotePost(3, "Kept inside");
  // A post that may not leave (as a camp-only post is): the gate, not the form, decides.
  await camp.db.updateTable("posts").set({ audience: "camp" }).where("id", "=", postId).execute();
  const bob = await camp.loggedIn("bob");
  expect(await (await bob.get(`/posts/${postId}/report`)).text()).not.toContain('name="forward"');
  expect((await bob.post(`/posts/${postId}/report`, { comment: "forward it anyway", forward: "1" })).status).toBe(303);
  const report = (await reportsBy(ids.bob)).at(-1)!;
  expect(JSON.parse(report.post_ids)).toEqual([postId]);
  expect(await forwardedEvents()).not.toContain(report.id);

  const before = (await flagDeliveries()).length;
  await camp.db.transaction().execute((trx) => recordEvent(trx, { type: "report.forwarded", reportId: report.id }));
  await runEvent({ type: "report.forwarded", reportId: report.id });
  expect((await flagDeliveries()).length).toBe(before);
  expect((await jobsOf("deliver")).some((j) => j.payload.includes("Kept inside") || j.payload.includes("notes/3"))).toBe(false);
});

test("refusals: one's own post, a post one cannot see, forged ids, a missing CSRF token, an overlong comment", async () => {
  const own = await postAs(camp, ids.bob, { source: "Bob's own words" });
  const hidden = await postAs(camp, ids.alice, { source: "Only for @carol", audience: "direct" });
  const bob = await camp.loggedIn("bob");
  const before = (await reportsBy(ids.bob)).length;

  const ownThread = await (await bob.get(`/posts/${own}`)).text();
  expect(ownThread).not.toContain(`/posts/${own}/report`);
  expect((await bob.get(`/posts/${own}/report`)).status).toBe(403);
  expect((await bob.post(`/posts/${own}/report`, { comment: "me" })).status).toBe(403);
  expect((await bob.get(`/posts/${hidden}/report`)).status).toBe(404);
  const invisible = await bob.post(`/posts/${hidden}/report`, { comment: "peek" });
  expect(invisible.status).toBe(404);
  expect(await invisible.text()).not.toContain("Only for");
  for (const forged of ["999999", "0", "abc", "1e3", "-1"]) {
    expect((await bob.post(`/posts/${forged}/report`, { comment: "forged" })).status).toBe(404);
  }
  expect((await bob.post(`/accounts/${ids.bob}/report`, { comment: "myself" })).status).toBe(403);
  expect((await bob.post("/accounts/999999/report", { comment: "nobody" })).status).toBe(404);
  const target = await postAs(camp, ids.alice, { source: "A fine post" });
  expect((await bob.post(`/posts/${target}/report`, { comment: "no token", _csrf: "" })).status).toBe(403);
  const long = await bob.post(`/posts/${target}/report`, { comment: "x".repeat(1001) });
  expect(long.status).toBe(422);
  expect(await long.text()).toContain("under 1000 characters");
  expect((await reportsBy(ids.bob)).length).toBe(before);
  // Visitors are sent to log in first.
  expect((await camp.client().get(`/posts/${target}/report`)).status).toBe(303);
});

test(`a member may send ${REPORTS_PER_HOUR} reports an hour; the next is refused with 429 and not stored`, async () => {
  const spammer = await camp.addMember("sam");
  const target = await postAs(camp, ids.alice, { source: "Reported many times" });
  const sam = await camp.loggedIn("sam");
  for (let i = 0; i < REPORTS_PER_HOUR; i++) expect((await sam.post(`/posts/${target}/report`, { comment: `report ${i}` })).status).toBe(303);
  const refused = await sam.post(`/posts/${target}/report`, { comment: "one too many" });
  expect(refused.status).toBe(429);
  expect(await refused.text()).toContain("please wait");
  expect((await reportsBy(spammer)).length).toBe(REPORTS_PER_HOUR);
  // Another member is not held back by it.
  expect((await (await camp.loggedIn("carol")).post(`/posts/${target}/report`, { comment: "mine" })).status).toBe(303);
  await camp.db.updateTable("reports").set({ resolved_at: Date.now() }).where("post_ids", "=", JSON.stringify([target])).execute();
});

test("moderators and the operator see the queue with a count in the navigation; ordinary members get 403", async () => {
  const open = Number((await camp.db.selectFrom("reports").select((eb) => eb.fn.countAll<number>().as("n")).where("resolved_at", "is", null).executeTakeFirstOrThrow()).n);
  expect(open).toBeGreaterThan(0);
  const mona = await camp.loggedIn("mona");
  const queue = await mona.get("/moderation/reports");
  expect(queue.status).toBe(200);
  const html = await queue.text();
  expect(html).toContain('href="/moderation/reports"');
  expect(html).toContain(`<span class="badge">${open}</span>`);
  expect(html).toContain("Not kind");
  expect(html).toContain("Something unkind about ducks");
  expect(html).toContain("Spam from afar");
  expect(html).toContain("@bob");
  // Member management stays the operator's.
  expect(html).not.toContain("/admin/members/");
  expect((await mona.get("/admin")).status).toBe(403);
  expect((await mona.get("/admin/federation")).status).toBe(403);
  expect(await (await camp.loggedIn("olive")).get("/moderation/reports").then((r) => r.text())).toContain(`href="/admin/members/${ids.alice}"`);
  expect(await (await camp.loggedIn("olive")).get("/admin/federation").then((r) => r.text())).toContain('href="/moderation/reports"');

  const member = await camp.loggedIn("alice");
  expect((await member.get("/moderation/reports")).status).toBe(403);
  const [report] = await reportsBy(ids.bob);
  expect((await member.post(`/moderation/reports/${report!.id}/resolve`)).status).toBe(403);
  expect(await (await member.get("/")).text()).not.toContain('href="/moderation/reports"');
  expect((await camp.db.selectFrom("reports").select("resolved_at").where("id", "=", report!.id).executeTakeFirstOrThrow()).resolved_at).toBeNull();
});

test("a moderator resolves a report; resolving it again is refused", async () => {
  const [report] = await reportsBy(ids.bob);
  const mona = await camp.loggedIn("mona");
  expect((await mona.post(`/moderation/reports/${report!.id}/resolve`, { _csrf: "" })).status).toBe(403);
  const resolved = await mona.post(`/moderation/reports/${report!.id}/resolve`);
  expect(resolved.status).toBe(303);
  expect(resolved.headers.get("location")).toBe("/moderation/reports?notice=resolved");
  expect((await camp.db.selectFrom("reports").select("resolved_at").where("id", "=", report!.id).executeTakeFirstOrThrow()).resolved_at).not.toBeNull();
  expect(await (await mona.get("/moderation/reports")).text()).not.toContain("Not kind");
  expect((await mona.post(`/moderation/reports/${report!.id}/resolve`)).status).toBe(404);
});

test("a moderator removes a reported post: gone from streams and its thread, post.deleted recorded; a remote post is hidden here", async () => {
  const parent = await postAs(camp, ids.carol, { source: "A calm question" });
  const reply = await postAs(camp, ids.alice, { source: "A nasty reply", inReplyToId: parent });
  const bob = await camp.loggedIn("bob");
  expect(await (await bob.get(`/posts/${parent}`)).text()).toContain("A nasty reply");
  expect(await (await bob.get("/camp")).text()).toContain("A nasty reply");
  expect((await bob.post(`/posts/${reply}/report`, { comment: "nasty" })).status).toBe(303);
  const report = (await reportsBy(ids.bob)).at(-1)!;
  const other = await postAs(camp, ids.alice, { source: "Not reported" });

  const mona = await camp.loggedIn("mona");
  // Only posts a report names can be removed from the queue.
  expect((await mona.post(`/moderation/reports/${report.id}/posts/${other}/remove`)).status).toBe(404);
  expect((await camp.db.selectFrom("posts").select("deleted_at").where("id", "=", other).executeTakeFirstOrThrow()).deleted_at).toBeNull();
  expect((await (await camp.loggedIn("alice")).post(`/moderation/reports/${report.id}/posts/${reply}/remove`)).status).toBe(403);

  expect((await mona.post(`/moderation/reports/${report.id}/posts/${reply}/remove`)).status).toBe(303);
  expect((await camp.db.selectFrom("posts").select("deleted_at").where("id", "=", reply).executeTakeFirstOrThrow()).deleted_at).not.toBeNull();
  expect((await jobsOf("event")).map((j) => JSON.parse(j.payload))).toContainEqual({ type: "post.deleted", postId: reply });
  expect(await (await bob.get(`/posts/${parent}`)).text()).not.toContain("A nasty reply");
  expect(await (await bob.get("/camp")).text()).not.toContain("A nasty reply");
  expect(await (await bob.get(`/@alice`)).text()).not.toContain("A nasty reply");
  expect((await bob.get(`/posts/${reply}`)).status).toBe(404);
  // Removing the post resolved its report.
  const queue = await (await mona.get("/moderation/reports")).text();
  expect(queue).not.toContain("A nasty reply");
  expect(queue).not.toContain(`/moderation/reports/${report.id}/posts/${reply}/remove`);
  expect((await mona.post(`/moderation/reports/${report.id}/posts/${reply}/remove`)).status).toBe(404);

  const [remoteReport] = (await reportsBy(ids.alice)).filter((r) => r.post_ids !== "[]");
  const remoteId = (JSON.parse(remoteReport!.post_ids) as number[])[0]!;
  expect(await (await bob.get(`/posts/${remoteId}`)).text()).toContain("Another remote note");
  expect((await (await camp.loggedIn("olive")).post(`/moderation/reports/${remoteReport!.id}/posts/${remoteId}/remove`)).status).toBe(303);
  expect((await bob.get(`/posts/${remoteId}`)).status).toBe(404);
  expect(await (await bob.get(`/remote/${ids.rita}`)).text()).not.toContain("Another remote note");
  // Hiding a remote post here sends nothing to its server.
  await runEvent({ type: "post.deleted", postId: remoteId });
  expect((await jobsOf("deliver")).some((j) => JSON.parse(JSON.parse(j.payload).body).type === "Delete")).toBe(false);
});
