/**
 * Markup of the parts of post cards that are the same for every reader, kept across requests: a
 * stream page draws twenty cards, and the same posts are drawn for every member who opens it.
 *
 * Callers put a version in each key that changes whenever anything the markup shows does (the
 * posts' and accounts' `card_version`, bumped by triggers in the database, so a write made by any
 * process changes the key every process asks for), so an entry is never stale: an old version is
 * simply no longer asked for, and ages out. Only reader-independent markup is kept here; which cards
 * a reader gets, and everything about the reader (liked, boosted, saved, own post, muted words, the
 * CSRF token), is decided and drawn per request.
 *
 * Least recently used entries go first once the markup kept passes a budget in bytes.
 */

/** About 4,000 cards of 1 KB: the newest posts of a camp, within a few MB of memory per process. */
const BUDGET_BYTES = 8 * 1024 * 1024;

/** A string's size in memory, counted as two bytes a character (the most a JavaScript string takes). */
const bytesOf = (key: string, value: string) => 2 * (key.length + value.length);

let entries = new Map<string, string>();
let bytes = 0;

/** The markup kept under `key`, or what `make` draws (then kept). */
export function cachedMarkup(key: string, make: () => string): string {
  const hit = entries.get(key);
  if (hit !== undefined) {
    // Map keeps insertion order: moving the entry to the end makes the first one the least recently used.
    entries.delete(key);
    entries.set(key, hit);
    return hit;
  }
  const value = make();
  entries.set(key, value);
  bytes += bytesOf(key, value);
  for (const [oldKey, oldValue] of entries) {
    if (bytes <= BUDGET_BYTES) break;
    entries.delete(oldKey);
    bytes -= bytesOf(oldKey, oldValue);
  }
  return value;
}

/** How much markup is kept, for tests and measurements. */
export function cardCacheSize(): { entries: number; bytes: number } {
  return { entries: entries.size, bytes };
}

/** Forgets every entry (a measurement's cold start). */
export function clearCardCache(): void {
  entries = new Map();
  bytes = 0;
}
