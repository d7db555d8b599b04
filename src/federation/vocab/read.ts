/**
 * Reading ActivityStreams JSON from other servers, which is loose: a property may be a string,
 * an object, or an array of either. These helpers give one predictable shape, or nothing.
 */
export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** The value as a list, whatever it was. */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The id of a reference: a string, or an object's `id`. */
export function idOf(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (isObject(value) && typeof value.id === "string") return value.id;
  return null;
}

/** Every id in a property that may hold one or many references. */
export const idsOf = (value: unknown): string[] => asList(value).map(idOf).filter((id): id is string => id !== null);

export const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

/** A `type` that may be a list; true when any entry is one of the names. */
export function hasType(value: Json, ...names: string[]): boolean {
  return asList(value.type).some((t) => typeof t === "string" && names.includes(t));
}

/** The first `type` name, for logs and dispatch. */
export const typeOf = (value: Json): string => asList(value.type).find((t): t is string => typeof t === "string") ?? "";

/** A URL-valued property (`url` may be a string, a Link or a list of them). */
export function firstUrl(value: unknown): string | null {
  for (const entry of asList(value)) {
    if (typeof entry === "string") return entry;
    if (isObject(entry) && typeof entry.href === "string") return entry.href;
    if (isObject(entry) && typeof entry.url === "string") return entry.url;
  }
  return null;
}

/** A language map or plain string, read as one string. */
export function plain(value: unknown, map?: unknown): string | null {
  if (typeof value === "string") return value;
  if (isObject(map)) {
    const first = Object.values(map).find((v) => typeof v === "string");
    if (typeof first === "string") return first;
  }
  return null;
}
