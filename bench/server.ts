/** Starting the compiled `dist/kith` on loopback for the benchmark, timing its start and reading its memory. */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "../test/support/camp.ts";
import type { Subprocess } from "bun";

export interface KithServer {
  origin: string;
  pid: number;
  /** Milliseconds from spawning the process to the first answered request. */
  startupMs: number;
  /** Resident memory now, in MB. */
  rssMb(): number;
  /** CPU time the process has used so far (user + system), in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
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
    env: { ...process.env, KITH_UNSAFE_ALLOW_PRIVATE_NETWORK: "1", ...env },
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
  return {
    origin,
    pid: child.pid,
    startupMs,
    rssMb: () => rssMbOf(child.pid),
    cpuMs: () => cpuMsOf(child.pid),
    async stop() {
      child.kill("SIGTERM");
      await child.exited;
    },
  };
}
