/** What a member's handle may be: short, lowercase-insensitive, safe in a URL and in `@handle@domain`. */
import { refuse } from "../errors.ts";

const HANDLE = /^[a-z0-9_]{1,30}$/i;
/** Handles that would collide with our own paths or confuse people. */
const RESERVED = new Set([
  "admin", "administrator", "root", "operator", "moderator", "kith", "instance", "actor", "system",
  "support", "help", "about", "settings", "login", "logout", "join", "setup", "static", "media",
  "inbox", "outbox", "api", "well_known", "nodeinfo", "healthz", "readyz", "notifications", "camp", "home",
]);

export function normalizeHandle(raw: string): string {
  return raw.trim().replace(/^@/, "");
}

/** Returns the handle as typed (without a leading @) or refuses it with a reason. */
export function validateHandle(raw: string): string {
  const handle = normalizeHandle(raw);
  if (!HANDLE.test(handle)) {
    refuse("invalid", "A handle is 1 to 30 letters, digits or underscores (a-z, 0-9, _).", "handle");
  }
  if (RESERVED.has(handle.toLowerCase())) refuse("invalid", `The handle "${handle}" is reserved; pick another.`, "handle");
  return handle;
}
