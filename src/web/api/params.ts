/**
 * Mastodon's clients send parameters in the query, as a form, as multipart or as JSON, and arrays
 * as `name[]=a&name[]=b` or as JSON arrays. One reader takes them all, so handlers ask by name.
 */
import type { Context } from "hono";
import type { ApiEnv } from "./env.ts";

export interface Params {
  text(name: string): string | undefined;
  list(name: string): string[];
  bool(name: string): boolean | undefined;
  file(name: string): File | undefined;
  /** A nested object's field, as `name[key]` in forms or `{name: {key}}` in JSON. */
  nested(name: string, key: string): string | undefined;
  /** One field of each object in a list, as `name[][key]` in forms or `{name: [{key}]}` in JSON. */
  listOf(name: string, key: string): string[];
  /** A list inside an object, as `{name: {key: [...]}}` in JSON (forms send `name[key][]`, read with list). */
  listIn(name: string, key: string): string[];
}

type Value = string | File | boolean | number | null | Value[] | { [key: string]: Value };

/** Reads every parameter of the request once; a broken body reads as no parameters (the handler then refuses). */
export async function readParams(c: Context<ApiEnv>): Promise<Params> {
  const values = new Map<string, Value>();
  const url = new URL(c.req.url);
  const add = (name: string, value: Value) => {
    const key = name.endsWith("[]") ? name.slice(0, -2) : name;
    if (name.includes("[]")) values.set(key, [...((values.get(key) as Value[] | undefined) ?? []), value]);
    else values.set(key, value);
  };
  for (const [name, value] of url.searchParams) add(name, value);
  if (c.req.method !== "GET" && c.req.method !== "HEAD") {
    const type = c.req.header("content-type") ?? "";
    try {
      if (type.includes("application/json")) {
        const body = (await c.req.json()) as unknown;
        if (body && typeof body === "object" && !Array.isArray(body)) for (const [k, v] of Object.entries(body)) values.set(k, v as Value);
      } else if (type.includes("form")) {
        const form = await c.req.formData();
        for (const [name, value] of form) add(name, value as string | File);
      }
    } catch (error) {
      c.var.deps.log.info("api: body could not be parsed", { requestId: c.var.requestId, error: String(error) });
    }
  }
  const scalar = (v: Value | undefined) => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined);
  return {
    text: (name) => scalar(values.get(name)),
    list: (name) => {
      const v = values.get(name);
      if (Array.isArray(v)) return v.map(scalar).filter((s): s is string => s !== undefined);
      const one = scalar(v);
      return one === undefined ? [] : [one];
    },
    bool: (name) => {
      const v = scalar(values.get(name));
      if (v === undefined || v === "") return undefined;
      return ["true", "1", "on", "yes"].includes(v.toLowerCase());
    },
    file: (name) => {
      const v = values.get(name);
      return v instanceof File ? v : undefined;
    },
    nested: (name, key) => {
      const v = values.get(name);
      if (v && typeof v === "object" && !Array.isArray(v) && !(v instanceof File)) return scalar(v[key]);
      return scalar(values.get(`${name}[${key}]`));
    },
    listIn: (name, key) => {
      const v = values.get(name);
      const inner = v && typeof v === "object" && !Array.isArray(v) && !(v instanceof File) ? v[key] : undefined;
      return Array.isArray(inner) ? inner.map(scalar).filter((s): s is string => s !== undefined) : [];
    },
    listOf: (name, key) => {
      const v = values.get(name);
      if (Array.isArray(v)) {
        return v.flatMap((item) => (item && typeof item === "object" && !Array.isArray(item) && !(item instanceof File) ? [scalar(item[key])] : []))
          .filter((s): s is string => s !== undefined);
      }
      const form = values.get(`${name}[][${key}]`);
      return (Array.isArray(form) ? form : []).map(scalar).filter((s): s is string => s !== undefined);
    },
  };
}
