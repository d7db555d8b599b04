/**
 * A fixed-window counter per key (an address, an account). The counts live in SQLite, not in one
 * process's memory, because several HTTP workers serve the camp: a limit of 20 must hold for the
 * camp, not for each worker. Pages limit only actions that are writes anyway; the client API counts
 * every request of a token, as Mastodon does, at one statement each.
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

  /** Counts one attempt for the key and says where it stands: allowed, how many are left, when the window ends. */
  async count(db: Db, key: string, at = Date.now()): Promise<RateCount> {
    // One statement, so two workers counting the same key at once both see their own increment.
    const expired = sql<boolean>`${at} - rate_limits.window_start >= ${this.windowMs}`;
    const row = await db.insertInto("rate_limits")
      .values({ key: this.keyOf(key), window_start: at, count: 1 })
      .onConflict((oc) => oc.column("key").doUpdateSet({
        window_start: sql`case when ${expired} then excluded.window_start else rate_limits.window_start end`,
        count: sql`case when ${expired} then 1 else rate_limits.count + 1 end`,
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
