/**
 * HTTP workers, so a camp uses every core: copies of this same command (the one binary, or bun with
 * the same script) that answer HTTP on the shared port (SO_REUSEPORT: the kernel spreads connections
 * among them). The process the operator started, the primary, owns the data folder, migrates, runs the
 * job queue and its timers, and supervises the copies, but answers no HTTP itself, so that a fan-out
 * it signs and sends never holds up a page. A copy that dies is started again. A copy stops when
 * asked (SIGTERM, SIGINT) and also when the primary is gone, even by SIGKILL, because its stdin is a
 * pipe from the primary that then closes.
 */
import type { Subprocess } from "bun";
import type { Logger } from "../log.ts";

/** Set in a copy's environment: this process only serves HTTP. */
export const HTTP_WORKER_ENV = "KITH_HTTP_WORKER";
/** A copy that dies is started again after this long, doubled while it keeps dying young, up to a minute. */
const RESTART_DELAY_MS = 100;
const MAX_RESTART_DELAY_MS = 60_000;
const YOUNG_MS = 10_000;

/** True in a copy started by `startHttpWorkers`. */
export const isHttpWorker = (): boolean => process.env[HTTP_WORKER_ENV] === "1";

export interface HttpWorkers {
  /** Process ids of the copies running now. */
  pids(): number[];
  /** Asks every copy to stop (they finish the requests in flight) and waits until they have. */
  stop(): Promise<void>;
}

/**
 * The command line that runs this program again. A compiled binary is its own entry point (Bun
 * reports its script as a path under /$bunfs/); under bun, the runtime runs the same script.
 */
function ownCommand(): string[] {
  const [, script = "", ...args] = process.argv;
  if (script.startsWith("/$bunfs/") || script.startsWith("B:/~BUN/")) return [process.execPath, ...args];
  return [process.execPath, ...process.execArgv, script, ...args];
}

/** Starts `count` copies serving HTTP beside the primary, and keeps them running until `stop`. */
export function startHttpWorkers(count: number, log: Logger): HttpWorkers {
  let stopping = false;
  const running = new Map<number, Subprocess>();

  const start = (slot: number, delayMs: number) => {
    const startedAt = Date.now();
    const child = Bun.spawn(ownCommand(), {
      env: { ...process.env, [HTTP_WORKER_ENV]: "1" },
      // Held open by us and never written: the copy sees it close when we are gone.
      stdin: "pipe",
      stdout: "inherit",
      stderr: "inherit",
    });
    running.set(slot, child);
    void child.exited.then((code) => {
      if (running.get(slot) === child) running.delete(slot);
      if (stopping) return;
      const next = Date.now() - startedAt < YOUNG_MS ? Math.min(delayMs * 2, MAX_RESTART_DELAY_MS) : RESTART_DELAY_MS;
      log.error("http worker stopped unexpectedly; starting another", { slot, pid: child.pid, code, signal: child.signalCode, inMs: delayMs });
      setTimeout(() => stopping || start(slot, next), delayMs);
    });
  };
  for (let slot = 1; slot <= count; slot++) start(slot, RESTART_DELAY_MS);

  return {
    pids: () => [...running.values()].map((child) => child.pid),
    async stop() {
      stopping = true;
      const children = [...running.values()];
      for (const child of children) child.kill("SIGTERM");
      await Promise.all(children.map((child) => child.exited));
    },
  };
}

/** Resolves when the primary that started this copy is gone (our stdin, its pipe, has closed). */
export async function primaryGone(): Promise<void> {
  const reader = Bun.stdin.stream().getReader();
  try {
    while (!(await reader.read()).done);
  } catch {
    // A broken pipe says the same as its end: nobody is on the other side any more.
  }
}
