/** What the operator does to members: roles, suspension, reinstatement and a private note. */
import type { Db } from "../../db/open.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { endAllSessions } from "./sessions.ts";
import { revokeAllTokens } from "../oauth/tokens.ts";

async function nonOperatorMember(db: Db, accountId: number) {
  const member = await db.selectFrom("members").select(["account_id", "role"]).where("account_id", "=", accountId).executeTakeFirst();
  if (!member) return refuse("not_found", "There is no such member.");
  if (member.role === "operator") return refuse("forbidden", "The operator's own account cannot be changed here.");
  return member;
}

export async function setModerator(db: Db, accountId: number, moderator: boolean): Promise<void> {
  await nonOperatorMember(db, accountId);
  await db.updateTable("members").set({ role: moderator ? "moderator" : "member" }).where("account_id", "=", accountId).execute();
}

/** Suspends a member: they cannot log in, their content is hidden, and every open session and app token ends now. */
export async function suspendMember(db: Db, accountId: number): Promise<void> {
  await nonOperatorMember(db, accountId);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("accounts").set({ suspended_at: now() }).where("id", "=", accountId).where("suspended_at", "is", null).execute();
    await endAllSessions(trx, accountId);
    await revokeAllTokens(trx, accountId);
  });
}

export async function reinstateMember(db: Db, accountId: number): Promise<void> {
  await nonOperatorMember(db, accountId);
  await db.updateTable("accounts").set({ suspended_at: null }).where("id", "=", accountId).execute();
}

export const MAX_OPERATOR_NOTE = 5000;

export async function setOperatorNote(db: Db, accountId: number, note: string): Promise<void> {
  if (note.length > MAX_OPERATOR_NOTE) refuse("invalid", `The note can be at most ${MAX_OPERATOR_NOTE} characters.`, "note");
  const result = await db.updateTable("members").set({ operator_note: note.trim() }).where("account_id", "=", accountId).executeTakeFirst();
  if (result.numUpdatedRows !== 1n) refuse("not_found", "There is no such member.");
}
