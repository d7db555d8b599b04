/**
 * A list's stream: posts and boosts by the list's people that the member may see (the gate's SQL
 * rule), minus the member's filters, newest first, paged by a keyset cursor on posts.id. The
 * people are read through posts_author, one range each; a list holds a handful of people.
 */
import type { Db } from "../../db/open.ts";
import { visibleTo, type Viewer } from "../audience.ts";
import { notFilteredFor } from "../filters/streamFilter.ts";
import { presentItems } from "../posts/present.ts";
import { PAGE_SIZE, type StreamPage } from "../timelines/streams.ts";
import { ownList } from "./lists.ts";

/** The ids query of a list's stream (one more than the page, to know whether there is a next). */
export function listIdsQuery(db: Db, ownerId: number, listId: number, before: number | null, limit: number) {
  const viewer: Viewer = { kind: "member", accountId: ownerId };
  let query = db.selectFrom("posts")
    .innerJoin("accounts as authors", "authors.id", "posts.author_id")
    .select("posts.id")
    .where("posts.author_id", "in", (eb) => eb.selectFrom("list_members").select("account_id").where("list_id", "=", listId))
    .where(visibleTo(viewer))
    .where(notFilteredFor(ownerId));
  if (before !== null) query = query.where("posts.id", "<", before);
  return query.orderBy("posts.id", "desc").limit(limit + 1);
}

/** One page of the member's list. */
export async function listStream(db: Db, ownerId: number, listId: number, before: number | null, limit = PAGE_SIZE): Promise<StreamPage> {
  await ownList(db, ownerId, listId);
  const ids = (await listIdsQuery(db, ownerId, listId, before, limit).execute()).map((r) => r.id);
  const pageIds = ids.slice(0, limit);
  return { items: await presentItems(db, { kind: "member", accountId: ownerId }, pageIds), next: ids.length > limit ? pageIds[pageIds.length - 1]! : null };
}
