/** Activities we send, as plain JSON with our well-known contexts. */
import { OBJECT_CONTEXT } from "./context.ts";

export type Activity = { id: string; type: string; actor: string } & Record<string, unknown>;

/** An activity envelope; `to`/`cc` default to empty, since most are addressed to one inbox. */
export function activity(type: string, id: string, actor: string, object: unknown, extra: Record<string, unknown> = {}): Activity {
  return { "@context": OBJECT_CONTEXT, id, type, actor, object, ...extra };
}

/** Undo of an activity we sent before, embedding it so the peer needs no fetch. */
export function undo(original: Activity, extra: Record<string, unknown> = {}): Activity {
  const { "@context": _context, ...inner } = original;
  return activity("Undo", `${original.id}#undo`, original.actor, inner, extra);
}
