/** Measuring pages under load: check each answers as expected, warm it up, then wrk it at 1 and 32 connections. */
import { median, runWrk, type FormPost, type LoadRun } from "./wrk.ts";

export interface PageTarget {
  name: string;
  path: string;
  headers: Record<string, string>;
  /** Text the response body must contain, so a login page or an error is never measured by mistake. */
  mustContain: string;
  /** A form POST instead of a GET (a write path, such as a vote). */
  post?: FormPost;
  /** Every request asks a new address, so the page cache never answers: what a drawn page costs. */
  everyRequestNew?: boolean;
  /** Connection counts to measure at (default: 1 and 32). */
  connections?: readonly number[];
  /** The trivial route its rate is a share of (default: the plain one; routes asked with `Connection: close` use that one's). */
  comparedTo?: string;
}

export interface PageFigures {
  target: PageTarget;
  connections: number;
  requestsPerSecond: number;
  /** NaN when no run finished a request. */
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** Runs that finished no request at all within their length. */
  emptyRuns: number;
  /** The server's CPU time per finished request (median over runs), in ms: less sensitive to other load than the rate. */
  cpuMsPerRequest: number;
  runs: LoadRun[];
}

export const CONNECTIONS = [1, 32] as const;
/** A run should finish at least this many requests for its percentiles to mean something... */
const MIN_REQUESTS = 100;
/** ...but no run is made longer than this. */
const MAX_RUN_SECONDS = 30;

/** The run length: the configured one, stretched for a page so slow that a run would finish too few requests. */
function runLength(seconds: number, warmup: LoadRun | null): number {
  if (!warmup || warmup.requestsPerSecond * seconds >= MIN_REQUESTS) return seconds;
  const needed = warmup.requestsPerSecond > 0 ? Math.ceil(MIN_REQUESTS / warmup.requestsPerSecond) : MAX_RUN_SECONDS;
  return Math.min(MAX_RUN_SECONDS, Math.max(seconds, needed));
}

/** Fetches the page once and explains what is wrong if it is not a 200 with the expected content. */
export async function probe(origin: string, target: PageTarget): Promise<{ bytes: number }> {
  const response = await fetch(origin + target.path, {
    headers: target.post ? { ...target.headers, "content-type": "application/x-www-form-urlencoded" } : target.headers,
    redirect: "manual",
    ...(target.post ? { method: "POST", body: target.post.body } : {}),
  });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`${target.name} (${target.path}) answered ${response.status}, not 200: ${body.slice(0, 200)}`);
  if (!body.includes(target.mustContain)) throw new Error(`${target.name} (${target.path}) does not contain "${target.mustContain}"`);
  return { bytes: Buffer.byteLength(body) };
}

/** Runs the page at each connection count: a warm-up, then `runs` measured runs, reporting medians. */
export async function measurePage(
  origin: string,
  target: PageTarget,
  settings: { seconds: number; runs: number; warmupSeconds: number },
  log: (line: string) => void,
  serverCpuMs: () => number,
  connectionCounts: readonly number[] = target.connections ?? CONNECTIONS,
): Promise<PageFigures[]> {
  const out: PageFigures[] = [];
  for (const connections of connectionCounts) {
    const options = { connections, headers: target.headers, post: target.post, everyRequestNew: target.everyRequestNew };
    const warmup = settings.warmupSeconds > 0 ? await runWrk(origin + target.path, { ...options, seconds: settings.warmupSeconds }) : null;
    const seconds = runLength(settings.seconds, warmup);
    if (seconds > settings.seconds) log(`  ${target.name} c=${connections}: slow page, runs of ${seconds} s to finish about ${MIN_REQUESTS} requests each`);
    const runs: LoadRun[] = [];
    const cpuPerRequest: (number | null)[] = [];
    for (let i = 0; i < settings.runs; i++) {
      const cpuBefore = serverCpuMs();
      const run = await runWrk(origin + target.path, { ...options, seconds });
      const cpu = serverCpuMs() - cpuBefore;
      cpuPerRequest.push(run.requests ? cpu / run.requests : null);
      runs.push(run);
      log(`  ${target.name} c=${connections} run ${i + 1}: ${run.requestsPerSecond.toFixed(0)} req/s, p50 ${run.p50Ms ?? "—"} ms, p99 ${run.p99Ms ?? "—"} ms, ${run.requests} requests, ${run.errors} errors, server CPU ${cpu.toFixed(0)} ms`);
    }
    out.push({
      target,
      connections,
      requestsPerSecond: median(runs.map((r) => r.requestsPerSecond)),
      p50Ms: median(runs.map((r) => r.p50Ms)),
      p99Ms: median(runs.map((r) => r.p99Ms)),
      // With `Connection: close` the server closes after every answer, which wrk counts as a read error.
      errors: runs.reduce((sum, r) => sum + r.errors - (target.headers.connection === "close" ? r.readErrors : 0), 0),
      emptyRuns: runs.filter((r) => r.requests === 0).length,
      cpuMsPerRequest: median(cpuPerRequest),
      runs,
    });
  }
  return out;
}
