/**
 * A member moved: their actor (now with `movedTo`) goes out as Update, then `Move` from the old
 * actor to the new one, to every server where someone follows them, as Mastodon sends it.
 */
import type { Deps } from "../../web/env.ts";
import { actorUri } from "../urls.ts";
import { activity } from "../vocab/activities.ts";
import { enqueueDeliveries } from "./deliver.ts";
import { followerInboxes } from "./recipients.ts";
import { onAccountUpdated } from "./socialEvents.ts";

export async function onAccountMoved(deps: Deps, accountId: number): Promise<void> {
  const account = await deps.db.selectFrom("accounts").select(["handle", "moved_to_uri", "moved_at"]).where("id", "=", accountId).where("domain", "is", null).executeTakeFirst();
  if (!account?.moved_to_uri) return;
  await onAccountUpdated(deps, accountId);
  const uri = actorUri(deps.config.origin, account.handle);
  const move = activity("Move", `${uri}#moves/${account.moved_at ?? 0}`, uri, uri, { target: account.moved_to_uri });
  const count = await enqueueDeliveries(deps.db, accountId, move, await followerInboxes(deps.db, accountId));
  deps.log.info("federation: queued", { activity: "Move", actor: uri, target: account.moved_to_uri, inboxes: count });
}
