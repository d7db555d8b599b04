/** The address a request came from, for rate limits and logs. */
import type { Context } from "hono";
import type { WebEnv } from "./env.ts";

/** The server layer passes the socket's address as `c.env.ip`; behind a trusted proxy we use what it appended. */
export function clientAddress(c: Context<WebEnv>): string {
  if (c.var.deps.config.trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",").pop()?.trim();
    if (forwarded) return forwarded;
  }
  return c.env?.ip ?? "unknown";
}
