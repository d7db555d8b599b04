/**
 * Webhooks against a loopback receiver that checks every signature itself (the README's recipe):
 * a member's events (own post, reply, mention), the operator's camp-wide ones (posts, new members),
 * the audience gate asked as the owner, retries after failures, "send test", and refusals.
 */
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { createHmac, timingSafeEqual } from "node:crypto";
import { webhookConsumer, WEBHOOK_JOB } from "../src/domain/webhooks/consumer.ts";
import { guardedPoster } from "../src/federation/guardedFetcher.ts";
import { loadConfig } from "../src/config.ts";
import { BACKOFF_MS } from "../src/jobs/worker.ts";
import { federatedCamp, type FederatedCamp } from "./support/federation.ts";
import type { TestClient } from "./support/camp.ts";
import { postAs } from "./support/posts.ts";
import { textOf } from "./support/pages.ts";

setDefaultTimeout(30_000);

interface Received { event: string; body: any; valid: boolean }

let camp: FederatedCamp;
let receiver: ReturnType<typeof Bun.serve>;
const received = new Map<string, Received[]>();
/** Per path: how many more requests answer 500 before it accepts. */
const failuresLeft = new Map<string, number>();
const secrets = new Map<string, string>();
let alice: TestClient;
let olga: TestClient;
let aliceId: number;
let bobId: number;
let olgaId: number;

/** The receiver's own check, as the README shows it: HMAC-SHA256 of "timestamp.body", compared in constant time. */
function verify(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) && Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
}

const hookUrl = (path: string) => `http://127.0.0.1:${receiver.port}${path}`;
const at = (path: string) => received.get(path) ?? [];

async function addHook(client: TestClient, path: string, events: string[]): Promise<Response> {
  const fields: Record<string, string> = { url: hookUrl(path) };
  for (const e of events) fields[`event:${e}`] = "1";
  const response = await client.post("/settings/webhooks", fields);
  const hook = await camp.db.selectFrom("webhooks").select("secret").where("url", "=", hookUrl(path)).executeTakeFirst();
  if (hook) secrets.set(path, hook.secret);
  return response;
}

async function retryNow(): Promise<void> {
  await camp.db.updateTable("jobs").set({ run_at: 0 }).where("kind", "=", WEBHOOK_JOB).execute();
  camp.worker.nudge();
  await camp.settle();
}

beforeAll(async () => {
  receiver = Bun.serve({
    hostname: "127.0.0.1", port: 0,
    async fetch(request) {
      const path = new URL(request.url).pathname;
      const body = await request.text();
      const valid = verify(secrets.get(path) ?? "", request.headers.get("x-kith-timestamp") ?? "", body, request.headers.get("x-kith-signature") ?? "");
      received.set(path, [...at(path), { event: request.headers.get("x-kith-event") ?? "", body: JSON.parse(body), valid }]);
      if (path === "/slow") await Bun.sleep(3000);
      const left = failuresLeft.get(path) ?? 0;
      if (left > 0) {
        failuresLeft.set(path, left - 1);
        return new Response("down", { status: 500 });
      }
      return new Response("ok");
    },
  });
  camp = await federatedCamp();
  olgaId = await camp.addMember("olga", "operator");
  aliceId = await camp.addMember("alice");
  bobId = await camp.addMember("bob");
  alice = await camp.loggedIn("alice");
  olga = await camp.loggedIn("olga");
  expect((await addHook(alice, "/alice", ["post.created", "reply", "mention"])).status).toBe(303);
  expect((await addHook(olga, "/camp", ["camp.post.created", "member.joined"])).status).toBe(303);
});
afterAll(async () => {
  await camp.close();
  receiver.stop(true);
});

describe("a member's webhook", () => {
  test("her new camp-only post arrives, signed, with the documented payload", async () => {
    const id = await postAs(camp, aliceId, { source: "Hello **camp**", audience: "camp" });
    await camp.settle();
    const [got] = at("/alice");
    expect(got!.valid).toBe(true);
    expect(got!.event).toBe("post.created");
    expect(got!.body).toEqual({
      event: "post.created", created_at: expect.any(String), camp: camp.config.origin, member: null,
      post: {
        id, url: `${camp.config.origin}/posts/${id}`, original_url: null, audience: "camp", content_warning: "", text: "Hello **camp**",
        html: "<p>Hello <strong>camp</strong></p>\n", in_reply_to: null, created_at: expect.any(String),
        author: { handle: "alice", name: "Alice", url: `${camp.config.origin}/@alice` },
      },
    });
  });

  test("a reply to her and a mention of her arrive as such", async () => {
    const mine = await postAs(camp, aliceId, { source: "Question?", audience: "public" });
    await postAs(camp, bobId, { source: "Answer", audience: "public", inReplyToId: mine });
    await postAs(camp, bobId, { source: "Hey @alice look", audience: "camp" });
    await camp.settle();
    const events = at("/alice").map((r) => [r.event, r.body.post.text]);
    expect(events).toContainEqual(["reply", "Answer"]);
    expect(events).toContainEqual(["mention", "Hey @alice look"]);
    expect(at("/alice").every((r) => r.valid)).toBe(true);
  });

  test("a failing receiver sees the same delivery again until it accepts; the page shows the attempts", async () => {
    failuresLeft.set("/alice", 2);
    const before = at("/alice").length;
    await postAs(camp, aliceId, { source: "Try hard", audience: "camp" });
    await camp.settle();
    await retryNow();
    await retryNow();
    const tries = at("/alice").slice(before);
    expect(tries.map((t) => t.body.post.text)).toEqual(["Try hard", "Try hard", "Try hard"]);
    expect(tries.every((t) => t.valid)).toBe(true);
    const row = await camp.db.selectFrom("webhook_deliveries").select(["status", "attempts"]).where("body", "like", "%Try hard%").executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "delivered", attempts: 3 });
    const page = textOf(await (await alice.get("/settings/webhooks")).text());
    expect(page).toContain("post.created, delivered after 3 attempts");
    expect(camp.logs.some((l) => l.includes("webhooks: delivery failed, will retry") && l.includes("status 500"))).toBe(true);
  });

  test("send test delivers a signed test event", async () => {
    const hook = await camp.db.selectFrom("webhooks").select("id").where("account_id", "=", aliceId).executeTakeFirstOrThrow();
    expect((await alice.post(`/settings/webhooks/${hook.id}/test`)).status).toBe(303);
    await camp.settle();
    const last = at("/alice").at(-1)!;
    expect([last.event, last.valid, last.body.post]).toEqual(["test", true, null]);
  });

  test("an event handled twice delivers once (the consumer is idempotent)", async () => {
    const id = await postAs(camp, aliceId, { source: "Only once", audience: "camp" });
    await camp.settle();
    await webhookConsumer(camp.db, camp.config.origin).handle({ type: "post.created", postId: id });
    await camp.settle();
    expect(at("/alice").filter((r) => r.body.post?.text === "Only once").length).toBe(1);
  });
});

