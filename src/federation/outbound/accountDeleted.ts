/**
 * A member's account was deleted: `Delete` of the actor goes to every server that knew it,
 * signed with the actor's own key, which is kept only until those deliveries are done. The
 * activity names the actor alone; no post of theirs, camp-only or not, is mentioned.
 */
import type { Deps } from "../../web/env.ts";
import { enqueue } from "../../jobs/queue.ts";
import { type JobHandler, PARKED } from "../../jobs/worker.ts";
import { forgetKeys } from "../keys.ts";
import { actorUri } from "../urls.ts";
import { PUBLIC } from "../vocab/context.ts";
import { activity } from "../vocab/activities.ts";
import { DELIVER_JOB, enqueueDeliveries } from "./deliver.ts";
import { inboxesOf } from "./recipients.ts";

export const FORGET_KEYS_JOB = "forget_keys";
/** After this long, deliveries still waiting (servers that are down) are given up and the keys go anyway. */
const KEEP_KEYS_MS = 2 * 24 * 60 * 60 * 1000;
/** How often the key-forgetting job looks again while deliveries are still waiting. */
const RECHECK_MS = 60 * 1000;

interface ForgetKeys {
  accountId: number;
  since: number;
}

/** Queues the actor's Delete for each server that knew it, then the job that forgets its keys. */
export async function onAccountDeleted(deps: Deps, accountId: number, knownBy: number[]): Promise<void> {
  const account = await deps.db.selectFrom("accounts").select("handle").where("id", "=", accountId).where("domain", "is", null)
    .where("deleted_at", "is not", null).executeTakeFirst();
  if (!account) return;
  const uri = actorUri(deps.config.origin, account.handle);
  const built = activity("Delete", `${uri}#delete`, uri, uri, { to: [PUBLIC] });
  const count = await enqueueDeliveries(deps.db, accountId, built, await inboxesOf(deps.db, knownBy));
  const job: ForgetKeys = { accountId, since: Date.now() };
  await enqueue(deps.db, FORGET_KEYS_JOB, job, { dedupeKey: `${FORGET_KEYS_JOB} ${accountId}` });
  deps.log.info("federation: queued", { activity: "Delete", actor: uri, inboxes: count });
}

/** Forgets a deleted actor's keys once no delivery signed by them waits (or after two days). */
export function forgetKeysHandler(deps: Deps): JobHandler {
  return {
    async run(payload) {
      const { accountId, since } = payload as ForgetKeys;
      const waiting = deps.db.selectFrom("jobs").where("kind", "=", DELIVER_JOB)
        .where((eb) => eb(eb.fn("json_extract", ["payload", eb.val("$.signerId")]), "=", accountId));
      const pending = await waiting.select("id").where("run_at", "<", PARKED).limit(1).executeTakeFirst();
      if (pending && Date.now() - since < KEEP_KEYS_MS) {
        await enqueue(deps.db, FORGET_KEYS_JOB, payload, { runAt: Date.now() + RECHECK_MS, dedupeKey: `${FORGET_KEYS_JOB} ${accountId} ${Date.now()}` });
        return;
      }
      // Parked or overdue deliveries could never be signed again: they go with the keys.
      await deps.db.deleteFrom("jobs").where("id", "in", waiting.select("id")).execute();
      await forgetKeys(deps.db, accountId);
      deps.log.info("federation: keys of a deleted account forgotten", { accountId });
    },
  };
}
