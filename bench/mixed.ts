#!/usr/bin/env bun
/**
 * The mixed load: Home at 32 connections while the herald's fan-out to thousands of followers is
 * posted again as soon as the previous one has reached every server, and signed Create(Note)s reach
 * the shared inbox at a steady rate. `bun run bench` measures it as one of its rows; run alone,
 *
 *   bun bench/mixed.ts DATA_DIR [BINARY]   (a data set the harness kept, KITH_BENCH_KEEP=1, or one
 *                                           bench/profile_page.ts built; BINARY defaults to dist/kith)
 *
 * it measures only this row, on a copy of the data folder, with the harness's settings (KITH_WORKERS
 * and KITH_BENCH_* as for `bun run bench`), so two builds can be compared on one machine.
 */
import { Database } from "bun:sqlite";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashPassword } from "../src/domain/members/passwords.ts";
import { ensureBinary, privateCopy } from "./binary.ts";
import { BENCH_PASSWORD, META_FILE, type DatasetMeta } from "./dataset/generate.ts";
import { addFanoutAudience, fanOut, startSink, type Herald, type Sink } from "./fanout.ts";
import { deliverPaced, signedCreates } from "./inbox.ts";
import type { PageTarget } from "./pages.ts";
import { startKith, type KithServer } from "./server.ts";
import { benchSettings, type BenchSettings } from "./settings.ts";
import { grouped, type Row } from "./table.ts";
import { CSRF_TOKEN, memberCookie, pageTargets } from "./targets.ts";
import { median, runWrk } from "./wrk.ts";

/** Inbox activities per second during the mixed load. */
const MIXED_INBOX_PER_SECOND = 500;

export const mixedName = (settings: BenchSettings) =>
  `mixed: Home at 32 conns during fan-outs to ${grouped(settings.fanoutFollowers)} followers and ${MIXED_INBOX_PER_SECOND} inbox activities/s`;

/** The signing remote actors some member follows: the camp keeps only posts of people its members follow. */
export function followedSigners(meta: DatasetMeta, db: Database) {
  const followed = new Set((db.prepare(`select distinct f.followee_id as id from follows f join accounts a on a.id = f.follower_id
    where a.domain is null`).all() as { id: number }[]).map((r) => r.id));
  return meta.signers.filter((s) => followed.has(s.id));
}

/** The herald posting one public post through the real form, as the fan-out does. */
export const heraldPost = (origin: string, herald: Herald) => async () => {
  const body = new URLSearchParams({ _csrf: CSRF_TOKEN, source: "Hello, everyone out there! #benchmark", contentWarning: "", audience: "public", next: "/" });
  const response = await fetch(`${origin}/posts`, {
    method: "POST", body, redirect: "manual",
    headers: { cookie: memberCookie(herald.sessionToken), "content-type": "application/x-www-form-urlencoded", origin },
  });
  if (response.status !== 303) throw new Error(`posting answered ${response.status}, not 303`);
};

/** Measures the mixed load's row; throws when it cannot be measured. */
export async function measureMixed(kith: KithServer, sink: Sink, meta: DatasetMeta, db: Database, home: PageTarget, post: () => Promise<void>,
  settings: BenchSettings, log: (line: string) => void): Promise<Row> {
  const signers = followedSigners(meta, db);
  if (!signers.length) throw new Error("no signing remote actor is followed by a member");
  const seconds = settings.seconds * 2;
  const inboxUrl = `${kith.origin}/inbox`;
  const deliveries = signedCreates(signers, inboxUrl, MIXED_INBOX_PER_SECOND * (seconds + 5), `bench${Date.now()}mixed`, `${kith.origin}/users/${meta.viewer.handle}`);
  let stop = false;
  const inbox = deliverPaced(inboxUrl, deliveries, MIXED_INBOX_PER_SECOND, 32, () => stop);
  const fanouts: number[] = [];
  const fanning = (async () => {
    while (!stop) {
      const run = await fanOut(post, sink, settings.fanoutServers, kith.primaryRssMb);
      if (run.ms !== null) fanouts.push(run.ms);
    }
  })();
  const cpuBefore = kith.cpuMs();
  const run = await runWrk(kith.origin + home.path, { connections: 32, seconds, headers: home.headers });
  const cpu = kith.cpuMs() - cpuBefore;
  stop = true;
  const [paced] = await Promise.all([inbox, fanning]);
  log(`  mixed: Home ${run.requestsPerSecond.toFixed(0)} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, ${run.requests} requests, ${run.errors} errors; ` +
    `inbox ${paced.accepted} of ${paced.sent} accepted in ${paced.seconds.toFixed(1)} s; fan-outs finished: ${fanouts.map((ms) => `${ms} ms`).join(", ") || "none"}; server CPU ${cpu.toFixed(0)} ms`);
  return {
    measurement: mixedName(settings), connections: 32, figure: `${grouped(run.requestsPerSecond)} req/s`, p50Ms: run.p50Ms ?? Number.NaN, p99Ms: run.p99Ms ?? Number.NaN,
    note: `${fanouts.length} fan-outs of ${settings.fanoutServers} deliveries (median ${grouped(median(fanouts) / 1000, 2)} s); ` +
      `inbox ${grouped(paced.accepted / paced.seconds)} accepted/s; server CPU ${grouped(cpu / seconds / 10)}% of one core` + (run.errors ? `; ${run.errors} errors` : ""),
  };
}

if (import.meta.main) {
  const [source, binaryArg] = process.argv.slice(2);
  if (!source) throw new Error("usage: bun bench/mixed.ts DATA_DIR [BINARY]");
  const settings = benchSettings();
  const meta: DatasetMeta = JSON.parse(readFileSync(join(source, META_FILE), "utf8"));
  const work = mkdtempSync(join(tmpdir(), "kith-mixed-"));
  const dir = join(work, "data");
  cpSync(source, dir, { recursive: true });
  rmSync(join(dir, "kith.pid"), { force: true });
  if (!binaryArg) console.log(ensureBinary());
  const binary = binaryArg ?? (await privateCopy(work));
  const loadAverage = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  const sink = await startSink(settings.fanoutServers);
  const kith = await startKith(binary, dir, "/healthz");
  const db = new Database(join(dir, "kith.sqlite"));
  db.exec("PRAGMA busy_timeout = 5000");
  try {
    console.log(`${binary}: ${kith.processes} processes; load average ${loadAverage()}`);
    const herald = addFanoutAudience(db, sink.ports, settings.fanoutFollowers, await hashPassword(BENCH_PASSWORD));
    // As the harness does: fetching the actor document makes the camp generate the herald's keys now.
    await (await fetch(`${kith.origin}/users/${herald.handle}`, { headers: { accept: "application/activity+json" } })).arrayBuffer();
    const home = pageTargets(meta, new URL(kith.origin).host)[0]!;
    const row = await measureMixed(kith, sink, meta, db, home, heraldPost(kith.origin, herald), settings, console.log);
    console.log(`${row.measurement}: ${row.figure}, p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms; ${row.note}; load average ${loadAverage()}`);
  } finally {
    db.close();
    await kith.stop();
    await sink.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
