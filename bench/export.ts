#!/usr/bin/env bun
/**
 * `bun bench/export.ts`: the memory of an archive export. Builds a camp whose member has 10,000
 * posts (a share camp-only) and a gigabyte of images, starts the compiled dist/kith on it, asks for
 * the member's archive through the page, and reads the server's resident memory every 20 ms until
 * the archive is ready; prints the figures for BENCHMARKS.md. Knobs: KITH_BENCH_EXPORT_POSTS,
 * KITH_BENCH_EXPORT_IMAGES, KITH_BENCH_EXPORT_IMAGE_KB.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBinary, privateCopy } from "./binary.ts";
import { startKith } from "./server.ts";
import { CSRF_TOKEN, memberCookie } from "./targets.ts";
import { migrateToLatest, openStore } from "../src/db/open.ts";
import { insertMember, prepareMember } from "../src/domain/members/accounts.ts";
import { startSession } from "../src/domain/members/sessions.ts";
import type { Audience } from "../src/db/schema.ts";

const POSTS = Number(process.env.KITH_BENCH_EXPORT_POSTS ?? 10_000);
const IMAGES = Number(process.env.KITH_BENCH_EXPORT_IMAGES ?? 1_000);
const IMAGE_KB = Number(process.env.KITH_BENCH_EXPORT_IMAGE_KB ?? 1_024);
const BUDGET_MB = 128;
const AUDIENCES: Audience[] = ["camp", "camp", "public", "followers", "unlisted"];

const loadAverage = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
const peakMbOf = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;

/** A data folder with one member, their posts and their images on disk. */
async function buildCamp(dataDir: string): Promise<string> {
  const store = await openStore(join(dataDir, "kith.sqlite"));
  await migrateToLatest(store.db);
  const accountId = await insertMember(store.db, await prepareMember({ handle: "ada", displayName: "Ada", password: "bench password 1" }), "member", null);
  const at = Date.now() - POSTS * 60_000;
  const text = "A line of an ordinary post, about the garden and the weather and what we cook tonight. ".repeat(3);
  for (let i = 0; i < POSTS; i += 500) {
    const rows = Array.from({ length: Math.min(500, POSTS - i) }, (_, j) => {
      const n = i + j;
      return { author_id: accountId, audience: AUDIENCES[n % AUDIENCES.length]!, source: `${n} ${text}`, html: `<p>${n} ${text}</p>`, created_at: at + n * 60_000 };
    });
    await store.db.insertInto("posts").values(rows).execute();
  }
  const mediaDir = join(dataDir, "media");
  mkdirSync(mediaDir, { recursive: true });
  const chunk = randomBytes(IMAGE_KB * 1024);
  const step = Math.max(1, Math.floor(POSTS / IMAGES));
  for (let i = 0; i < IMAGES; i++) {
    const key = `${randomBytes(16).toString("hex")}.jpg`;
    // Each file differs in its first bytes, so nothing can share pages between them.
    chunk.writeUInt32BE(i, 0);
    writeFileSync(join(mediaDir, key), chunk);
    await store.db.insertInto("media").values({ owner_id: accountId, post_id: 1 + ((i * step) % POSTS), storage_key: key, mime: "image/jpeg", bytes: chunk.length, created_at: at }).execute();
  }
  const { token } = await startSession(store.db, accountId);
  await store.close();
  return token;
}

async function main() {
  console.log(ensureBinary());
  const work = mkdtempSync(join(tmpdir(), "kith-bench-export-"));
  try {
    const binary = await privateCopy(work);
    const dataDir = join(work, "data");
    mkdirSync(dataDir);
    const built = performance.now();
    const token = await buildCamp(dataDir);
    console.log(`camp built in ${((performance.now() - built) / 1000).toFixed(1)} s: ${POSTS} posts, ${IMAGES} images of ${IMAGE_KB} KB (${((IMAGES * IMAGE_KB) / 1024).toFixed(0)} MB)`);
    const kith = await startKith(binary, dataDir, "/healthz");
    const headers = { cookie: memberCookie(token) };
    await fetch(`${kith.origin}/settings/export`, { headers });
    const before = kith.rssMb();
    const load = [loadAverage()];
    const started = performance.now();
    const asked = await fetch(`${kith.origin}/settings/export`, {
      method: "POST", headers: { ...headers, "content-type": "application/x-www-form-urlencoded" }, body: `_csrf=${CSRF_TOKEN}`, redirect: "manual",
    });
    if (asked.status !== 303) throw new Error(`asking for the archive answered ${asked.status}`);
    let maxRss = before;
    let link: string | undefined;
    for (let polls = 0; !link; polls++) {
      maxRss = Math.max(maxRss, kith.rssMb());
      if (polls % 25 === 0) {
        const page = await (await fetch(`${kith.origin}/settings/export`, { headers })).text();
        if (page.includes("could not be made")) throw new Error("the export failed; see server.log");
        link = /href="(\/settings\/export\/\d+\/download)"/.exec(page)?.[1];
      }
      await Bun.sleep(20);
    }
    const seconds = (performance.now() - started) / 1000;
    const buildPeak = peakMbOf(kith.pid);
    const buildMax = maxRss;
    load.push(loadAverage());
    const download = await fetch(`${kith.origin}${link}`, { headers });
    let bytes = 0;
    for await (const part of download.body!) {
      bytes += part.length;
      maxRss = Math.max(maxRss, kith.rssMb());
    }
    const peak = peakMbOf(kith.pid);
    console.log(`export of ${POSTS} posts and ${IMAGES} images: ${seconds.toFixed(1)} s, archive ${(bytes / 1024 ** 2).toFixed(0)} MB downloaded`);
    console.log(`RSS before ${before.toFixed(1)} MB; while building: highest seen ${buildMax.toFixed(1)} MB, VmHWM ${buildPeak.toFixed(1)} MB; while downloading: highest seen ${maxRss.toFixed(1)} MB, VmHWM (process peak) ${peak.toFixed(1)} MB; after ${kith.rssMb().toFixed(1)} MB`);
    console.log(`target < ${BUDGET_MB} MB: ${peak < BUDGET_MB ? "met" : "missed"}; load average before ${load[0]}, after ${load[1]}`);
    await kith.stop();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
