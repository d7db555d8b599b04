/**
 * Remote inboxes that keep failing. After about two days of retries an inbox is marked
 * unavailable and its deliveries are parked; when its server next contacts us with a valid
 * signature, the parked deliveries run again.
 */
import type { Db } from "../db/open.ts";
import { PARKED } from "../jobs/worker.ts";
import { DELIVER_JOB } from "./outbound/deliver.ts";

/** True when deliveries to this inbox are parked. */
export async function isUnavailable(db: Db, inbox: string): Promise<boolean> {
  const row = await db.selectFrom("inbox_health").select("unavailable_at").where("inbox_uri", "=", inbox).executeTakeFirst();
  return row?.unavailable_at != null;
}

/** A delivery failed; remember since when this inbox has been failing. */
export async function recordFailure(db: Db, inbox: string, domain: string, at: number): Promise<void> {
  await db.insertInto("inbox_health").values({ inbox_uri: inbox, domain, failing_since: at, unavailable_at: null })
    .onConflict((oc) => oc.column("inbox_uri").doUpdateSet((eb) => ({ failing_since: eb.fn.coalesce("inbox_health.failing_since", eb.val(at)) })))
    .execute();
}

export async function markUnavailable(db: Db, inbox: string, domain: string, at: number): Promise<void> {
  await db.insertInto("inbox_health").values({ inbox_uri: inbox, domain, failing_since: at, unavailable_at: at })
    .onConflict((oc) => oc.column("inbox_uri").doUpdateSet({ unavailable_at: at })).execute();
}

/** A delivery succeeded: the inbox is healthy again. */
export async function recordSuccess(db: Db, inbox: string): Promise<void> {
  await db.deleteFrom("inbox_health").where("inbox_uri", "=", inbox).execute();
}

/** The server at this domain contacted us: clear its unavailable inboxes and run their parked deliveries now. */
export async function resumeDeliveriesTo(db: Db, domain: string): Promise<void> {
  const parked = await db.selectFrom("inbox_health").select("inbox_uri").where("domain", "=", domain).where("unavailable_at", "is not", null).execute();
  if (!parked.length) return;
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("inbox_health").where("domain", "=", domain).execute();
    await trx.updateTable("jobs").set({ run_at: Date.now(), attempts: 0 })
      .where("kind", "=", DELIVER_JOB).where("run_at", "=", PARKED)
      .where((eb) => eb(eb.fn("json_extract", ["payload", eb.val("$.inbox")]), "in", parked.map((p) => p.inbox_uri)))
      .execute();
  });
}

/** Servers whose deliveries are parked because they have been unreachable for days, longest first. */
export async function unreachableServers(db: Db): Promise<{ domain: string; failingSince: number | null; inboxes: number }[]> {
  const rows = await db.selectFrom("inbox_health")
    .select((eb) => ["domain", eb.fn.min("failing_since").as("failing_since"), eb.fn.countAll<number>().as("inboxes")])
    .where("unavailable_at", "is not", null).groupBy("domain").orderBy("failing_since").execute();
  return rows.map((r) => ({ domain: r.domain, failingSince: r.failing_since === null ? null : Number(r.failing_since), inboxes: Number(r.inboxes) }));
}