describe("the operator's camp-wide webhook goes through the gate as the operator", () => {
  test("camp and public posts arrive; followers-only and direct posts the operator may not see do not", async () => {
    await postAs(camp, bobId, { source: "Camp news", audience: "camp" });
    await postAs(camp, bobId, { source: "For my followers", audience: "followers" });
    await postAs(camp, bobId, { source: "Psst @alice", audience: "direct" });
    await postAs(camp, bobId, { source: "For the world", audience: "public" });
    await camp.settle();
    const texts = at("/camp").filter((r) => r.event === "camp.post.created").map((r) => r.body.post.text);
    expect(texts).toContain("Camp news");
    expect(texts).toContain("For the world");
    expect(texts).not.toContain("For my followers");
    expect(texts).not.toContain("Psst @alice");
    // Alice is mentioned, so she may see the direct post: her own webhook gets it.
    expect(at("/alice").map((r) => r.body.post?.text)).toContain("Psst @alice");
  });

  test("a new member arrives as member.joined", async () => {
    await camp.addMember("newbie");
    await camp.settle();
    const joined = at("/camp").find((r) => r.event === "member.joined")!;
    expect(joined.valid).toBe(true);
    expect(joined.body.member).toEqual({ handle: "newbie", name: "Newbie", url: `${camp.config.origin}/@newbie` });
  });
});

describe("receivers that never answer or always fail", () => {
  test("a receiver that answers 500 forever is given up on after the queue's last retry, and the page says so", async () => {
    failuresLeft.set("/alice", 1000);
    await postAs(camp, aliceId, { source: "Into the void", audience: "camp" });
    await camp.settle();
    await camp.db.updateTable("jobs").set({ attempts: BACKOFF_MS.length }).where("kind", "=", WEBHOOK_JOB).execute();
    await retryNow();
    const row = await camp.db.selectFrom("webhook_deliveries").select(["status", "last_error"]).where("body", "like", "%Into the void%").executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "failed", last_error: "answered with status 500" });
    expect(await camp.db.selectFrom("jobs").select("id").where("kind", "=", WEBHOOK_JOB).execute()).toEqual([]);
    expect(textOf(await (await alice.get("/settings/webhooks")).text())).toContain("post.created, failed, given up");
    failuresLeft.set("/alice", 0);
  });

  test("a receiver that never answers is cut off at the fetch time limit and retried later", async () => {
    const quick = await federatedCamp({ KITH_FETCH_TIMEOUT_MS: "300" });
    try {
      const id = await quick.addMember("zed");
      await quick.db.insertInto("webhooks").values({ account_id: id, url: hookUrl("/slow"), secret: "s", events: "post.created", created_at: Date.now() }).execute();
      await postAs(quick, id, { source: "Slow lane", audience: "camp" });
      await quick.settle();
      const row = await quick.db.selectFrom("webhook_deliveries").select(["status", "attempts", "last_error"]).executeTakeFirstOrThrow();
      expect(row).toEqual({ status: "pending", attempts: 1, last_error: `no answer from 127.0.0.1:${receiver.port} in 300 ms` });
      const job = await quick.db.selectFrom("jobs").select(["run_at", "attempts"]).where("kind", "=", WEBHOOK_JOB).executeTakeFirstOrThrow();
      expect(job.attempts).toBe(1);
      expect(job.run_at).toBeGreaterThan(Date.now());
    } finally {
      await quick.close();
    }
  });
});

describe("refusals", () => {
  test("a member cannot add camp-wide events, nor a non-web address", async () => {
    const bob = await camp.loggedIn("bob");
    const wide = await addHook(bob, "/bob", ["camp.post.created"]);
    expect(wide.status).toBe(403);
    expect(textOf(await wide.text())).toContain("Only the operator can send camp-wide events.");
    const ftp = await bob.post("/settings/webhooks", { url: "ftp://example.org/hook", "event:post.created": "1" });
    expect(ftp.status).toBe(422);
    expect(await camp.db.selectFrom("webhooks").select("id").where("account_id", "=", bobId).execute()).toEqual([]);
  });

  test("without the test-only switch, a webhook to a private address is refused by the guarded fetch", async () => {
    const config = loadConfig({ data: "/tmp/unused", port: "8080" }, {});
    await expect(guardedPoster(config)(`https://127.0.0.1:${receiver.port}/alice`, { body: "{}", headers: {} })).rejects.toThrow("private or reserved address");
  });
});
