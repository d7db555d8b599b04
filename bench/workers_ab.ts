/**
 * What the second core buys: the compiled dist/kith on one data set, started with KITH_WORKERS=1 and
 * with KITH_WORKERS=2 side by side (two ports, two copies of the data folder), each page at 32
 * connections, runs alternating between the two so that whatever else loads the machine weighs on
 * both alike. Prints rate, p99 and server CPU per request (summed over each server's processes).
 *
 *   bun bench/workers_ab.ts DATA_DIR   (a data set built by the harness or bench/profile_page.ts;
 *                                       KITH_BENCH_SECONDS=5, KITH_BENCH_RUNS=3)
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBinary, privateCopy } from "./binary.ts";
import { META_FILE, type DatasetMeta } from "./dataset/generate.ts";
import { probe } from "./pages.ts";
import { startKith } from "./server.ts";
import { benchSettings } from "./settings.ts";
import { pageTargets } from "./targets.ts";
import { median, runWrk } from "./wrk.ts";

const source = process.argv[2];
if (!source) throw new Error("usage: bun bench/workers_ab.ts DATA_DIR");
const settings = benchSettings();
const meta: DatasetMeta = JSON.parse(readFileSync(join(source, META_FILE), "utf8"));
const work = mkdtempSync(join(tmpdir(), "kith-workers-ab-"));
console.log(ensureBinary());
const binary = await privateCopy(work);
const counts = [1, 2];
const servers = [];
for (const workers of counts) {
  const dir = join(work, `workers-${workers}`);
  cpSync(source, dir, { recursive: true });
  rmSync(join(dir, "kith.pid"), { force: true });
  servers.push(await startKith(binary, dir, "/healthz", { KITH_WORKERS: String(workers) }));
}
try {
  // Home, Camp, thread and profile: their paths do not depend on the host.
  for (const page of pageTargets(meta, "127.0.0.1").slice(0, 4)) {
    const figures = counts.map(() => ({ rate: [] as number[], p99: [] as number[], cpu: [] as number[] }));
    for (const kith of servers) {
      await probe(kith.origin, page);
      await runWrk(kith.origin + page.path, { connections: 32, seconds: settings.warmupSeconds, headers: page.headers });
    }
    for (let run = 0; run < settings.runs; run++) {
      for (const [i, kith] of servers.entries()) {
        const before = kith.cpuMs();
        const result = await runWrk(kith.origin + page.path, { connections: 32, seconds: settings.seconds, headers: page.headers });
        figures[i]!.rate.push(result.requestsPerSecond);
        figures[i]!.p99.push(result.p99Ms ?? Number.NaN);
        figures[i]!.cpu.push((kith.cpuMs() - before) / Math.max(1, result.requests));
      }
    }
    for (const [i, workers] of counts.entries()) {
      const f = figures[i]!;
      console.log(`${page.name.padEnd(40)} KITH_WORKERS=${workers}: ${median(f.rate).toFixed(0)} req/s, p99 ${median(f.p99).toFixed(1)} ms, ` +
        `${median(f.cpu).toFixed(3)} CPU ms/req (runs: ${f.rate.map((r) => r.toFixed(0)).join(" ")} req/s)`);
    }
  }
  console.log(`load average after: ${readFileSync("/proc/loadavg", "utf8").trim()}`);
} finally {
  for (const kith of servers) await kith.stop();
  rmSync(work, { recursive: true, force: true });
}
