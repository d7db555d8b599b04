/** Reading submitted forms: every field as a trimmed-or-empty string, files as bytes. */
import type { Context } from "hono";
import type { WebEnv } from "./env.ts";

export interface Form {
  text(name: string): string;
  file(name: string): Promise<Uint8Array | null>;
  /** The name the browser gave an uploaded file, or "". */
  fileName(name: string): string;
}

/** Parses the body once; a malformed body reads as an empty form, which every handler refuses clearly. */
export async function readForm(c: Context<WebEnv>): Promise<Form> {
  let body: Record<string, string | File | (string | File)[]> = {};
  try {
    body = await c.req.parseBody();
  } catch (error) {
    c.var.deps.log.warn("form: body could not be parsed", { requestId: c.var.requestId, error: String(error) });
  }
  return {
    text: (name) => {
      const value = body[name];
      return typeof value === "string" ? value : "";
    },
    file: async (name) => {
      const value = body[name];
      return value instanceof File && value.size > 0 ? new Uint8Array(await value.arrayBuffer()) : null;
    },
    fileName: (name) => {
      const value = body[name];
      return value instanceof File ? value.name : "";
    },
  };
}

const LOCAL = "http://kith.invalid";

/**
 * A `next` target that stays on this site: a path, never another origin. The WHATWG URL parser
 * reads it as a browser would (dropping tabs and newlines, taking a backslash for "/"), so tricks like
 * "/\t/evil.example" cannot turn into another host after we have checked them.
 */
export function safeNext(value: string | undefined | null): string {
  if (!value || !value.startsWith("/")) return "/";
  // URL.parse would read better, but Node 20 does not have it.
  try {
    const url = new URL(value, LOCAL);
    return url.origin === LOCAL ? url.pathname + url.search + url.hash : "/";
  } catch {
    return "/";
  }
}
