/**
 * htmx is only an enhancement: the same route answers a plain form with a redirect or a full page,
 * and an htmx request (htmx 4 sends `HX-Request: true`) with the fragment it swaps in.
 */
import type { Context } from "hono";
import type { WebEnv } from "./env.ts";

export const isHtmx = (c: Context<WebEnv>): boolean => c.req.header("hx-request") === "true";

/** A positive database id from a path or form field; anything else (a forged or broken id) is null. */
export function parseId(value: string | undefined | null): number | null {
  if (!value || !/^[1-9]\d{0,14}$/.test(value)) return null;
  return Number(value);
}

/** The keyset cursor of a stream page from `?before=`, or null for the newest page. */
export const cursorOf = (c: Context<WebEnv>): number | null => parseId(c.req.query("before"));
