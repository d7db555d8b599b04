/** The harness reads wrk's report right: rates, percentiles in every unit, errors, and runs where nothing finished. */
import { afterAll, describe, expect, test } from "bun:test";
import { median, parseWrk, runWrk } from "../bench/wrk.ts";

const REPORT = `Running 5s test @ http://127.0.0.1:41234/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.36ms    2.10ms  40.57ms   91.20%
    Req/Sec     3.22k   312.40     3.90k    70.00%
  Latency Distribution
     50%  850.00us
     75%    4.80ms
     90%    6.10ms
     99%    1.20s
  32278 requests in 5.04s, 61.02MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:   6402.38
Transfer/sec:     12.11MB
`;

describe("parseWrk", () => {
  test("reads the rate, converts every latency unit to milliseconds and adds up the errors", () => {
    const run = parseWrk(REPORT);
    expect(run.requestsPerSecond).toBe(6402.38);
    expect(run.requests).toBe(32278);
    expect(run.p50Ms).toBeCloseTo(0.85, 6);
    expect(run.p99Ms).toBe(1200);
    expect(run.errors).toBe(12);
  });

  test("refuses a report without a rate instead of inventing one", () => {
    expect(() => parseWrk("unable to connect to 127.0.0.1:1 Connection refused")).toThrow(/no request rate/);
  });

  test("the median ignores runs without latencies", () => {
    expect(median([3, null, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([null]))).toBe(true);
  });
});

describe("runWrk against a loopback server", () => {
  let hang: (() => void) | null = null;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const path = new URL(request.url).pathname;
      if (path === "/fail") return new Response("no", { status: 500 });
      if (path === "/hang") return new Promise<Response>((resolve) => (hang = () => resolve(new Response("late"))));
      return new Response("ok");
    },
  });
  const base = `http://127.0.0.1:${server.port}`;
  afterAll(() => {
    hang?.();
    server.stop(true);
  });

  test("counts answered requests, with p50 no higher than p99", async () => {
    const run = await runWrk(`${base}/ok`, { connections: 2, seconds: 1 });
    expect(run.requests).toBeGreaterThan(0);
    expect(run.errors).toBe(0);
    expect(run.p50Ms!).toBeLessThanOrEqual(run.p99Ms!);
  });

  test("counts every 500 as an error", async () => {
    const run = await runWrk(`${base}/fail`, { connections: 1, seconds: 1 });
    expect(run.requests).toBeGreaterThan(0);
    expect(run.errors).toBe(run.requests);
  });

  test("reports no latency at all when nothing was answered", async () => {
    const run = await runWrk(`${base}/hang`, { connections: 1, seconds: 1 });
    expect(run.requests).toBe(0);
    expect(run.p50Ms).toBeNull();
    expect(run.p99Ms).toBeNull();
  });
});
