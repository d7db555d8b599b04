/**
 * Splits a CPU profile (`bun --cpu-prof bench/profile_page.ts`, one page per profile) into the kinds
 * of work BENCHMARKS.md reports: SQLite, query building, rendering, session, middleware, and the rest.
 * Each sample goes to the first frame, from the leaf up, whose file says what it is: the native
 * `all` under Kysely's SQLite driver is SQLite, a Kysely compiler frame is query building, and so on.
 * Only samples taken while a request was being answered count (not start-up or data loading).
 *
 *   bun bench/cpu_categories.ts /tmp/prof/Home.cpuprofile [more.cpuprofile ...]
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** In order: the first rule matching a frame, leaf first, names the sample's kind. */
const RULES: [kind: string, test: (url: string, name: string) => boolean][] = [
  ["SQLite (statements run by bun:sqlite)", (url) => url.includes("/src/db/driver.ts") || url.includes("/kysely/dist/esm/dialect/sqlite/sqlite-driver.js")],
  ["query building (Kysely builds and compiles SQL)", (url) => url.includes("/kysely/")],
  ["session and CSRF (their own code)", (url) => url.includes("/src/web/session.ts") || url.includes("/src/web/csrf.ts")],
  ["rendering (JSX and html templates)", (url) => url.includes("/hono/dist/jsx/") || url.includes("/hono/dist/helper/html/") || url.includes("/hono/dist/utils/html.js") || url.includes("/views/") || url.includes("/src/web/render.tsx")],
  ["domain code (rules, shaping rows)", (url) => url.includes("/src/domain/")],
  ["middleware and framework (Hono, logging, Request/Response)", (url, name) => url.includes("/hono/") || url.includes("/src/app.ts") || url.includes("/src/log.ts") || url.includes("/src/web/") || ["Response", "Request", "Headers"].includes(name)],
];
const OTHER = "other (promises and native helpers with no caller above in our code)";
/** Besides the kinds: the share of samples with one of these anywhere on the stack (every kind of work under it). */
const UNDER: [label: string, test: (url: string, name: string) => boolean][] = [
  ["all work under the session lookup (loadViewer)", (url) => url.includes("/src/web/session.ts")],
  ["all work under the navigation's unread count", (url, name) => url.includes("/src/domain/notifications/") && name.includes("unreadCount")],
];

/** Frames that show a request is being answered; everything else is start-up and data loading. */
const inRequest = (url: string) => url.includes("/hono/") || url.includes("/kysely/") || url.includes("/src/") || url.includes("/views/");

/** Milliseconds per kind for one profile. */
export function categorize(profile: Profile): Map<string, number> {
  const parent = new Map<number, ProfileNode>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  const out = new Map<string, number>();
  for (const [i, id] of profile.samples.entries()) {
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const stack: ProfileNode[] = [];
    for (let node = byId.get(id); node; node = parent.get(node.id)) stack.push(node);
    if (!stack.some((n) => inRequest(n.callFrame.url))) continue;
    for (const [label, test] of UNDER) if (stack.some((n) => test(n.callFrame.url, n.callFrame.functionName))) out.set(label, (out.get(label) ?? 0) + ms);
    const kind = stack.map((n) => RULES.find(([, test]) => test(n.callFrame.url, n.callFrame.functionName))?.[0]).find(Boolean) ?? OTHER;
    out.set(kind, (out.get(kind) ?? 0) + ms);
  }
  return out;
}

if (import.meta.main) {
  const files = process.argv.slice(2);
  const results = files.map((file) => ({ name: basename(file).replace(/\.cpuprofile$/, ""), kinds: categorize(JSON.parse(readFileSync(file, "utf8"))) }));
  const kinds = [...RULES.map(([kind]) => kind), OTHER];
  const total = (m: Map<string, number>) => kinds.reduce((sum, kind) => sum + (m.get(kind) ?? 0), 0);
  console.log(`| kind of work | ${results.map((r) => r.name).join(" | ")} |`);
  console.log(`| --- | ${results.map(() => "---:").join(" | ")} |`);
  for (const kind of [...kinds, ...UNDER.map(([label]) => label)]) {
    console.log(`| ${kind} | ${results.map((r) => `${(((r.kinds.get(kind) ?? 0) / total(r.kinds)) * 100).toFixed(1)}%`).join(" | ")} |`);
  }
  console.log(`| samples in requests (ms) | ${results.map((r) => total(r.kinds).toFixed(0)).join(" | ")} |`);
}
