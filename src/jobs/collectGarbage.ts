/**
 * A fan-out leaves tens of kilobytes of garbage per delivery (the parsed activity, its signature, the
 * request and response), and the collector lets it pile up while deliveries keep coming: the queue
 * process's memory peaked 23–59% above where it started (BENCHMARKS.md, fan-out memory). A full
 * collection after every so many finished jobs keeps that peak down, for a few milliseconds of pause
 * per batch in the process that runs the queue. Under Node (no Bun.gc) it does nothing.
 */
export function collectEvery(jobs: number): () => void {
  const bun = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun;
  let finished = 0;
  return () => {
    finished += 1;
    if (bun && finished % jobs === 0) bun.gc(true);
  };
}
