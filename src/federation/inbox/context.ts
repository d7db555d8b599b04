/** What every inbox handler gets, and how it refuses an activity. */
import type { Deps } from "../../web/env.ts";
import { hostOf } from "../urls.ts";
import type { Json } from "../vocab/read.ts";

export interface InboxContext {
  deps: Deps;
  /** The verified sender: the signing key's owner, which is also the activity's actor. */
  actorId: number;
  actorUri: string;
  activity: Json;
}

/** An activity we will not act on, with the HTTP status that says why. */
export class InboxRefusal extends Error {
  constructor(readonly status: 400 | 403 | 422, message: string) {
    super(message);
  }
}

/** The origin rule: an activity may only create, change or delete objects of its own server. */
export function assertSameOrigin(ctx: InboxContext, objectId: string | null): string {
  if (!objectId || hostOf(objectId) !== hostOf(ctx.actorUri)) {
    throw new InboxRefusal(403, `object ${objectId ?? "(no id)"} is not from the actor's server`);
  }
  return objectId;
}
