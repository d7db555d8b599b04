/**
 * OAuth scopes as Mastodon defines them: the top-level `read`, `write`, `follow`, `push` and
 * `profile`, and their sub-scopes (`read:statuses`, `write:media`...). A token holding a top-level
 * scope holds all its sub-scopes; `follow` is the older name for the follow, block and mute ones.
 */
const READ = ["accounts", "blocks", "bookmarks", "favourites", "filters", "follows", "lists", "mutes", "notifications", "search", "statuses"];
const WRITE = ["accounts", "blocks", "bookmarks", "conversations", "favourites", "filters", "follows", "lists", "media", "mutes", "notifications", "reports", "statuses"];
const FOLLOW = ["read:blocks", "write:blocks", "read:follows", "write:follows", "read:mutes", "write:mutes"];

/** Every scope this server knows, for its metadata. */
export const ALL_SCOPES: readonly string[] = ["read", "write", "follow", "push", "profile", ...READ.map((s) => `read:${s}`), ...WRITE.map((s) => `write:${s}`)];
const KNOWN = new Set(ALL_SCOPES);

/** The scopes an app gets when it names none. */
export const DEFAULT_SCOPES = ["read"];

/** Scopes from a space- (or plus-) separated string; null when one of them is unknown. */
export function parseScopes(value: string | null | undefined): string[] | null {
  const scopes = [...new Set((value ?? "").split(/[\s+]+/).filter(Boolean))];
  if (scopes.length === 0) return DEFAULT_SCOPES;
  return scopes.every((s) => KNOWN.has(s)) ? scopes : null;
}

/** Does a token with `granted` hold `needed`? A top-level scope covers its sub-scopes. */
export function holdsScope(granted: readonly string[], needed: string): boolean {
  if (granted.includes(needed)) return true;
  const [top] = needed.split(":");
  if (top !== needed && granted.includes(top!)) return true;
  if (needed === "profile") return granted.includes("read") || granted.includes("read:accounts");
  return granted.includes("follow") && FOLLOW.includes(needed);
}

/** Every requested scope is among those allowed (the app's registered scopes, or a code's). */
export function withinScopes(allowed: readonly string[], requested: readonly string[]): boolean {
  return requested.every((s) => holdsScope(allowed, s));
}

/** What each top-level scope lets an app do, in words for the consent page. */
export function describeScope(scope: string): string {
  const [top, sub] = scope.split(":");
  const what = sub ? ` (${sub})` : "";
  switch (top) {
    case "read": return `read your camp, your posts and your account${what}`;
    case "write": return `post, react and change things as you${what}`;
    case "follow": return "follow, unfollow, block and mute for you";
    case "push": return "receive push notifications (not offered by this camp yet)";
    default: return "see your profile";
  }
}
