/**
 * `kith serve`: own the data folder, migrate, print the setup link on first run, serve until SIGTERM or
 * SIGINT, then stop gracefully. With KITH_WORKERS above 1 (the default on a machine with several cores)
 * this process, the primary, starts KITH_WORKERS HTTP-only copies of itself on the same port
 * (httpWorkers.ts), so pages use every core, runs the job queue alone and answers no HTTP itself: a
 * fan-out's signing and sending then never delays a page. With one worker (a 1-core box, or Node) it
 * serves and runs the queue. A copy runs `serveHttp` below.
 */
import { closeLiveHub } from "../domain/live/hub.ts";
import type { Config } from "../config.ts";
import { migrateToLatest, openStore, type Db } from "../db/open.ts";
import { runningUnderBun } from "../db/driver.ts";
import { issueSetupToken } from "../domain/members/setup.ts";
import { createApp } from "../app.ts";
import { createLogger, type Logger } from "../log.ts";
import { listen, type RunningServer } from "../server.ts";
import { setupUrl } from "../urls.ts";
import { lockDataFolder } from "./dataLock.ts";
import { Refusal } from "../domain/errors.ts";
import { startFederationWorker } from "../federation/worker.ts";
import { isHttpWorker, primaryGone, startHttpWorkers } from "./httpWorkers.ts";
import { portFree, untilListening } from "./portFree.ts";

/** How long in-flight requests get to finish after SIGTERM before we stop waiting (systemd waits 30 s). */
const STOP_GRACE_MS = 20_000;

export async function serve(config: Config): Promise<number> {
  // With several processes writing to one log, each line says which one wrote it.
  const log = createLogger(config.logLevel, undefined, config.workers > 1 ? { pid: process.pid } : {});
  if (isHttpWorker()) return serveHttp(config, log);
  const releaseLock = lockDataFolder(config.dataDir, "the server");
  // Listen for the signals before anything else, so a SIGTERM that comes early still stops us gracefully.
  const stopping = stopSignal();
  if (config.workers > 1 && !runningUnderBun) log.warn("KITH_WORKERS is ignored under Node: one process serves", { workers: config.workers });
  const copies = runningUnderBun && config.workers > 1 ? config.workers : 0;
  const store = await openStore(config.dbFile);
  try {
    await migrateToLatest(store.db);
    // Sharing the port would also share it with any other program that asks to; make sure none holds it.
    if (copies > 0 && !(await portFree(config.host, config.port))) throw portInUse(config);
    const server = copies > 0 ? null : await listen(createApp({ db: store.db, config, log }), config.host, config.port).catch((error: Error & { code?: string }) => {
      if (error.code !== "EADDRINUSE" && !/in use/i.test(error.message)) throw error;
      throw portInUse(config);
    });
    const workers = copies > 0 ? startHttpWorkers(copies, log) : null;
    // "serving" (below) means a page answers: wait for the first copy to listen.
    if (workers) await untilListening(config.host, config.port, stopping);
    const token = await issueSetupToken(store.db);
    if (token) {
      // Printed plainly, not as a log field, so the operator can copy it from the console.
      console.log(`\nNo operator yet. Open this link to set up your camp (it works once):\n\n  ${setupUrl(config.origin, token)}\n`);
    }
    // Logged after the setup link, so whoever waits for "serving" (install.sh) finds the link already there.
    log.info("serving", { url: `http://${config.host}:${server?.port ?? config.port}`, origin: config.origin, data: config.dataDir, pid: process.pid, processes: 1 + copies });

    // The delivery queue starts once the server is listening, so peers can fetch what it announces.
    const worker = await startFederationWorker({ db: store.db, config, log });
    log.info("job queue running");

    const signal = await stopping;
    log.info("stopping", { signal });
    // Stop claiming jobs and let deliveries in flight finish; queued jobs stay in the database.
    await worker.stop();
    // Stop accepting connections and let the requests in flight finish, here or in every copy.
    await Promise.all([server && drain(server, store.db, log), workers?.stop()]);
  } finally {
    await store.close();
    releaseLock();
  }
  log.info("stopped");
  return 0;
}

/** An HTTP-only copy: the primary has migrated and runs the queue; this one answers requests until told to stop. */
async function serveHttp(config: Config, log: Logger): Promise<number> {
  // A copy is often signalled twice (systemd and Ctrl-C signal the whole group, and the primary passes
  // the stop on): later signals must not cut its drain short, so it keeps listening for them.
  const stopping = Promise.race([stopSignal({ keepListening: true }), primaryGone().then(() => "primary gone")]);
  const store = await openStore(config.dbFile);
  try {
    const app = createApp({ db: store.db, config, log });
    const server = await listen(app, config.host, config.port, { shared: true });
    log.info("http worker ready");
    const signal = await stopping;
    log.info("http worker stopping", { signal });
    await drain(server, store.db, log);
  } finally {
    await store.close();
  }
  return 0;
}

/** Stops accepting connections and waits for the requests in flight, up to the grace period. */
async function drain(server: RunningServer, db: Db, log: Logger): Promise<void> {
  // Live answers (Server-Sent Events) would otherwise stay open for minutes: end them now.
  closeLiveHub(db);
  const drained = await Promise.race([server.stop().then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
  if (!drained) log.warn("requests still in flight after the grace period; stopping anyway", { graceMs: STOP_GRACE_MS });
}

const portInUse = (config: Config) =>
  new Refusal("conflict", `port ${config.port} on ${config.host} is already in use by another program. Stop it, or choose another port with --port (KITH_PORT).`);

/**
 * Resolves with the name of the first SIGTERM or SIGINT. Unless `keepListening`, a second signal
 * then gets the default action (an operator's second Ctrl-C stops the primary at once).
 */
function stopSignal(options: { keepListening?: boolean } = {}): Promise<string> {
  const listen = options.keepListening ? process.on.bind(process) : process.once.bind(process);
  return new Promise((resolve) => {
    listen("SIGTERM", () => resolve("SIGTERM"));
    listen("SIGINT", () => resolve("SIGINT"));
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
