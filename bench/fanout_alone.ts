#!/usr/bin/env bun
/**
 * The fan-out row alone, to compare two builds' memory: copies a data folder of the harness
 * (`bun bench/run.ts` keeps none; bench/profile_page.ts builds one), starts BINARY on it with the
 * harness's settings, adds 2,000 followers on 500 sink servers and runs two fan-outs, printing the
 * queue process's RSS before, at peak and after each. `bun bench/fanout_alone.ts BINARY DATA_DIR LABEL`
 */
import { Database } from "bun:sqlite";
import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { startKith } from "./server.ts";
import { addFanoutAudience, fanOut, startSink } from "./fanout.ts";
import { heraldPost } from "./mixed.ts";
import { hashPassword } from "../src/domain/members/passwords.ts";
import { BENCH_PASSWORD } from "./dataset/generate.ts";
const [binary, src, label] = process.argv.slice(2);
const dir = `/tmp/fan-${label}`;
rmSync(dir, { recursive: true, force: true });
cpSync(src!, dir, { recursive: true });
const sink = await startSink(500);
const kith = await startKith(binary!, dir, "/healthz");
const db = new Database(join(dir, "kith.sqlite"));
const herald = addFanoutAudience(db, sink.ports, 2000, await hashPassword(BENCH_PASSWORD));
await fetch(`${kith.origin}/users/${herald.handle}`, { headers: { accept: "application/activity+json" } });
for (let i = 0; i < 2; i++) {
  const run = await fanOut(heraldPost(kith.origin, herald), sink, 500, kith.primaryRssMb);
  console.log(label, `delivered ${run.delivered}, RSS ${run.rssBeforeMb.toFixed(1)} → peak ${run.rssPeakMb.toFixed(1)} (+${((run.rssPeakMb / run.rssBeforeMb - 1) * 100).toFixed(0)}%) → ${run.rssAfterMb.toFixed(1)} MB; ${run.ms} ms`);
}
await kith.stop();
await sink.stop();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
