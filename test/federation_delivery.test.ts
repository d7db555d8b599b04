/**
 * The delivery queue: one job per activity and inbox (shared inboxes once), retries with the same
 * activity id and backoff, parking after the last retry until the server contacts us again, and
 * nothing lost or sent twice across a crash.
 */
import { afterAll, afterEach, beforeAll, expect, test, setDefaultTimeout } from "bun:test";
import { createPost } from "../src/domain/posts/create.ts";
import { editPost } from "../src/domain/posts/edit.ts";
import { deletePost } from "../src/domain/posts/delete.ts";
import { EVENT_JOB } from "../src/jobs/events.ts";
import { BACKOFF_MS, PARKED } from "../src/jobs/worker.ts";
import { DELIVER_JOB } from "../src/federation/outbound/deliver.ts";
import { resumeDeliveriesTo } from "../src/federation/inboxHealth.ts";
import { startFederationWorker } from "../src/federation/worker.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";

// Key generation and round trips between two servers take a few seconds on a busy machine.
setDefaultTimeout(30_000);

let camp: TestCamp;
let alice: number;
let sink: ReturnType<typeof Bun.serve>;
let status = 202;
let delayMs = 0;
const received: { path: string; id: string }[] = [];
const inFlight = new Map<string, number>();
let mostAtOnce = 0;
const sinkHost = () => `127.0.0.1:${sink.port}`;
const place = () => ({ mediaDir: camp.config.mediaDir, domain: camp.config.domain });

/** A remote follower of alice whose server is the sink. */
async function remoteFollower(name: string, inboxPath: string, shared: string | null): Promise<number> {
  const row = await camp.db.insertInto("accounts").values({
    handle: name, domain: sinkHost(), uri: `http://${sinkHost()}/users/${name}`, inbox_uri: `http://${sinkHost()}${inboxPath}`,
    shared_inbox_uri: shared && `http://${sinkHost()}${shared}`, fetched_at: Date.now(), created_at: Date.now(),
  }).returning("id").executeTakeFirstOrThrow();
  await camp.db.insertInto("follows").values({ follower_id: row.id, followee_id: alice, state: "accepted", created_at: Date.now() }).execute();
  return row.id;
}

const jobs = (kind: string) => camp.db.selectFrom("jobs").selectAll().where("kind", "=", kind).orderBy("id").execute();

/** Runs the queue until nothing is due, then stops, like a server that runs and exits. */
async function runQueueOnce() {
  const worker = await startFederationWorker({ db: camp.db, config: camp.config, log: { debug() {}, info() {}, warn() {}, error() {} } }, { pollMs: 10 });
  await worker.idle();
  await worker.stop();
}

beforeAll(async () => {
  sink = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: async (request) => {
      const body = (await request.json()) as { id: string };
      const path = new URL(request.url).pathname;
      inFlight.set(path, (inFlight.get(path) ?? 0) + 1);
      mostAtOnce = Math.max(mostAtOnce, inFlight.get(path)!);
      if (delayMs) await Bun.sleep(delayMs);
      received.push({ path, id: body.id });
      inFlight.set(path, inFlight.get(path)! - 1);
      return new Response(null, { status });
    },
  });
  camp = await testCamp({ env: { KITH_UNSAFE_ALLOW_PRIVATE_NETWORK: "1" } });
  alice = await camp.addMember("alice");
  await remoteFollower("one", "/users/one/inbox", "/inbox");
  await remoteFollower("two", "/users/two/inbox", "/inbox");
  await remoteFollower("three", "/users/three/inbox", null);
});
afterEach(async () => {
  received.length = 0;
  status = 202;
  delayMs = 0;
  await camp.db.deleteFrom("jobs").execute();
  await camp.db.deleteFrom("inbox_health").execute();
});
afterAll(async () => {
  sink.stop(true);
  await camp.close();
});

test("a public post is delivered once per inbox: followers sharing an inbox get one copy", async () => {
  const postId = await createPost(camp.db, place(), alice, { source: "Hello", contentWarning: "", audience: "public" });
  await runQueueOnce();
  const paths = received.map((r) => r.path).sort();
  expect(paths).toEqual(["/inbox", "/users/three/inbox"]);
  expect(new Set(received.map((r) => r.id))).toEqual(new Set([`${camp.config.origin}/posts/${postId}/activity`]));
  expect(await jobs(DELIVER_JOB)).toEqual([]);
});

test("a camp-only post, its edit and its deletion queue no delivery at all", async () => {
  const postId = await createPost(camp.db, place(), alice, { source: "Inside", contentWarning: "", audience: "camp" });
  await editPost(camp.db, place(), alice, postId, { source: "Inside, edited", contentWarning: "", audience: "camp", confirmWiden: false });
  await deletePost(camp.db, alice, postId);
  expect((await jobs(EVENT_JOB)).length).toBe(3);
  await runQueueOnce();
  expect(received).toEqual([]);
  expect(await jobs(DELIVER_JOB)).toEqual([]);
});

test("a failed delivery is retried later with the same activity id, then succeeds", async () => {
  status = 503;
  const postId = await createPost(camp.db, place(), alice, { source: "Retry me", contentWarning: "", audience: "followers" });
  const before = Date.now();
  await runQueueOnce();
  const failed = await jobs(DELIVER_JOB);
  expect(failed.length).toBe(2);
  for (const job of failed) {
    expect(job.attempts).toBe(1);
    expect(job.run_at).toBeGreaterThanOrEqual(before + BACKOFF_MS[0]!);
    expect(job.last_error).toContain("503");
  }
  expect((await camp.db.selectFrom("inbox_health").selectAll().execute()).length).toBe(2);
  status = 202;
  await camp.db.updateTable("jobs").set({ run_at: 0 }).execute();
  await runQueueOnce();
  expect(await jobs(DELIVER_JOB)).toEqual([]);
  const ids = received.map((r) => r.id);
  expect(ids.length).toBe(4);
  expect(new Set(ids)).toEqual(new Set([`${camp.config.origin}/posts/${postId}/activity`]));
  expect(await camp.db.selectFrom("inbox_health").selectAll().execute()).toEqual([]);
});

