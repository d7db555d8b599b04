#!/usr/bin/env bun
/**
 * `bun bench/discussion.ts`: only the search and poll vote rows of the harness, for a machine too
 * busy for the whole run. Builds the data set (KITH_BENCH_SCALE, as `bun run bench` does; or reuses
 * KITH_BENCH_DATASET, a data folder an earlier run kept), starts the compiled dist/kith on it and
 * measures both at 1 and 32 connections with the same settings and table as the full harness.
 */
import { Database } from "bun:sqlite";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ensureBinary, privateCopy } from "./binary.ts";
import { generateDataset, META_FILE, type DatasetMeta } from "./dataset/generate.ts";
import { shapeAt } from "./dataset/shape.ts";
import { measurePage, probe } from "./pages.ts";
import { addBenchPoll } from "./poll.ts";
import { startKith } from "./server.ts";
import { benchSettings } from "./settings.ts";
import { grouped, renderTable, type Row } from "./table.ts";
import { pageTargets, pollVoteTarget } from "./targets.ts";

const settings = benchSettings();
const loadAverage = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
console.log(`settings: scale ${settings.scale}; ${settings.runs} runs of ${settings.seconds} s after ${settings.warmupSeconds} s warm-up; load average ${loadAverage()}`);
console.log(ensureBinary());
mkdirSync(settings.workDir, { recursive: true });
const binary = await privateCopy(settings.workDir);
const dir = process.env.KITH_BENCH_DATASET || join(settings.workDir, "full");
const meta: DatasetMeta = existsSync(join(dir, META_FILE))
  ? JSON.parse(readFileSync(join(dir, META_FILE), "utf8"))
  : await generateDataset(dir, shapeAt(settings.scale));
console.log(`data set: ${grouped(meta.rows.posts ?? 0)} posts in ${dir}`);
const kith = await startKith(binary, dir, "/healthz");
const rows: Row[] = [];
try {
  const db = new Database(join(dir, "kith.sqlite"));
  db.exec("PRAGMA busy_timeout = 5000");
  const search = pageTargets(meta, new URL(kith.origin).host).find((t) => t.name.startsWith("search"))!;
  for (const target of [search, pollVoteTarget(meta, addBenchPoll(db, meta))]) {
    for (let i = 0; i < 20; i++) await probe(kith.origin, target);
    console.log(`${target.name}; load average ${loadAverage()}`);
    for (const f of await measurePage(kith.origin, target, settings, console.log, kith.cpuMs)) {
      rows.push({ measurement: target.name, connections: f.connections, figure: `${grouped(f.requestsPerSecond)} req/s`, p50Ms: f.p50Ms, p99Ms: f.p99Ms, cpuMsPerRequest: f.cpuMsPerRequest });
    }
  }
  db.close();
} finally {
  await kith.stop();
}
console.log(`load average after: ${loadAverage()}`);
console.log(renderTable(rows));
