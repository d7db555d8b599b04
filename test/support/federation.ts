/** A camp that federates for real on loopback: served, with its delivery worker running. */
import { startFederationWorker } from "../../src/federation/worker.ts";
import type { Worker } from "../../src/jobs/worker.ts";
import { testCamp, type TestCamp } from "./camp.ts";

export interface FederatedCamp extends TestCamp {
  worker: Worker;
  /** Waits until every due job (events and deliveries) has run. */
  settle(): Promise<void>;
}

export async function federatedCamp(env: Record<string, string> = {}): Promise<FederatedCamp> {
  const camp = await testCamp({ env: { KITH_UNSAFE_ALLOW_PRIVATE_NETWORK: "1", ...env } });
  await camp.serve();
  const worker = await startFederationWorker({ db: camp.db, config: camp.config, log: createTestLog(camp) }, { pollMs: 20 });
  const close = camp.close;
  return Object.assign(camp, {
    worker,
    settle: () => worker.idle(),
    async close() {
      await worker.stop();
      await close();
    },
  });
}

/** The worker logs into the camp's captured log lines, like the app does. */
function createTestLog(camp: TestCamp) {
  const at = (level: string) => (message: string, fields: Record<string, unknown> = {}) =>
    camp.logs.push(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
