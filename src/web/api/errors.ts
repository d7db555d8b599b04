/** Error answers as Mastodon gives them: `{"error": "..."}` with the status Mastodon uses for the case. */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { Refusal } from "../../domain/errors.ts";
import { statusOf } from "../render.tsx";
import type { ApiEnv } from "./env.ts";

export const NOT_FOUND = "Record not found";

export function apiError(c: Context<ApiEnv>, status: ContentfulStatusCode, error: string) {
  return c.json({ error }, status);
}

/** A refusal from the domain as an API error (422 for invalid input, as Mastodon's validation errors); anything else is rethrown. */
export function refusalAnswer(c: Context<ApiEnv>, error: unknown) {
  if (!(error instanceof Refusal)) throw error;
  c.var.deps.log.info("api: refused", { requestId: c.var.requestId, path: c.req.path, reason: error.message });
  if (error.kind === "not_found") return apiError(c, 404, NOT_FOUND);
  const message = error.kind === "invalid" && !error.message.startsWith("Validation failed") ? `Validation failed: ${error.message}` : error.message;
  return apiError(c, statusOf(error), message);
}
