/**
 * A fixed-window counter per key (an address, an account). The counts live in SQLite, not in one
 * process's memory, because several HTTP workers serve the camp: a limit of 20 must hold for the
 * camp, not for each worker. Pages limit only actions that are writes anyway; the client API counts
 * every request of a token, as Mastodon does, through CountingRateLimiter (a write every tenth request).
 */
import { sql } from "kysely";
import type { Db } from "../db/open.ts";

/** Expired windows are deleted on about one hit in this many, so the table stays small without a timer. */
const SWEEP_ONE_IN = 100;

/** Where a key stands after a counted attempt (for the X-RateLimit-* headers of the client API). */
export interface RateCount {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When the window ends and the count starts again (ms). */
  resetAt: number;
}

export class RateLimiter {
  /** `name` keeps limits apart in the shared table: two limiters may count the same address. */
  constructor(
    private readonly name: string,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one attempt for the key and says whether it is still within the limit. */
  async hit(db: Db, key: string, at = Date.now()): Promise<boolean> {
    return (await this.count(db, key, at)).allowed;
  }

  /** Counts `amount` attempts for the key and says where it stands: allowed, how many are left, when the window ends. */
  async count(db: Db, key: string, at = Date.now(), amount = 1): Promise<RateCount> {
    // One statement, so two workers counting the same key at once both see their own increment.
    const expired = sql<boolean>`${at} - rate_limits.window_start >= ${this.windowMs}`;
    const row = await db.insertInto("rate_limits")
      .values({ key: this.keyOf(key), window_start: at, count: amount })
      .onConflict((oc) => oc.column("key").doUpdateSet({
        window_start: sql`case when ${expired} then excluded.window_start else rate_limits.window_start end`,
        count: sql`case when ${expired} then excluded.count else rate_limits.count + excluded.count end`,
      }))
      .returning(["count", "window_start"])
      .executeTakeFirstOrThrow();
    if (Math.random() * SWEEP_ONE_IN < 1) await this.sweep(db, at);
    return { allowed: row.count <= this.limit, limit: this.limit, remaining: Math.max(0, this.limit - row.count), resetAt: row.window_start + this.windowMs };
  }

  /** Whether the key is over the limit now, without counting an attempt. */
  async blocked(db: Db, key: string, at = Date.now()): Promise<boolean> {
    const row = await db.selectFrom("rate_limits").select(["window_start", "count"]).where("key", "=", this.keyOf(key)).executeTakeFirst();
    return !!row && at - row.window_start < this.windowMs && row.count >= this.limit;
  }

  private keyOf(key: string): string {
    return `${this.name}:${key}`;
  }

  private async sweep(db: Db, at: number): Promise<void> {
    await db.deleteFrom("rate_limits").where("key", "like", `${this.name}:%`).where("window_start", "<=", at - this.windowMs).execute();
  }
}

/** Keys a CountingRateLimiter keeps in memory at most; past it, it starts again (their unsent counts are dropped). */
const MAX_PENDING_KEYS = 10_000;

/**
 * A RateLimiter for limits counted on every request (the client API's, per token). A write per
 * request made each one wait for SQLite's write lock and an fsync (about 0.3 ms alone, far more with
 * several HTTP workers queueing for the lock), so each process counts a key in memory and adds its
 * count to the shared one in one statement every `flushEvery` requests, and on every request once
 * the key is within `flushEvery` of its limit: the limit is exact where it matters, give or take the
 * few requests other workers have not sent yet, and a busy token costs a write every tenth request.
 */
export class CountingRateLimiter {
  /** Per database (a process serves one; tests open many): each key's last known count and the requests not yet added to it. */
  private readonly pendingOf = new WeakMap<Db, Map<string, { known: RateCount; unsent: number }>>();

  constructor(
    private readonly limiter: RateLimiter,
    private readonly flushEvery = 10,
  ) {}

  /** Counts one request for the key and says where it stands (see RateLimiter.count). */
  async count(db: Db, key: string, at = Date.now()): Promise<RateCount> {
    let pending = this.pendingOf.get(db);
    if (!pending) this.pendingOf.set(db, pending = new Map());
    const entry = pending.get(key);
    const current = entry && at < entry.known.resetAt ? entry : null;
    if (current && current.unsent + 1 < this.flushEvery && current.known.remaining - current.unsent - 1 >= this.flushEvery) {
      current.unsent += 1;
      return { ...current.known, remaining: current.known.remaining - current.unsent };
    }
    const known = await this.limiter.count(db, key, at, (current?.unsent ?? 0) + 1);
    if (!pending.has(key) && pending.size >= MAX_PENDING_KEYS) pending.clear();
    pending.set(key, { known, unsent: 0 });
    return known;
  }
}
