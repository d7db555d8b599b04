/**
 * Where a member stopped reading in an app (Mastodon's markers), so another app or device can pick
 * up there. Reading notifications up to a marker also marks them read, as the web page does.
 */
import type { Db } from "../../db/open.ts";
import { now } from "../clock.ts";
import { markAllRead } from "../notifications/inbox.ts";

export type MarkerTimeline = "home" | "notifications";
export const MARKER_TIMELINES: readonly MarkerTimeline[] = ["home", "notifications"];

export interface Marker {
  timeline: MarkerTimeline;
  lastReadId: number;
  version: number;
  updatedAt: number;
}

/** The member's markers for these timelines (those never set are left out). */
export async function markersOf(db: Db, memberId: number, timelines: readonly MarkerTimeline[]): Promise<Marker[]> {
  if (timelines.length === 0) return [];
  const rows = await db.selectFrom("api_markers").selectAll().where("account_id", "=", memberId).where("timeline", "in", timelines).execute();
  return rows.map((r) => ({ timeline: r.timeline, lastReadId: r.last_read_id, version: r.version, updatedAt: r.updated_at }));
}

/** Sets a marker (each change counts up its version). */
export async function setMarker(db: Db, memberId: number, timeline: MarkerTimeline, lastReadId: number): Promise<void> {
  const at = now();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("api_markers").values({ account_id: memberId, timeline, last_read_id: lastReadId, updated_at: at })
      .onConflict((oc) => oc.columns(["account_id", "timeline"]).doUpdateSet((eb) => ({
        last_read_id: lastReadId, updated_at: at, version: eb("api_markers.version", "+", 1),
      })))
      .execute();
  });
  if (timeline === "notifications") await markAllRead(db, memberId, lastReadId);
}
