/** The harness's knobs, read once from the environment so a quick smoke run is one variable away. */
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface BenchSettings {
  /** 1 = the full data set of issue 6; 0.05 a smoke run. */
  scale: number;
  /** Length of each measured wrk run, in seconds. */
  seconds: number;
  /** Measured runs per route and connection count; the table shows their median. */
  runs: number;
  /** Unmeasured warm-up before each route's runs, in seconds. */
  warmupSeconds: number;
  /** Signed Create activities per inbox run. */
  inboxActivities: number;
  /** Remote followers and distinct servers for the fan-out measurement. */
  fanoutFollowers: number;
  fanoutServers: number;
  /** Where the data folders go; removed after the run unless keep is set. */
  workDir: string;
  keep: boolean;
}

function number(env: Record<string, string | undefined>, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${name} must be a number of at least ${min}, not "${raw}".`);
  return value;
}

/** Reads KITH_BENCH_* variables; every one has a default that gives the full run. */
export function benchSettings(env: Record<string, string | undefined> = process.env): BenchSettings {
  const scale = number(env, "KITH_BENCH_SCALE", 1, 0.001);
  return {
    scale,
    seconds: number(env, "KITH_BENCH_SECONDS", 5, 1),
    runs: Math.round(number(env, "KITH_BENCH_RUNS", 3, 1)),
    warmupSeconds: number(env, "KITH_BENCH_WARMUP_SECONDS", 2, 0),
    inboxActivities: Math.round(number(env, "KITH_BENCH_INBOX_ACTIVITIES", Math.max(200, Math.round(3000 * Math.min(1, scale * 4))), 10)),
    fanoutFollowers: Math.round(number(env, "KITH_BENCH_FANOUT_FOLLOWERS", 2000, 1)),
    fanoutServers: Math.round(number(env, "KITH_BENCH_FANOUT_SERVERS", 500, 1)),
    workDir: env.KITH_BENCH_DIR || join(tmpdir(), `kith-bench-${process.pid}`),
    keep: env.KITH_BENCH_KEEP === "1",
  };
}
