/**
 * Several processes on one port (KITH_WORKERS): exactly one (the primary) runs the job queue and
 * answers no HTTP, every other one answers requests, and SIGKILL of any of them loses no acknowledged post or queued
 * delivery: a killed worker is replaced, a killed primary takes its workers with it, and after a
 * restart the queue delivers everything.
 */
import { afterEach, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PASSWORD } from "./support/camp.ts";
import { tempDir, type RunningKith } from "./support/kith.ts";
import { activityOf, expectEachPostKeptAndItsDeliveryOwed, killHard, RawHttp, seedCamp, startCamp, startCampWithOperator } from "./support/ops.ts";

const running: RunningKith[] = [];
const sinks: { stop(force: boolean): void }[] = [];
afterEach(async () => {
  for (const kith of running.splice(0)) await kith.stop().catch(() => {});
  for (const sink of sinks.splice(0)) sink.stop(true);
});

/** A remote follower's inbox on loopback: the ids of the activities delivered to it. */
function startSink(): { inbox: string; delivered: Set<string> } {
  const delivered = new Set<string>();
  const sink = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: async (request) => {
      delivered.add(((await request.json()) as { id: string }).id);
      return new Response(null, { status: 202 });
    },
  });
  sinks.push(sink);
  return { inbox: `http://127.0.0.1:${sink.port}/inbox`, delivered };
}

/** The log lines a camp process (and its workers, which share its output) printed, parsed. */
const logLines = (kith: RunningKith) =>
  kith.output().split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Record<string, unknown> & { message: string; pid?: number });

/** The processes whose parent is `pid`, from /proc: any of its threads may have started them. */
function childrenOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((task) => {
    const children = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
    return children ? children.split(" ").map(Number) : [];
  });
}

async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}

/**
 * A member posting over a new connection each time (`Connection: close`), so the kernel spreads the
 * posts over every worker; a request that fails (its worker was killed) is simply tried again.
 */
async function member(origin: string, handle: string) {
  const about = await fetch(`${origin}/about`);
  await about.arrayBuffer();
  const csrf = about.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.startsWith("kith_csrf="))!.split("=")[1]!;
  const send = (path: string, fields: Record<string, string>, cookie: string) =>
    fetch(`${origin}${path}`, {
      method: "POST", redirect: "manual", body: new URLSearchParams({ _csrf: csrf, ...fields }),
      headers: { cookie, connection: "close", "content-type": "application/x-www-form-urlencoded" },
    });
  const login = await send("/login", { handle, password: PASSWORD }, `kith_csrf=${csrf}`);
  expect(login.status).toBe(303);
  const session = login.headers.getSetCookie().map((c) => c.split(";")[0]!).join("; ");
  const cookie = `kith_csrf=${csrf}; ${session}`;
  return {
    /** Posts publicly until `stop()`, collecting the ids the camp acknowledged with its redirect. */
    async keepPosting(acknowledged: number[], stop: () => boolean): Promise<void> {
      for (let i = 0; !stop(); i++) {
        const response = await send("/posts", { source: `${handle} says hello, number ${i}`, audience: "public" }, cookie).catch(() => null);
        if (!response) {
          await Bun.sleep(10);
          continue;
        }
        await response.arrayBuffer().catch(() => {});
        const id = response.status === 303 ? response.headers.get("location")?.match(/#post-(\d+)$/)?.[1] : undefined;
        if (id) acknowledged.push(Number(id));
      }
    },
  };
}

const WORKERS = { KITH_WORKERS: "2", KITH_LOG_LEVEL: "debug", KITH_UNSAFE_ALLOW_PRIVATE_NETWORK: "1" };

test("with KITH_WORKERS=2 (three processes) the primary runs the job queue and answers no request; its two HTTP workers answer them all", async () => {
  const sink = startSink();
  const data = tempDir();
  const camp = await startCampWithOperator(data, WORKERS);
  running.push(camp.kith);
  await until(() => logLines(camp.kith).filter((l) => l.message === "http worker ready").length === 2, "two HTTP workers");
  const primary = camp.kith.pid;
  const workers = childrenOf(primary);
  expect(workers).toHaveLength(2);

  await seedCamp(data, { members: ["sam"], remoteFollowerInbox: sink.inbox, followees: ["sam"] });
  const sam = await member(camp.origin, "sam");
  const acknowledged: number[] = [];
  await sam.keepPosting(acknowledged, () => acknowledged.length >= 30);
  await until(() => acknowledged.every((id) => sink.delivered.has(activityOf(camp.origin, id))), "every post delivered");
  // The primary logs a delivery once the sink has answered it: wait for the last lines too.
  await until(() => logLines(camp.kith).filter((l) => l.message === "federation: delivered").length >= acknowledged.length, "every delivery logged");

  // Thirty-odd new connections: each HTTP worker took some of them, the primary none.
  const lines = logLines(camp.kith);
  const answeredBy = new Set(lines.filter((l) => l.message === "request").map((l) => l.pid));
  expect(answeredBy).toEqual(new Set(workers));
  // Every job ran in the primary, and no other process ever started a queue.
  const deliveries = lines.filter((l) => l.message === "federation: delivered");
  expect(deliveries.length).toBeGreaterThanOrEqual(acknowledged.length);
  expect(new Set(deliveries.map((l) => l.pid))).toEqual(new Set([primary]));
  expect(lines.filter((l) => l.message === "job queue running").map((l) => l.pid)).toEqual([primary]);
}, 60_000);

