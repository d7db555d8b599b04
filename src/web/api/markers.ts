/** GET and POST /api/v1/markers: where the member stopped reading Home and notifications. */
import { Hono } from "hono";
import { MARKER_TIMELINES, markersOf, setMarker, type MarkerTimeline } from "../../domain/markers/markers.ts";
import { parseId } from "../htmx.ts";
import { memberOf, memberWith } from "./auth.ts";
import type { ApiEnv } from "./env.ts";
import { apiError } from "./errors.ts";
import { readParams } from "./params.ts";

const isTimeline = (t: string): t is MarkerTimeline => (MARKER_TIMELINES as readonly string[]).includes(t);

export function markersApi() {
  const app = new Hono<ApiEnv>();

  const answer = async (memberId: number, db: Parameters<typeof markersOf>[0], timelines: MarkerTimeline[]) =>
    Object.fromEntries((await markersOf(db, memberId, timelines)).map((m) => [m.timeline, {
      last_read_id: String(m.lastReadId), version: m.version, updated_at: new Date(m.updatedAt).toISOString(),
    }]));

  app.get("/api/v1/markers", memberWith("read:statuses"), async (c) => {
    const asked = [...(c.req.queries("timeline[]") ?? []), ...(c.req.queries("timeline") ?? [])].filter(isTimeline);
    return c.json(await answer(memberOf(c), c.var.deps.db, asked));
  });

  app.post("/api/v1/markers", memberWith("write:statuses"), async (c) => {
    const params = await readParams(c);
    const set: MarkerTimeline[] = [];
    for (const timeline of MARKER_TIMELINES) {
      const value = params.nested(timeline, "last_read_id");
      if (value === undefined) continue;
      const id = parseId(value);
      if (id === null) return apiError(c, 422, `Validation failed: ${timeline}[last_read_id] must be an id`);
      await setMarker(c.var.deps.db, memberOf(c), timeline, id);
      set.push(timeline);
    }
    return c.json(await answer(memberOf(c), c.var.deps.db, set));
  });

  return app;
}