test("after the last retry the inbox is unavailable: its deliveries park until its server contacts us", async () => {
  status = 503;
  await createPost(camp.db, place(), alice, { source: "Will park", contentWarning: "", audience: "public" });
  await runQueueOnce();
  await camp.db.updateTable("jobs").set({ run_at: 0, attempts: BACKOFF_MS.length }).execute();
  await runQueueOnce();
  const parked = await jobs(DELIVER_JOB);
  expect(parked.map((j) => j.run_at)).toEqual([PARKED, PARKED]);
  const health = await camp.db.selectFrom("inbox_health").selectAll().execute();
  expect(health.every((h) => h.unavailable_at !== null)).toBe(true);

  const tried = received.length;
  await createPost(camp.db, place(), alice, { source: "Parked at once", contentWarning: "", audience: "public" });
  await runQueueOnce();
  expect(received.length).toBe(tried);
  expect((await jobs(DELIVER_JOB)).every((j) => j.run_at === PARKED)).toBe(true);

  status = 202;
  await resumeDeliveriesTo(camp.db, sinkHost());
  await runQueueOnce();
  expect(await jobs(DELIVER_JOB)).toEqual([]);
  expect(received.length).toBe(tried + 4);
  expect(await camp.db.selectFrom("inbox_health").selectAll().execute()).toEqual([]);
});

test("a refusal (4xx) is not retried", async () => {
  status = 403;
  await createPost(camp.db, place(), alice, { source: "Refused", contentWarning: "", audience: "public" });
  await runQueueOnce();
  expect(received.length).toBe(2);
  expect(await jobs(DELIVER_JOB)).toEqual([]);
});

test("work claimed by a process that crashed runs once after restart, and nothing is lost", async () => {
  await createPost(camp.db, place(), alice, { source: "Before the crash", contentWarning: "", audience: "public" });
  // The crashed process had claimed the event: its lease is still in the future.
  await camp.db.updateTable("jobs").set({ locked_until: Date.now() + 60 * 60 * 1000 }).execute();
  await runQueueOnce();
  expect(received.length).toBe(2);
  expect(new Set(received.map((r) => r.path))).toEqual(new Set(["/inbox", "/users/three/inbox"]));
  expect(await camp.db.selectFrom("jobs").selectAll().execute()).toEqual([]);
});

test("an event handled twice (a crash after queueing deliveries) still queues one delivery per inbox", async () => {
  const postId = await createPost(camp.db, place(), alice, { source: "Twice", contentWarning: "", audience: "public" });
  const [event] = await jobs(EVENT_JOB);
  await camp.db.insertInto("jobs").values({ kind: EVENT_JOB, payload: event!.payload, run_at: 0, created_at: Date.now() }).execute();
  const { eventHandler } = await import("../src/federation/outbound/events.ts");
  const handler = eventHandler({ db: camp.db, config: camp.config, log: { debug() {}, info() {}, warn() {}, error() {} } });
  await handler.run(JSON.parse(event!.payload));
  await handler.run(JSON.parse(event!.payload));
  expect((await jobs(DELIVER_JOB)).length).toBe(2);
  await camp.db.deleteFrom("jobs").where("kind", "=", EVENT_JOB).execute();
  await runQueueOnce();
  expect(received.map((r) => r.id)).toEqual([`${camp.config.origin}/posts/${postId}/activity`, `${camp.config.origin}/posts/${postId}/activity`]);
});

test("an edit that makes a post camp-only withdraws it (Delete); making it public again publishes it (Create)", async () => {
  const postId = await createPost(camp.db, place(), alice, { source: "Out, then in", contentWarning: "", audience: "public" });
  await runQueueOnce();
  received.length = 0;
  await editPost(camp.db, place(), alice, postId, { source: "Now only for the camp", contentWarning: "", audience: "camp", confirmWiden: false });
  await runQueueOnce();
  expect(received.length).toBe(2);
  expect(received.every((r) => r.id.startsWith(`${camp.config.origin}/posts/${postId}#withdraw-`))).toBe(true);
  received.length = 0;
  await editPost(camp.db, place(), alice, postId, { source: "Out again", contentWarning: "", audience: "public", confirmWiden: true });
  await runQueueOnce();
  expect(received.length).toBe(2);
  expect(received.every((r) => r.id.startsWith(`${camp.config.origin}/posts/${postId}#create-`))).toBe(true);
});

test("activities reach each inbox one at a time, in the order they were made", async () => {
  delayMs = 30;
  mostAtOnce = 0;
  const postId = await createPost(camp.db, place(), alice, { source: "First", contentWarning: "", audience: "public" });
  await editPost(camp.db, place(), alice, postId, { source: "Second", contentWarning: "", audience: "public", confirmWiden: false });
  await deletePost(camp.db, alice, postId);
  await runQueueOnce();
  expect(mostAtOnce).toBe(1);
  for (const path of ["/inbox", "/users/three/inbox"]) {
    const kinds = received.filter((r) => r.path === path).map((r) => r.id.replace(/^.*\/posts\/\d+/, ""));
    expect(kinds.map((k) => k.replace(/-\d+$/, ""))).toEqual(["/activity", "#update", "#delete"]);
  }
});
