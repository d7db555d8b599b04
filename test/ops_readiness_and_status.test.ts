/**
 * /readyz reports what needs the operator (an overdue queue, a failing or stale off-site backup,
 * a nearly full disk) while /healthz stays 200, so the platform keeps the only machine in routing;
 * the operator's status page says the same in words, with queue, unreachable servers, backups,
 * disk, database size and version.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { checkReadiness, MIN_FREE_BYTES, OFFSITE_STALE_MS, OVERDUE_AFTER_MS } from "../src/health.ts";
import { recordBackupStatus } from "../src/domain/operations/backupStatus.ts";
import { markUnavailable } from "../src/federation/inboxHealth.ts";
import { enqueue } from "../src/jobs/queue.ts";
import { VERSION } from "../src/version.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";

let camp: TestCamp;
beforeEach(async () => {
  camp = await testCamp({ env: { KITH_OFFSITE: "offsite:camp" } });
});
afterEach(() => camp.close());

const probe = async (path: string) => {
  const response = await camp.app.request(path);
  return { status: response.status, body: (await response.json()) as { status: string; problems: string[] } };
};
const HOUR = 3_600_000;

test("a fresh camp whose off-site backup has never run: alive, and /readyz says no off-site copy exists yet", async () => {
  expect((await probe("/healthz")).status).toBe(200);
  expect(await probe("/readyz")).toEqual({ status: 503, body: expect.objectContaining({ problems: ["no off-site backup to offsite:camp has succeeded yet"] }) });
});

test("a /readyz 503 is logged as a warning for the operator, not as a server error", async () => {
  expect((await probe("/readyz")).status).toBe(503);
  const entries = camp.logs.map((line) => JSON.parse(line) as { level: string; message: string; path?: string });
  const readiness = entries.filter((entry) => entry.message === "request" && entry.path === "/readyz");
  expect(readiness.map((entry) => entry.level)).toEqual(["warn"]);
});

test("/readyz is 200 with a recent off-site copy, and 503 with the reason when the last one failed or is over two days old", async () => {
  const now = Date.now();
  recordBackupStatus(camp.dataDir, { offsite: { target: "offsite:camp", lastAttemptAt: now - HOUR, lastSuccessAt: now - HOUR, lastSuccessName: "kith-x.tar", lastError: null } });
  expect(await probe("/readyz")).toMatchObject({ status: 200, body: { status: "ready", problems: [] } });

  recordBackupStatus(camp.dataDir, { offsite: { target: "offsite:camp", lastAttemptAt: now, lastSuccessAt: now - HOUR, lastSuccessName: "kith-x.tar", lastError: "the remote refused the login" } });
  expect((await probe("/readyz")).body.problems).toEqual(["the last off-site backup to offsite:camp failed: the remote refused the login"]);
  expect((await probe("/healthz")).status).toBe(200);

  const old = now - OFFSITE_STALE_MS - HOUR;
  recordBackupStatus(camp.dataDir, { offsite: { target: "offsite:camp", lastAttemptAt: old, lastSuccessAt: old, lastSuccessName: "kith-x.tar", lastError: null } });
  expect((await probe("/readyz")).body.problems).toEqual(["the newest off-site backup to offsite:camp is 49 hours old"]);
});

test("/healthz stays 200 while the queue is overdue; /readyz names the overdue queue and a nearly full disk together", async () => {
  const now = Date.now();
  recordBackupStatus(camp.dataDir, { offsite: { target: "offsite:camp", lastAttemptAt: now, lastSuccessAt: now, lastSuccessName: "kith-x.tar", lastError: null } });
  await enqueue(camp.db, "test.stuck", {}, { runAt: now - OVERDUE_AFTER_MS - 60_000 });
  expect(await probe("/healthz")).toMatchObject({ status: 200, body: { status: "ok" } });
  const ready = await probe("/readyz");
  expect(ready.status).toBe(503);
  expect(ready.body.problems).toEqual([`1 queued job(s) overdue by more than ${OVERDUE_AFTER_MS / 60000} minutes`]);
  // The disk's free space is measured for real on the route; here it is given, as a nearly full disk would report it.
  const full = await checkReadiness(camp.db, { dataDir: camp.dataDir, offsite: "offsite:camp", freeBytes: MIN_FREE_BYTES / 4 });
  expect(full.problems).toEqual([`1 queued job(s) overdue by more than ${OVERDUE_AFTER_MS / 60000} minutes`, "the data disk is nearly full: 256 MB free"]);
});

test("the operator's status page says it all in words; members cannot open it", async () => {
  await camp.addMember("olive", "operator");
  await camp.addMember("bob");
  const now = Date.now();
  await enqueue(camp.db, "test.waiting", {}, { runAt: now - 3 * HOUR });
  await markUnavailable(camp.db, "https://gone.example/inbox", "gone.example", now - 50 * HOUR);
  recordBackupStatus(camp.dataDir, {
    local: { at: now - 2 * HOUR, file: "/var/lib/kith/backups/kith-20261203-010000.tar" },
    offsite: { target: "offsite:camp", lastAttemptAt: now, lastSuccessAt: now - 26 * HOUR, lastSuccessName: "kith-20261202-000000.tar", lastError: "the remote is full" },
    verify: { at: now - 5 * HOUR, ok: true, summary: "integrity ok, 5 tables match, 3 media files match" },
  });
  // New members queue their member.joined events too: the page counts every waiting job.
  const waiting = (await camp.db.selectFrom("jobs").select("id").execute()).length;
  const page = await (await (await camp.loggedIn("olive")).get("/admin/status")).text();
  for (const words of [
    "Needs your attention", "1 queued job(s) overdue", waiting === 1 ? "1 job waiting." : `${waiting} jobs waiting.`, "The oldest was due 3 hours ago.",
    "gone.example: unreachable since", "Last backup 2 hours ago", "kith-20261203-010000.tar", "The newest, kith-20261202-000000.tar, was made 26 hours ago.",
    "The last attempt failed: the remote is full", "The last restore drill (5 hours ago) passed", "GB free of", "Database:", `Kith version ${VERSION}.`,
  ]) expect(page).toContain(words);
  expect((await (await camp.loggedIn("bob")).get("/admin/status")).status).toBe(403);
});
