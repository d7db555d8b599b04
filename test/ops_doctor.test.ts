/**
 * `kith doctor` looks a camp over and says plainly what is wrong, with a non-zero exit when
 * anything is: a stuck delivery queue, a damaged database, a missing data folder, test-only
 * settings left on. (Only local domains here: a public one would be looked up in DNS.)
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { OVERDUE_AFTER_MS } from "../src/health.ts";
import { enqueue } from "../src/jobs/queue.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { runKith, tempDir } from "./support/kith.ts";

let camp: TestCamp;
beforeEach(async () => {
  camp = await testCamp();
});
afterEach(() => camp.close());

const doctor = (env: Record<string, string> = {}) => runKith(["doctor"], { KITH_DATA: camp.dataDir, KITH_DOMAIN: camp.config.domain, ...env });

describe("kith doctor", () => {
  test("a healthy camp: every check ok, exit 0", async () => {
    await camp.addMember("sam");
    const run = await doctor();
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("ok      database integrity");
    // The one job is the new member's member.joined event, waiting for a server to run it.
    expect(run.stdout).toContain("ok      delivery queue: 1 job(s) waiting");
    expect(run.stdout).toMatch(/^ok {6}disk: [\d.]+ GB free \(\d+%\)$/m);
    expect(run.stdout).toContain("note    no server is running on this data right now");
    expect(run.stdout).not.toContain("PROBLEM");
    expect(run.stdout.trim().endsWith("All good.")).toBe(true);
  });

  test("a stuck delivery queue is a problem; jobs that keep failing are worth a note", async () => {
    await enqueue(camp.db, "deliver", {}, { runAt: Date.now() - OVERDUE_AFTER_MS - 60_000 });
    await enqueue(camp.db, "deliver", {}, { dedupeKey: "failing" });
    await camp.db.updateTable("jobs").set({ attempts: 5, last_error: "https://gone.example/inbox answered 502" }).where("dedupe_key", "=", "failing").execute();
    const run = await doctor();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`PROBLEM 1 queued job(s) are overdue by more than ${OVERDUE_AFTER_MS / 60000} minutes: is the server running?`);
    expect(run.stdout).toContain("note    1 job(s) keep failing and are being retried; the latest error: https://gone.example/inbox answered 502");
    expect(run.stdout).toContain("1 problem found.");
  });

  test("a damaged database", async () => {
    camp.store.sqlite.query("PRAGMA wal_checkpoint(TRUNCATE)");
    await camp.store.close();
    const bytes = readFileSync(camp.config.dbFile);
    bytes.fill(0x5a, 8192, bytes.length - 8192);
    writeFileSync(camp.config.dbFile, bytes);
    const run = await doctor();
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^PROBLEM .*its database is damaged .* Restore the latest backup \(kith restore FILE\)\.$/m);
  });

  test("a data folder with no camp in it", async () => {
    const run = await runKith(["doctor"], { KITH_DATA: join(tempDir(), "nothing-here") });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("does not exist. Is --data (KITH_DATA) right?");
    expect(run.stdout).toContain("PROBLEM there is no database at");
  });

  test("the test-only private-network switch left on", async () => {
    const run = await doctor({ KITH_UNSAFE_ALLOW_PRIVATE_NETWORK: "1" });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("PROBLEM KITH_UNSAFE_ALLOW_PRIVATE_NETWORK=1 is for tests only");
  });
});
