/**
 * What the operator (and, for suspensions, moderators) do to members: roles, suspension,
 * reinstatement and a private note. Each action but the note is written to the audit log in
 * the same transaction.
 */
import type { Db } from "../../db/open.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { type Actor, logAction } from "../moderation/auditLog.ts";
import { checkMaySuspend } from "../moderation/suspensionPolicy.ts";
import { endAllSessions } from "./sessions.ts";
import { revokeAllTokens } from "../oauth/tokens.ts";

async function memberOf(db: Db, accountId: number) {
  const member = await db.selectFrom("members").select(["account_id", "role"]).where("account_id", "=", accountId).executeTakeFirst();
  return member ?? refuse("not_found", "There is no such member.");
}

async function nonOperatorMember(db: Db, accountId: number) {
  const member = await memberOf(db, accountId);
  if (member.role === "operator") return refuse("forbidden", "The operator's own account cannot be changed here.");
  return member;
}

/** Gives a member the moderator role, or takes it away (the operator's decision). */
export async function setModerator(db: Db, accountId: number, moderator: boolean, actor: Actor): Promise<void> {
  await nonOperatorMember(db, accountId);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("members").set({ role: moderator ? "moderator" : "member" }).where("account_id", "=", accountId).execute();
    await logAction(trx, actor, { action: moderator ? "member.made_moderator" : "member.made_member", targetAccountId: accountId });
  });
}

/** Suspends a member: they cannot log in, their content is hidden, and every open session and app token ends now. */
export async function suspendMember(db: Db, accountId: number, actor: Actor, note = ""): Promise<void> {
  await checkMaySuspend(db, actor, (await memberOf(db, accountId)).role);
  await db.transaction().execute(async (trx) => {
    const changed = await trx.updateTable("accounts").set({ suspended_at: now() }).where("id", "=", accountId).where("suspended_at", "is", null).executeTakeFirst();
    if (changed.numUpdatedRows === 0n) return;
    await endAllSessions(trx, accountId);
    await revokeAllTokens(trx, accountId);
    await logAction(trx, actor, { action: "member.suspended", targetAccountId: accountId, note: note.trim() });
  });
}

/** Lifts a suspension. */
export async function reinstateMember(db: Db, accountId: number, actor: Actor, note = ""): Promise<void> {
  await checkMaySuspend(db, actor, (await memberOf(db, accountId)).role);
  await db.transaction().execute(async (trx) => {
    const changed = await trx.updateTable("accounts").set({ suspended_at: null }).where("id", "=", accountId).where("suspended_at", "is not", null).executeTakeFirst();
    if (changed.numUpdatedRows === 0n) return;
    await logAction(trx, actor, { action: "member.reinstated", targetAccountId: accountId, note: note.trim() });
  });
}

export const MAX_OPERATOR_NOTE = 5000;

export async function setOperatorNote(db: Db, accountId: number, note: string): Promise<void> {
  if (note.length > MAX_OPERATOR_NOTE) refuse("invalid", `The note can be at most ${MAX_OPERATOR_NOTE} characters.`, "note");
  const result = await db.updateTable("members").set({ operator_note: note.trim() }).where("account_id", "=", accountId).executeTakeFirst();
  if (result.numUpdatedRows !== 1n) refuse("not_found", "There is no such member.");
}
