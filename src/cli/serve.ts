/** `kith serve`: migrate, print the setup link on first run, serve until SIGTERM or SIGINT. */
import type { Config } from "../config.ts";
import { migrateToLatest, openStore } from "../db/open.ts";
import { issueSetupToken } from "../domain/members/setup.ts";
import { createApp } from "../app.ts";
import { createLogger } from "../log.ts";
import { listen } from "../server.ts";
import { setupUrl } from "../urls.ts";

export async function serve(config: Config): Promise<number> {
  const log = createLogger(config.logLevel);
  const store = await openStore(config.dbFile);
  await migrateToLatest(store.db);
  const app = createApp({ db: store.db, config, log });
  const server = await listen(app, config.host, config.port);
  log.info("serving", { url: `http://${config.host}:${server.port}`, origin: config.origin, data: config.dataDir });

  const token = await issueSetupToken(store.db);
  if (token) {
    // Printed plainly, not as a log field, so the operator can copy it from the console.
    console.log(`\nNo operator yet. Open this link to set up your camp (it works once):\n\n  ${setupUrl(config.origin, token)}\n`);
  }

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info("stopping", { signal });
      resolve();
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
  await server.stop();
  await store.close();
  log.info("stopped");
  return 0;
}
