/**
 * When a remote account accepts a member's follow, its recent public posts are fetched from its
 * outbox, so the member's Home is not empty until that account next posts. Best effort: a server
 * that will not answer just means no backfill. Only posts of that account, from its own server.
 */
import type { Deps } from "../web/env.ts";
import type { JobHandler } from "../jobs/worker.ts";
import { storeRemotePost } from "../domain/remote/posts.ts";
import { fetchDocument } from "./fetchRemote.ts";
import { FetchRefused } from "./safeFetch.ts";
import { hostOf } from "./urls.ts";
import { parsePost } from "./vocab/parseNote.ts";
import { asList, idOf, isObject, type Json, typeOf } from "./vocab/read.ts";
import { mayListPublicly } from "../domain/audience.ts";

export const BACKFILL_JOB = "backfill";
/** How many recent posts are fetched. */
export const BACKFILL_LIMIT = 20;

export function backfillHandler(deps: Deps): JobHandler {
  return {
    async run(payload) {
      const { accountId } = payload as { accountId: number };
      try {
        const stored = await backfill(deps, accountId);
        deps.log.info("federation: backfilled", { accountId, posts: stored });
      } catch (error) {
        if (!(error instanceof FetchRefused)) throw error;
        deps.log.info("federation: no backfill", { accountId, reason: error.message });
      }
    },
  };
}

async function backfill(deps: Deps, accountId: number): Promise<number> {
  const account = await deps.db.selectFrom("accounts").select(["id", "uri", "followers_uri"]).where("id", "=", accountId).where("domain", "is not", null).executeTakeFirst();
  if (!account?.uri) return 0;
  const actor = await fetchDocument(deps, account.uri);
  const outbox = idOf(actor.outbox);
  if (!outbox || hostOf(outbox) !== hostOf(account.uri)) return 0;
  const items = await firstItems(deps, await fetchDocument(deps, outbox));
  let stored = 0;
  for (const item of items.slice(0, BACKFILL_LIMIT)) {
    if (!isObject(item) || typeOf(item) !== "Create" || idOf(item.actor) !== account.uri || !isObject(item.object)) continue;
    const object = item.object;
    if (hostOf(idOf(object) ?? "") !== hostOf(account.uri) || idOf(object.attributedTo) !== account.uri) continue;
    const post = await parsePost(deps.db, deps.config.origin, object, account);
    if (!post || !mayListPublicly(post.audience)) continue;
    await storeRemotePost(deps.db, post);
    stored++;
  }
  return stored;
}

/** The items of a collection's first page, whether inline or behind a `first` link. */
async function firstItems(deps: Deps, collection: Json): Promise<unknown[]> {
  const inline = asList(collection.orderedItems ?? collection.items);
  if (inline.length || !collection.first) return inline;
  const first = isObject(collection.first) ? collection.first : await fetchDocument(deps, idOf(collection.first) ?? "");
  return asList(first.orderedItems ?? first.items);
}
