/** Muting a person (their posts and boosts leave my streams) and hiding only their boosts. */
import { compiledOnce } from "../../db/compiledOnce.ts";
import type { Db } from "../../db/open.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";

export type MuteKind = "mute" | "hide_boosts";

/** Mutes or hides boosts; doing it again changes nothing. */
export async function addMute(db: Db, accountId: number, targetId: number, kind: MuteKind): Promise<void> {
  if (accountId === targetId) refuse("invalid", "You cannot mute yourself.");
  const target = await db.selectFrom("accounts").select("id").where("id", "=", targetId).executeTakeFirst();
  if (!target) refuse("not_found", "That person does not exist here.");
  await db
    .insertInto("mutes")
    .values({ account_id: accountId, target_id: targetId, kind, created_at: now() })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function removeMute(db: Db, accountId: number, targetId: number, kind: MuteKind): Promise<void> {
  await db.deleteFrom("mutes").where("account_id", "=", accountId).where("target_id", "=", targetId).where("kind", "=", kind).execute();
}

/** The kinds of mute the member has on the target, for the buttons on a profile. */
export async function mutesOn(db: Db, accountId: number, targetId: number): Promise<Set<MuteKind>> {
  const rows = await muteKinds(db, {}, { accountId, targetId });
  return new Set(rows.map((r) => r.kind));
}

/** Asked on every profile a member opens: built once (see compiledOnce). */
const muteKinds = compiledOnce((db: Db, _shape: object, v: { accountId: number; targetId: number }) => db.selectFrom("mutes")
  .select("kind").where("account_id", "=", v.accountId).where("target_id", "=", v.targetId));

/** Everyone the member muted or whose boosts they hide, for the filters page. */
export async function listMutes(db: Db, accountId: number) {
  return db
    .selectFrom("mutes")
    .innerJoin("accounts", "accounts.id", "mutes.target_id")
    .select(["mutes.kind", "accounts.id", "accounts.handle", "accounts.domain", "accounts.display_name"])
    .where("mutes.account_id", "=", accountId)
    .orderBy("accounts.handle")
    .execute();
}