test("SIGKILL of a worker, then of the primary, loses no acknowledged post or queued delivery", async () => {
  const sink = startSink();
  const data = tempDir();
  const camp = await startCampWithOperator(data, WORKERS);
  running.push(camp.kith);
  await until(() => logLines(camp.kith).filter((l) => l.message === "http worker ready").length === 2, "two HTTP workers");
  await seedCamp(data, { members: ["sam", "tove"], remoteFollowerInbox: sink.inbox, followees: ["sam", "tove"] });
  const acknowledged: number[] = [];
  let stop = false;
  const writing = Promise.all(["sam", "tove"].map(async (handle) => (await member(camp.origin, handle)).keepPosting(acknowledged, () => stop)));

  await until(() => acknowledged.length >= 20, "twenty acknowledged posts");
  const [victim, survivor] = childrenOf(camp.kith.pid);
  await killHard(victim!);
  // The primary starts another worker, and posting goes on through every process.
  await until(() => childrenOf(camp.kith.pid).length === 2 && !childrenOf(camp.kith.pid).includes(victim!), "a replacement worker");
  const afterWorkerKill = acknowledged.length;
  await until(() => acknowledged.length >= afterWorkerKill + 20, "twenty more acknowledged posts");

  await killHard(camp.kith.pid);
  stop = true;
  await writing;
  // Its workers notice the primary is gone and stop too.
  const orphans = [survivor!, ...logLines(camp.kith).filter((l) => l.message === "http worker ready").map((l) => l.pid!)];
  await until(() => orphans.every((pid) => { try { process.kill(pid, 0); return false; } catch { return true; } }), "the workers to stop");

  expectEachPostKeptAndItsDeliveryOwed(data, camp.origin, acknowledged, sink.delivered);

  const restarted = await startCamp(data, camp.port, WORKERS);
  running.push(restarted.kith);
  await until(() => acknowledged.every((id) => sink.delivered.has(activityOf(camp.origin, id))), "every acknowledged post delivered after the restart");
}, 90_000);

test("SIGTERM, even twice, lets every worker finish the requests in flight, then all exit", async () => {
  const data = tempDir();
  const camp = await startCampWithOperator(data, WORKERS);
  running.push(camp.kith);
  await until(() => logLines(camp.kith).filter((l) => l.message === "http worker ready").length === 2, "two HTTP workers");
  const workers = childrenOf(camp.kith.pid);
  const about = await fetch(`${camp.origin}/about`);
  await about.arrayBuffer();
  const csrf = about.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.startsWith("kith_csrf="))!.split("=")[1]!;
  const body = new URLSearchParams({ _csrf: csrf, handle: "olga", password: PASSWORD }).toString();

  // Ten logins with their headers sent and their bodies held back: the kernel spreads them over the workers.
  const connections = Array.from({ length: 10 }, () => new RawHttp(camp.port));
  for (const connection of connections) {
    connection.write(`POST /login HTTP/1.1\r\nHost: 127.0.0.1:${camp.port}\r\nCookie: kith_csrf=${csrf}\r\n` +
      `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`);
  }
  await Promise.all(connections.map((connection) => connection.waitFor(/^HTTP\/1\.1 100 Continue\r\n\r\n/)));
  // As systemd does (every process of the service) and the primary does again (its workers): two signals each.
  for (const pid of [camp.kith.pid, ...workers]) process.kill(pid, "SIGTERM");
  await until(() => logLines(camp.kith).filter((l) => l.message === "http worker stopping").length === 2, "both workers stopping");
  // The kernel may have given a worker none of the held logins: it has nothing to drain and may be gone already.
  for (const pid of workers) signalIfAlive(pid, "SIGTERM");

  for (const connection of connections) connection.write(body);
  for (const connection of connections) expect(await connection.waitFor(/\r\n\r\n[\s\S]*HTTP\/1\.1 \d{3}[\s\S]*\r\n\r\n/)).toMatch(/HTTP\/1\.1 303 See Other\r\n/i);
  expect(await camp.kith.exited).toBe(0);
  expect(workers.every((pid) => { try { process.kill(pid, 0); return false; } catch { return true; } })).toBe(true);
  expect(camp.kith.output()).toContain('"message":"stopped"');
  // The held logins were answered by the workers, none by the primary.
  const answeredBy = new Set(logLines(camp.kith).filter((l) => l.message === "request" && l.path === "/login").map((l) => l.pid));
  expect(answeredBy.size).toBeGreaterThan(0);
  expect([...answeredBy].every((pid) => workers.includes(pid!))).toBe(true);
}, 60_000);

function signalIfAlive(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as { code?: string }).code !== "ESRCH") throw error;
  }
}
