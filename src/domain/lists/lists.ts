/**
 * Lists: a member groups people they follow. Private to the member (nothing federates). An
 * exclusive list's people leave the member's Home and are read in the list only, as in Hometown.
 * A list belongs to one member; anyone else asking about it gets "not found".
 */
import { sql } from "kysely";
import type { Db } from "../../db/open.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { loadAuthors, type AuthorView } from "../posts/present.ts";

export const MAX_LIST_TITLE = 100;
export const MAX_LISTS = 50;

export interface ListSummary {
  id: number;
  title: string;
  exclusive: boolean;
  members: number;
}

export interface ListInput {
  title: string;
  exclusive: boolean;
}

function checkTitle(title: string): string {
  const trimmed = title.trim();
  if (!trimmed) refuse("invalid", "Give the list a name.", "title");
  if ([...trimmed].length > MAX_LIST_TITLE) refuse("invalid", `A list's name is at most ${MAX_LIST_TITLE} characters.`, "title");
  return trimmed;
}

/** The member's own list, or a refusal: someone else's list is "not found" to them. */
export async function ownList(db: Db, ownerId: number, listId: number) {
  const list = await db.selectFrom("lists").selectAll().where("id", "=", listId).where("account_id", "=", ownerId).executeTakeFirst();
  return list ?? refuse("not_found", "This list does not exist, or is not yours.");
}

/** Makes a list; returns its id. */
export async function createList(db: Db, ownerId: number, input: ListInput): Promise<number> {
  const title = checkTitle(input.title);
  const count = await db.selectFrom("lists").select((eb) => eb.fn.countAll<number>().as("n")).where("account_id", "=", ownerId).executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_LISTS) refuse("invalid", `You have ${MAX_LISTS} lists already; delete one first.`, "title");
  const row = await db.insertInto("lists").values({ account_id: ownerId, title, exclusive: input.exclusive ? 1 : 0, created_at: now() })
    .returning("id").executeTakeFirstOrThrow();
  return row.id;
}

/** The id of the member's list with this title, made when they have none: imported files name lists by title. */
export async function listTitled(db: Db, ownerId: number, title: string): Promise<number> {
  const existing = await db.selectFrom("lists").select("id").where("account_id", "=", ownerId).where("title", "=", checkTitle(title))
    .orderBy("id").executeTakeFirst();
  return existing?.id ?? createList(db, ownerId, { title, exclusive: false });
}

/** Renames a list or changes whether it is exclusive. */
export async function updateList(db: Db, ownerId: number, listId: number, input: ListInput): Promise<void> {
  await ownList(db, ownerId, listId);
  await db.updateTable("lists").set({ title: checkTitle(input.title), exclusive: input.exclusive ? 1 : 0 }).where("id", "=", listId).execute();
}

/** Deletes a list (its people return to Home if it was exclusive). */
export async function deleteList(db: Db, ownerId: number, listId: number): Promise<void> {
  await ownList(db, ownerId, listId);
  await db.deleteFrom("lists").where("id", "=", listId).execute();
}

/** The member's lists, oldest first, with how many people each holds. */
export async function listsOf(db: Db, ownerId: number): Promise<ListSummary[]> {
  const rows = await db.selectFrom("lists").leftJoin("list_members", "list_members.list_id", "lists.id")
    .select(["lists.id", "lists.title", "lists.exclusive", (eb) => eb.fn.count<number>("list_members.account_id").as("members")])
    .where("lists.account_id", "=", ownerId).groupBy("lists.id").orderBy("lists.id").execute();
  return rows.map((r) => ({ id: r.id, title: r.title, exclusive: r.exclusive === 1, members: Number(r.members) }));
}

/**
 * Adds someone the member follows (an accepted follow) to their list; adding twice changes nothing.
 * `orRequested`: a follow still waiting for an answer is enough, as in Mastodon's list import, so
 * an imported list keeps the people whose servers have not accepted yet.
 */
export async function addToList(db: Db, ownerId: number, listId: number, accountId: number, options: { orRequested?: boolean } = {}): Promise<void> {
  await ownList(db, ownerId, listId);
  const follow = await db.selectFrom("follows").select("id").where("follower_id", "=", ownerId).where("followee_id", "=", accountId)
    .where("state", "in", options.orRequested ? ["accepted", "pending"] : ["accepted"]).executeTakeFirst();
  if (!follow) refuse("invalid", "Only people you follow can be in your lists: follow them first.", "account");
  await db.insertInto("list_members").values({ list_id: listId, account_id: accountId }).onConflict((oc) => oc.doNothing()).execute();
}

/** Takes someone off the member's list. */
export async function removeFromList(db: Db, ownerId: number, listId: number, accountId: number): Promise<void> {
  await ownList(db, ownerId, listId);
  await db.deleteFrom("list_members").where("list_id", "=", listId).where("account_id", "=", accountId).execute();
}

/** The people on a list, in the order they were added. */
export async function listMembers(db: Db, ownerId: number, listId: number): Promise<AuthorView[]> {
  await ownList(db, ownerId, listId);
  const rows = await db.selectFrom("list_members").select("account_id").where("list_id", "=", listId).orderBy(sql`rowid`).execute();
  const authors = await loadAuthors(db, rows.map((r) => r.account_id));
  return rows.flatMap((r) => authors.get(r.account_id) ?? []);
}
