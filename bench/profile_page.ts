/**
 * In-process CPU cost of the personalized pages: builds (or reuses) a small data set, then times N
 * requests per page through app.request as the data set's logged-in viewer and prints CPU ms per
 * request (process.cpuUsage), the median of several rounds. No sockets, so the figure is the app's own.
 * KITH_PROFILE_BEFORE names another checkout of Kith (say `git archive` of an older commit): its app
 * runs in the same process, rounds alternating with this tree's, so a before/after comparison is not
 * swamped by the machine's drift between two runs.
 *
 *   bun bench/profile_page.ts   (KITH_PROFILE_DIR, KITH_BENCH_SCALE=0.05, KITH_PROFILE_N=400,
 *                                KITH_PROFILE_ROUNDS=7, KITH_PROFILE_WARMUP=500, KITH_PROFILE_BEFORE,
 *                                KITH_PROFILE_PAGES=Home,thread to measure only pages whose names start so,
 *                                KITH_PROFILE_DRAWN=1 to ask a new address each time, so the page cache never answers)
 * With `bun --cpu-prof-md bench/profile_page.ts` and one page, the profile is that page's alone.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { loadConfig } from "../src/config.ts";
import { generateDataset, META_FILE, type DatasetMeta } from "./dataset/generate.ts";
import { shapeAt } from "./dataset/shape.ts";
import { memberCookie, pageTargets } from "./targets.ts";

const scale = Number(process.env.KITH_BENCH_SCALE ?? "0.05");
const dir = process.env.KITH_PROFILE_DIR ?? join(tmpdir(), `kith-profile-${scale}`);
const perRound = Number(process.env.KITH_PROFILE_N ?? "400");
const rounds = Number(process.env.KITH_PROFILE_ROUNDS ?? "7");
const warmup = Number(process.env.KITH_PROFILE_WARMUP ?? "500");
const drawn = process.env.KITH_PROFILE_DRAWN === "1";
let asked = 0;
/** The page's address, made new each time when drawn pages are measured. */
const addressOf = (path: string) => (drawn ? `${path}${path.includes("?") ? "&" : "?"}drawn=${++asked}` : path);

const meta: DatasetMeta = existsSync(join(dir, META_FILE))
  ? JSON.parse(readFileSync(join(dir, META_FILE), "utf8"))
  : await generateDataset(dir, shapeAt(scale));

const config = loadConfig({ data: dir, domain: "localhost:8080" }, {});
// What each page is asked with is the harness's (a browser's cookie, or a peer's Accept); this is the default.
const headers = { cookie: memberCookie(meta.viewer.sessionToken), accept: "text/html" };
const only = process.env.KITH_PROFILE_PAGES?.split(",");
// The personalized pages, unless named (then any page, such as "actor JSON" or "WebFinger").
const pages = pageTargets(meta, config.domain)
  .filter((page) => (only ? only.some((prefix) => page.name.startsWith(prefix)) : page.mustContain.includes("stream") || page.mustContain === "<article"));

type Ask = (path: string, pageHeaders?: Record<string, string>) => Promise<string>;

/** The app of the Kith checkout at `root`, on its own connection to the data set. */
async function appOf(root: string): Promise<{ ask: Ask; close: () => Promise<void> }> {
  const { createApp } = await import(join(root, "src/app.ts"));
  const { migrateToLatest, openStore } = await import(join(root, "src/db/open.ts"));
  const { createLogger } = await import(join(root, "src/log.ts"));
  const store = await openStore(config.dbFile);
  await migrateToLatest(store.db);
  // The real server writes each line to stdout; here the line is built (that cost counts) and dropped.
  const app = createApp({ db: store.db, config, log: createLogger("info", () => {}) });
  return { ask: async (path, pageHeaders = headers) => (await app.request(path, { headers: pageHeaders })).text(), close: () => store.close() };
}

const trees = [
  ...(process.env.KITH_PROFILE_BEFORE ? [{ name: "before", ...(await appOf(process.env.KITH_PROFILE_BEFORE)) }] : []),
  { name: "this tree", ...(await appOf(join(import.meta.dir, ".."))) },
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function cpuMsPerRequest(ask: Ask, path: string, pageHeaders: Record<string, string>): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < perRound; i++) await ask(addressOf(path), pageHeaders);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / perRound;
}

for (const page of pages) {
  for (const tree of trees) {
    const body = await tree.ask(page.path, page.headers);
    if (!body.includes(page.mustContain)) throw new Error(`${tree.name}: ${page.path} did not answer with ${page.mustContain}: ${body.slice(0, 200)}`);
    for (let i = 0; i < warmup; i++) await tree.ask(addressOf(page.path), page.headers);
  }
  const figures = trees.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    for (const [i, tree] of trees.entries()) figures[i]!.push(await cpuMsPerRequest(tree.ask, page.path, page.headers));
  }
  for (const [i, tree] of trees.entries()) {
    console.log(`${page.name.padEnd(40)} ${tree.name.padEnd(9)} ${median(figures[i]!).toFixed(3)} CPU ms/req  (rounds: ${figures[i]!.map((f) => f.toFixed(3)).join(" ")})`);
  }
}
for (const tree of trees) await tree.close();
