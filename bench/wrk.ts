/** Driving one route with wrk (Debian's package) and reading its report. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface LoadRun {
  requestsPerSecond: number;
  /** Null when no request finished within the run (wrk then reports no latencies). */
  p50Ms: number | null;
  p99Ms: number | null;
  requests: number;
  /** Responses outside 2xx/3xx, and socket errors. */
  errors: number;
  /** Of those, read errors: with `Connection: close` wrk counts one each time the server closes after an answer. */
  readErrors: number;
  raw: string;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  /** Send every request as this POST (wrk runs a small Lua script for it). */
  post?: FormPost;
  /** Ask a new address every time (`?drawn=<thread>-<n>` added), so no kept page can answer. */
  everyRequestNew?: boolean;
}

/** A form POST: the urlencoded body sent with each request. */
export interface FormPost {
  body: string;
}

const UNITS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function durationMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!match) throw new Error(`cannot read the duration "${text}" in wrk's report`);
  return Number(match[1]) * UNITS[match[2]!]!;
}

/** Reads requests/s, the 50th and 99th percentiles and the error counts from `wrk --latency` output. */
export function parseWrk(raw: string): LoadRun {
  const percentile = (p: string) => {
    const match = new RegExp(`^\\s+${p}%\\s+(\\S+)`, "m").exec(raw);
    if (!match) throw new Error(`wrk's report has no ${p}% latency:\n${raw}`);
    return durationMs(match[1]!);
  };
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(raw);
  const total = /(\d+) requests in/.exec(raw);
  if (!rps || !total) throw new Error(`wrk's report has no request rate:\n${raw}`);
  const requests = Number(total[1]);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(raw)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(raw);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    requestsPerSecond: Number(rps[1]),
    p50Ms: requests ? percentile("50") : null,
    p99Ms: requests ? percentile("99") : null,
    requests,
    errors: non2xx + socketErrors,
    readErrors: socket ? Number(socket[2]) : 0,
    raw,
  };
}

/** wrk's version line, or an error that says how to install it. */
export function wrkVersion(): string {
  try {
    return Bun.spawnSync(["wrk", "--version"]).stdout.toString().split("\n")[0]!.trim();
  } catch {
    throw new Error("wrk is not installed: install it with `apt-get install -y wrk` (Debian and Ubuntu) and run the benchmark again.");
  }
}

/** A wrk Lua script that makes every request the given form POST. */
function postScript(post: FormPost): string {
  const file = join(mkdtempSync(join(tmpdir(), "kith-wrk-")), "post.lua");
  writeFileSync(file, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(post.body)}\nwrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n`);
  return file;
}

/** A wrk Lua script that adds a query parameter no request has had before, per thread and request. */
function everyRequestNewScript(path: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "kith-wrk-")), "new.lua");
  const separator = path.includes("?") ? "&" : "?";
  writeFileSync(file, [
    "local threads = 0",
    "function setup(thread) threads = threads + 1; thread:set(\"tid\", threads) end",
    "local n = 0",
    `function request() n = n + 1; return wrk.format(nil, wrk.path .. "${separator}drawn=" .. tid .. "-" .. n) end`,
    "",
  ].join("\n"));
  return file;
}

/** One wrk run against the URL: two threads (one per core) unless a single connection is asked for. */
export async function runWrk(url: string, options: LoadOptions): Promise<LoadRun> {
  const threads = Math.min(2, options.connections);
  const headerArgs = Object.entries(options.headers ?? {}).flatMap(([name, value]) => ["-H", `${name}: ${value}`]);
  const script = options.post ? postScript(options.post) : options.everyRequestNew ? everyRequestNewScript(new URL(url).pathname + new URL(url).search) : null;
  const scriptArgs = script ? ["-s", script] : [];
  const child = Bun.spawn(
    ["wrk", `-t${threads}`, `-c${options.connections}`, `-d${options.seconds}s`, "--latency", "--timeout", "60s", ...headerArgs, ...scriptArgs, url],
    { stdout: "pipe", stderr: "pipe" },
  );
  const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  if (code !== 0) throw new Error(`wrk failed (${code}): ${err.trim() || out.trim()}`);
  return parseWrk(out);
}

/** The median of a list of numbers, ignoring nulls (NaN when nothing is left). */
export function median(values: (number | null)[]): number {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (!sorted.length) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
