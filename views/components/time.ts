/**
 * When a post was written, as people say it ("5 min", "yesterday", "Mon", "3 Mar") computed at
 * render, with the exact time in the member's time zone on hover (title) and in `<time datetime>`.
 *
 * Formatting a date through Intl costs a few microseconds, and a stream page has twenty of them:
 * the exact forms of each (zone, instant) are built once and kept, as the same posts are drawn for
 * many requests.
 */
import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

/** What a page needs to say times: the reader's zone and the moment the page is drawn. */
export interface TimeContext {
  zone: string;
  now: number;
}

interface Exact {
  /** `<time datetime="2026-12-03T14:23+01:00" title="Thursday, 3 December 2026 at 14:23 (Europe/Berlin)">`. */
  open: string;
  /** Days since the epoch in the reader's zone, to tell "yesterday" from "2 days ago". */
  day: number;
  /** "Mon"; "3 Dec"; "3 Dec 2024": the short forms for older posts. */
  weekday: string;
  dayMonth: string;
  year: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const CACHE_LIMIT = 20_000;
const exactCache = new Map<string, Exact>();
const formatters = new Map<string, { parts: Intl.DateTimeFormat; title: Intl.DateTimeFormat }>();

function formattersOf(zone: string) {
  let f = formatters.get(zone);
  if (!f) {
    f = {
      parts: new Intl.DateTimeFormat("en-GB", {
        timeZone: zone, year: "numeric", month: "short", day: "numeric", weekday: "short",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "longOffset",
      }),
      title: new Intl.DateTimeFormat("en-GB", { timeZone: zone, dateStyle: "full", timeStyle: "short" }),
    };
    formatters.set(zone, f);
  }
  return f;
}

const escapeAttribute = (text: string) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

const MONTHS: Record<string, string> = { Jan: "01", Feb: "02", Mar: "03", Apr: "04", May: "05", Jun: "06", Jul: "07", Aug: "08", Sep: "09", Oct: "10", Nov: "11", Dec: "12" };

function exactOf(at: number, zone: string): Exact {
  const key = `${zone}|${at}`;
  let exact = exactCache.get(key);
  if (exact) return exact;
  const f = formattersOf(zone);
  const p = Object.fromEntries(f.parts.formatToParts(at).map((part) => [part.type, part.value]));
  // "GMT+01:00", or "GMT" for UTC itself.
  const offset = p.timeZoneName === "GMT" ? "+00:00" : p.timeZoneName!.slice(3);
  const sign = offset.startsWith("-") ? -1 : 1;
  const offsetMs = sign * (Number(offset.slice(1, 3)) * HOUR + Number(offset.slice(4, 6)) * MINUTE);
  const dd = p.day!.padStart(2, "0");
  const datetime = `${p.year}-${MONTHS[p.month!]}-${dd}T${p.hour}:${p.minute}${offset === "+00:00" ? "Z" : offset}`;
  exact = {
    open: `<time datetime="${datetime}" title="${escapeAttribute(`${f.title.format(at)} (${zone})`)}">`,
    day: Math.floor((at + offsetMs) / DAY),
    weekday: p.weekday!,
    dayMonth: `${p.day} ${p.month}`,
    year: Number(p.year),
  };
  if (exactCache.size >= CACHE_LIMIT) exactCache.clear();
  exactCache.set(key, exact);
  return exact;
}

/** The short relative form of `at` as seen at `time.now` in `time.zone`. */
export function relativeTime(at: number, time: TimeContext): string {
  const ago = time.now - at;
  if (ago < MINUTE) return "just now";
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min`;
  const exact = exactOf(at, time.zone);
  const today = exactOf(time.now - (time.now % MINUTE), time.zone);
  const days = today.day - exact.day;
  if (days === 0) return `${Math.floor(ago / HOUR)} h`;
  if (days === 1) return "yesterday";
  if (days < 7) return exact.weekday;
  return exact.year === today.year ? exact.dayMonth : `${exact.dayMonth} ${exact.year}`;
}

/** `<time>` with the relative text, the exact local time on hover and as its machine-readable value. */
export function TimeAgo(at: number, time: TimeContext): HtmlEscapedString {
  // Every part is made here from numbers and Intl's words (the title escaped once, when cached).
  return raw(`${exactOf(at, time.zone).open}${relativeTime(at, time)}</time>`);
}
