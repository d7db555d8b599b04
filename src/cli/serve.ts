/**
 * `kith serve`: own the data folder, migrate, print the setup link on first run, serve until SIGTERM or
 * SIGINT, then stop gracefully.
 */
import { closeLiveHub } from "../domain/live/hub.ts";
import type { Config } from "../config.ts";
import { migrateToLatest, openStore } from "../db/open.ts";
import { issueSetupToken } from "../domain/members/setup.ts";
import { createApp } from "../app.ts";
import { createLogger } from "../log.ts";
import { listen } from "../server.ts";
import { setupUrl } from "../urls.ts";
import { lockDataFolder } from "./dataLock.ts";
import { Refusal } from "../domain/errors.ts";
import { startFederationWorker } from "../federation/worker.ts";

/** How long in-flight requests get to finish after SIGTERM before we stop waiting (systemd waits 30 s). */
const STOP_GRACE_MS = 20_000;

export async function serve(config: Config): Promise<number> {
  const log = createLogger(config.logLevel);
  const releaseLock = lockDataFolder(config.dataDir, "the server");
  // Listen for the signals before anything else, so a SIGTERM that comes early still stops us gracefully.
  const stopping = stopSignal();
  const store = await openStore(config.dbFile);
  try {
    await migrateToLatest(store.db);
    const app = createApp({ db: store.db, config, log });
    const server = await listen(app, config.host, config.port).catch((error: Error & { code?: string }) => {
      if (error.code !== "EADDRINUSE" && !/in use/i.test(error.message)) throw error;
      throw new Refusal("conflict", `port ${config.port} on ${config.host} is already in use by another program. Stop it, or choose another port with --port (KITH_PORT).`);
    });
    const token = await issueSetupToken(store.db);
    if (token) {
      // Printed plainly, not as a log field, so the operator can copy it from the console.
      console.log(`\nNo operator yet. Open this link to set up your camp (it works once):\n\n  ${setupUrl(config.origin, token)}\n`);
    }
    // Logged after the setup link, so whoever waits for "serving" (install.sh) finds the link already there.
    log.info("serving", { url: `http://${config.host}:${server.port}`, origin: config.origin, data: config.dataDir, pid: process.pid });

    // The delivery queue starts once the server is listening, so peers can fetch what it announces.
    const worker = await startFederationWorker({ db: store.db, config, log });

    const signal = await stopping;
    log.info("stopping", { signal });
    // Stop claiming jobs and let deliveries in flight finish; queued jobs stay in the database.
    await worker.stop();
    // Live answers (Server-Sent Events) would otherwise stay open for minutes: end them now.
    closeLiveHub(store.db);
    // Stop accepting connections and let the requests in flight finish. Queued jobs stay in the
    // database; the next start picks them up.
    const drained = await Promise.race([server.stop().then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
    if (!drained) log.warn("requests still in flight after the grace period; stopping anyway", { graceMs: STOP_GRACE_MS });
  } finally {
    await store.close();
    releaseLock();
  }
  log.info("stopped");
  return 0;
}

/** Resolves with the name of the first SIGTERM or SIGINT. */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
