/**
 * Activity ids already handled, so a redelivered activity changes nothing. Claims are answered
 * from memory and the database; new ids are written in batches (one commit for many activities,
 * since each commit waits for the disk). An id lost in a crash before its batch is written only
 * means a redelivery is handled again, which every handler tolerates: they are idempotent.
 */
import type { Db } from "../../db/open.ts";

const FLUSH_AFTER_MS = 100;
const FLUSH_AT = 200;
const REMEMBERED = 20_000;

interface SeenState {
  /** Being handled now: a concurrent duplicate is turned away. */
  inFlight: Set<string>;
  /** Handled, waiting for the next batch write. */
  pending: Map<string, number>;
  recent: Set<string>;
  timer: ReturnType<typeof setTimeout> | null;
}

const states = new WeakMap<Db, SeenState>();

function stateOf(db: Db): SeenState {
  let state = states.get(db);
  if (!state) states.set(db, (state = { inFlight: new Set(), pending: new Map(), recent: new Set(), timer: null }));
  return state;
}

/** True when this id is new (and now claimed); false when it was handled or is being handled. */
export async function claimActivity(db: Db, id: string): Promise<boolean> {
  const state = stateOf(db);
  if (state.inFlight.has(id) || state.pending.has(id) || state.recent.has(id)) return false;
  state.inFlight.add(id);
  const stored = await db.selectFrom("seen_activities").select("uri").where("uri", "=", id).executeTakeFirst();
  if (stored) {
    state.inFlight.delete(id);
    remember(state, id);
    return false;
  }
  return true;
}

/** The handler succeeded: the id is written with the next batch. */
export function markHandled(db: Db, id: string): void {
  const state = stateOf(db);
  state.inFlight.delete(id);
  state.pending.set(id, Date.now());
  schedule(db, state);
}

/** The handler failed: the id may be tried again. */
export function releaseActivity(db: Db, id: string): void {
  stateOf(db).inFlight.delete(id);
}

/** Writes every claimed id now (also called by the timer). */
export async function flushSeen(db: Db): Promise<void> {
  const state = stateOf(db);
  if (state.timer) clearTimeout(state.timer);
  state.timer = null;
  const batch = [...state.pending];
  if (!batch.length) return;
  for (const [id] of batch) {
    state.pending.delete(id);
    remember(state, id);
  }
  await db.insertInto("seen_activities").values(batch.map(([uri, received_at]) => ({ uri, received_at })))
    .onConflict((oc) => oc.doNothing()).execute();
}

function schedule(db: Db, state: SeenState): void {
  if (state.pending.size >= FLUSH_AT) {
    void flushSeen(db);
    return;
  }
  if (state.timer) return;
  state.timer = setTimeout(() => void flushSeen(db).catch(() => {}), FLUSH_AFTER_MS);
  state.timer.unref?.();
}

function remember(state: SeenState, id: string): void {
  state.recent.add(id);
  if (state.recent.size > REMEMBERED) state.recent.delete(state.recent.values().next().value!);
}
