/** Looking members up: the directory, a profile by handle, and the operator's list. */
import { compiledOnce } from "../../db/compiledOnce.ts";
import type { Db } from "../../db/open.ts";
import { normalizeHandle } from "./handles.ts";

const memberColumns = [
  "accounts.id", "accounts.handle", "accounts.display_name", "accounts.bio_html", "accounts.bio_source",
  "accounts.avatar_media_id", "accounts.suspended_at", "accounts.created_at", "members.role",
] as const;

function members(db: Db) {
  return db.selectFrom("accounts").innerJoin("members", "members.account_id", "accounts.id").where("accounts.domain", "is", null);
}

/** Members in the directory: suspended members are hidden from everyone but the operator's list. */
export async function listActiveMembers(db: Db) {
  return members(db).select(memberColumns).where("accounts.suspended_at", "is", null).orderBy("accounts.handle").execute();
}

/** Every member with what the operator needs to look after them. */
export async function listAllMembers(db: Db) {
  return members(db).select([...memberColumns, "members.operator_note"]).orderBy("accounts.id").execute();
}

/** The member with this handle (any case), suspended or not: asked for every profile page. */
export async function findMember(db: Db, handle: string) {
  const [member] = await memberByHandle(db, {}, { lowered: normalizeHandle(handle).toLowerCase() });
  return member;
}

/** Built once (see compiledOnce). */
const memberByHandle = compiledOnce((db: Db, _shape: object, v: { lowered: string }) => members(db)
  .select(memberColumns)
  .where((eb) => eb(eb.fn("lower", ["accounts.handle"]), "=", v.lowered)));

export async function findMemberById(db: Db, id: number) {
  return members(db).select([...memberColumns, "members.operator_note"]).where("accounts.id", "=", id).executeTakeFirst();
}

export type MemberSummary = Awaited<ReturnType<typeof listActiveMembers>>[number];
