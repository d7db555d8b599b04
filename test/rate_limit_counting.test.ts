/**
 * The client API's rate limit counts every request without a write for each: a process adds its
 * count to the shared one every tenth request, and on every request near the limit, so the limit
 * still holds exactly for one process, and two processes (two connections to the same file, as two
 * HTTP workers) together overshoot it by less than one batch each.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { openStore, type Store } from "../src/db/open.ts";
import { CountingRateLimiter, RateLimiter } from "../src/web/rateLimit.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";

let camp: TestCamp;
let other: Store;
beforeAll(async () => {
  camp = await testCamp();
  other = await openStore(camp.config.dbFile);
});
afterAll(async () => {
  await other.close();
  await camp.close();
});

const stored = async (key: string) =>
  (await camp.db.selectFrom("rate_limits").select("count").where("key", "=", `test:${key}`).executeTakeFirst())?.count ?? 0;

test("far from the limit, every tenth request is written; the answers still count each one", async () => {
  const limiter = new CountingRateLimiter(new RateLimiter("test", 300, 60_000));
  const remaining: number[] = [];
  for (let i = 0; i < 25; i++) remaining.push((await limiter.count(camp.db, "far")).remaining);
  expect(remaining).toEqual(Array.from({ length: 25 }, (_, i) => 299 - i));
  // Written at the 1st, 11th and 21st requests, each with the ones before it.
  expect(await stored("far")).toBe(21);
});

test("near the limit every request is written, and the one past it is refused", async () => {
  const limiter = new CountingRateLimiter(new RateLimiter("test", 30, 60_000));
  const answers = [];
  for (let i = 0; i < 31; i++) answers.push(await limiter.count(camp.db, "near"));
  expect(answers.slice(0, 30).every((a) => a.allowed)).toBe(true);
  expect(answers[30]).toMatchObject({ allowed: false, remaining: 0 });
  expect(await stored("near")).toBe(31);
});

test("two processes sharing the count overshoot the limit by less than a batch each", async () => {
  const limit = 50;
  const a = new CountingRateLimiter(new RateLimiter("test", limit, 60_000));
  const b = new CountingRateLimiter(new RateLimiter("test", limit, 60_000));
  let allowed = 0;
  for (let i = 0; i < 100; i++) {
    if ((await a.count(camp.db, "shared")).allowed) allowed++;
    if ((await b.count(other.db, "shared")).allowed) allowed++;
  }
  expect(allowed).toBeGreaterThanOrEqual(limit);
  expect(allowed).toBeLessThan(limit + 2 * 10);
});

test("a new window starts the count again and drops what the last one had not written", async () => {
  const limiter = new CountingRateLimiter(new RateLimiter("test", 300, 1000));
  const start = Date.now();
  for (let i = 0; i < 5; i++) await limiter.count(camp.db, "window", start);
  const next = await limiter.count(camp.db, "window", start + 1500);
  expect(next).toMatchObject({ allowed: true, remaining: 299, resetAt: start + 2500 });
  expect(await stored("window")).toBe(1);
});
