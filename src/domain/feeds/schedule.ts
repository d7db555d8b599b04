/**
 * When a source is checked next, politely: never sooner than every 15 minutes, later when the feed
 * asks (RSS `ttl`, `Retry-After`), never in the hours it asks to be left alone (`skipHours`), and
 * backing off after failures, doubling up to one day.
 */
import { DAY } from "../clock.ts";

export const MIN_INTERVAL_MS = 15 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

export interface ScheduleHints {
  /** Consecutive failed checks, including this one. */
  failures: number;
  ttlMinutes?: number | null;
  retryAfterMs?: number | null;
  skipHours?: number[];
}

/** The time of the next check after one that ended at `at`. */
export function nextPollAt(at: number, hints: ScheduleHints): number {
  const backoff = hints.failures > 0 ? Math.min(MIN_INTERVAL_MS * 2 ** hints.failures, DAY) : MIN_INTERVAL_MS;
  const wait = Math.min(Math.max(backoff, (hints.ttlMinutes ?? 0) * 60 * 1000, hints.retryAfterMs ?? 0), DAY);
  let next = at + wait;
  const skip = new Set(hints.skipHours ?? []);
  // Every hour skipped would never end; the feed's wish is then ignored.
  if (skip.size < 24) while (skip.has(new Date(next).getUTCHours())) next = Math.floor(next / HOUR) * HOUR + HOUR;
  return next;
}

/** A `Retry-After` header (seconds or an HTTP date) as milliseconds from `at`, or null. */
export function retryAfterMs(header: string | null, at: number): number | null {
  if (!header) return null;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(date - at, 0);
}
