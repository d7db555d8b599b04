/**
 * /healthz answers the platform's liveness checks (database reachable; an overdue queue is /readyz's business), every
 * request leaves exactly one structured log line with its request id, and KITH_LOG_LEVEL filters.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { createApp } from "../src/app.ts";
import { Kysely, SqliteDialect } from "kysely";
import type { Database } from "../src/db/schema.ts";
import { OVERDUE_AFTER_MS } from "../src/health.ts";
import { enqueue } from "../src/jobs/queue.ts";
import { createLogger } from "../src/log.ts";
import { testCamp, freePort, type TestCamp } from "./support/camp.ts";
import { REPO, startKith, tempDir } from "./support/kith.ts";

let camp: TestCamp;
beforeEach(async () => {
  camp = await testCamp();
});
afterEach(() => camp.close());

const health = async (app = camp.app) => {
  const response = await app.request("/healthz");
  return { status: response.status, body: (await response.json()) as { status: string; problems: string[]; queue: { queued: number; overdue: number } | null }, response };
};

describe("/healthz", () => {
  test("is 200 with a small JSON body on a fresh camp, and sets no cookie", async () => {
    const { status, body, response } = await health();
    expect(status).toBe(200);
    expect(body).toEqual({ status: "ok", problems: [], queue: { queued: 0, overdue: 0 } });
    expect(response.headers.get("set-cookie")).toBeNull();
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  test("stays 200 while queued jobs are recent, or overdue but being worked on", async () => {
    await enqueue(camp.db, "test.recent", {}, { runAt: Date.now() - 60_000 });
    await enqueue(camp.db, "test.working", {}, { runAt: Date.now() - 2 * OVERDUE_AFTER_MS });
    await camp.db.updateTable("jobs").set({ locked_until: Date.now() + 60_000 }).where("kind", "=", "test.working").execute();
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.queue).toEqual({ queued: 2, overdue: 0 });
  });

  test("stays 200 while a job has been due for too long (liveness), and /readyz says why", async () => {
    await enqueue(camp.db, "test.stuck", {}, { runAt: Date.now() - OVERDUE_AFTER_MS - 60_000 });
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toEqual({ status: "ok", problems: [], queue: { queued: 1, overdue: 1 } });
    const ready = await camp.app.request("/readyz");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: "attention", problems: [`1 queued job(s) overdue by more than ${OVERDUE_AFTER_MS / 60000} minutes`] });
  });

  test("is 503 when the database cannot be reached", async () => {
    // A database whose every connection fails, as when the disk holding it has gone away.
    const unreachable = new Kysely<Database>({
      dialect: new SqliteDialect({
        database: async () => {
          throw new Error("unable to open database file");
        },
      }),
    });
    const app = createApp({ db: unreachable, config: camp.config, log: createLogger("error", () => {}) });
    const { status, body } = await health(app);
    expect(status).toBe(503);
    expect(body.problems).toEqual(["database unreachable: unable to open database file"]);
    expect(body.queue).toBeNull();
  });
});

describe("request log", () => {
  const requestLines = () => camp.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.message === "request");

  test("one JSON line per request, carrying the id the response names", async () => {
    const response = await camp.client().get("/about");
    const id = response.headers.get("x-request-id")!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const lines = requestLines().filter((l) => l.requestId === id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "info", method: "GET", path: "/about", status: 200 });
    expect(typeof lines[0]!.ms).toBe("number");
  });

  test("keeps a request id handed in by a proxy", async () => {
    const response = await camp.client().get("/about", { "x-request-id": "proxy-abc-123" });
    expect(response.headers.get("x-request-id")).toBe("proxy-abc-123");
    expect(requestLines().filter((l) => l.requestId === "proxy-abc-123")).toHaveLength(1);
  });

  test("healthy health checks log at debug, not info", async () => {
    await camp.app.request("/healthz");
    const line = requestLines().find((l) => l.path === "/healthz")!;
    expect(line.level).toBe("debug");
  });
});

describe("KITH_LOG_LEVEL", () => {
  /** Starts `kith serve` at the given level, makes two requests, stops it, returns what it printed. */
  async function serveAt(level: string): Promise<Record<string, unknown>[]> {
    const port = await freePort();
    const kith = startKith([process.execPath, "src/main.ts", "serve"], {
      cwd: REPO,
      env: { KITH_DATA: tempDir(), KITH_PORT: String(port), KITH_LOG_LEVEL: level },
    });
    await kith.waitFor(/"message":"serving"|No operator yet/);
    await (await fetch(`http://127.0.0.1:${port}/about`)).text();
    await (await fetch(`http://127.0.0.1:${port}/healthz`)).text();
    expect(await kith.stop()).toBe(0);
    return kith
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  test("debug shows every request, info hides health checks, warn hides requests", async () => {
    const paths = (lines: Record<string, unknown>[]) => lines.filter((l) => l.message === "request").map((l) => l.path);
    expect(paths(await serveAt("debug"))).toEqual(["/about", "/healthz"]);
    expect(paths(await serveAt("info"))).toEqual(["/about"]);
    const quiet = await serveAt("warn");
    expect(paths(quiet)).toEqual([]);
    expect(quiet.filter((l) => l.level === "info")).toEqual([]);
    // Three starts, each with its HTTP worker on a machine with several cores.
  }, 30_000);
});
