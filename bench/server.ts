/** Starting the compiled `dist/kith` on loopback for the benchmark, timing its start and reading its memory. */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../test/support/camp.ts";
import type { Subprocess } from "bun";

export interface KithServer {
  origin: string;
  pid: number;
  /** Processes serving (KITH_WORKERS): the primary and its HTTP workers. */
  processes: number;
  /** Milliseconds from spawning the process to the first answered request. */
  startupMs: number;
  /** Resident memory now, in MB, summed over the primary and its HTTP workers. */
  rssMb(): number;
  /** Resident memory of the primary alone, which runs the job queue (deliveries), in MB. */
  primaryRssMb(): number;
  /** Proportional set size summed the same way: pages the processes share (the binary) counted once. */
  pssMb(): number;
  /** CPU time the processes have used so far (user + system), in ms, summed the same way. */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** The process and its children (a Kith primary and its HTTP workers), from /proc. */
export function processTree(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
    return [pid, ...(children ? children.split(" ").map(Number) : [])];
  } catch {
    return [pid];
  }
}

/** Sums a per-process reading over the tree; a worker that just ended counts as nothing. */
const summed = (pid: number, read: (pid: number) => number) => () =>
  processTree(pid).reduce((sum, p) => {
    try {
      return sum + read(p);
    } catch {
      return p === pid ? sum + read(p) : sum;
    }
  }, 0);

/** Pss from /proc/PID/smaps_rollup, in MB. */
export function pssMbOf(pid: number): number {
  const kb = Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1]);
  if (!Number.isFinite(kb)) throw new Error(`no Pss for process ${pid}`);
  return kb / 1024;
}

/** Waits until the server log says every HTTP worker the primary started is ready; returns how many processes serve. */
async function workersReady(log: string): Promise<number> {
  for (const started = Date.now(); Date.now() - started < 30_000; await Bun.sleep(20)) {
    const text = readFileSync(log, "utf8");
    const workers = Number(/"message":"serving".*?"processes":(\d+)/.exec(text)?.[1] ?? 1);
    if ((text.match(/"message":"http worker ready"/g)?.length ?? 0) >= workers - 1) return workers;
  }
  throw new Error("the HTTP workers did not all start within 30 s");
}


const CLOCK_TICKS_PER_SECOND = Number(Bun.spawnSync(["getconf", "CLK_TCK"]).stdout.toString().trim()) || 100;

/** User plus system CPU time of a process from /proc/PID/stat, in ms. */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start at "state"; utime and stime are the 12th and 13th of them.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** VmRSS of a process from /proc, in MB. */
export function rssMbOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  if (!Number.isFinite(kb)) throw new Error(`no VmRSS for process ${pid}`);
  return kb / 1024;
}

/**
 * Spawns `binary serve` on the data folder, then asks `probePath` every couple of milliseconds
 * until it answers 200. Federation may talk plain http to loopback (the sink and the mock peers).
 */
export async function startKith(binary: string, dataDir: string, probePath: string, env: Record<string, string> = {}): Promise<KithServer> {
  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child: Subprocess = Bun.spawn([binary, "serve", "--data", dataDir, "--port", String(port), "--host", "127.0.0.1", "--domain", `127.0.0.1:${port}`], {
    // wrk sends one token's requests by the thousand: the API's limit per token is lifted, but its
    // counting statement still runs on every request, so its cost is in the figures.
    env: { ...process.env, KITH_UNSAFE_ALLOW_PRIVATE_NETWORK: "1", KITH_API_RATE_LIMIT: "1000000000", ...env },
    stdout: Bun.file(join(dataDir, "server.log")),
    stderr: "pipe",
  });
  for (;;) {
    if (child.exitCode !== null) {
      const stderr = await new Response(child.stderr as ReadableStream).text();
      throw new Error(`kith exited with ${child.exitCode} before answering: ${stderr.trim() || "(no output)"}`);
    }
    const answered = await fetch(origin + probePath).then((r) => r.status === 200, () => false);
    if (answered) break;
    if (performance.now() - started > 60_000) throw new Error(`kith did not answer ${probePath} within a minute`);
    await Bun.sleep(2);
  }
  const startupMs = performance.now() - started;
  const processes = await workersReady(join(dataDir, "server.log"));
  return {
    origin,
    pid: child.pid,
    processes,
    startupMs,
    rssMb: summed(child.pid, rssMbOf),
    primaryRssMb: () => rssMbOf(child.pid),
    pssMb: summed(child.pid, pssMbOf),
    cpuMs: summed(child.pid, cpuMsOf),
    async stop() {
      child.kill("SIGTERM");
      await child.exited;
    },
  };
}
