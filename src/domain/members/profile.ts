/** A member's own profile and password. */
import type { Db } from "../../db/open.ts";
import { refuse } from "../errors.ts";
import { renderMarkdown } from "../text/markdown.ts";
import { MAX_DISPLAY_NAME } from "./accounts.ts";
import { checkPasswordStrength, hashPassword, verifyPassword } from "./passwords.ts";
import { endAllSessions } from "./sessions.ts";
import { recordEvent } from "../../jobs/events.ts";

export const MAX_BIO = 2000;

export async function updateProfile(db: Db, accountId: number, input: { displayName: string; bio: string }): Promise<void> {
  const displayName = input.displayName.trim();
  if (!displayName) refuse("invalid", "Your display name cannot be empty.", "displayName");
  if (displayName.length > MAX_DISPLAY_NAME) {
    refuse("invalid", `A display name can be at most ${MAX_DISPLAY_NAME} characters.`, "displayName");
  }
  if (input.bio.length > MAX_BIO) refuse("invalid", `Your bio can be at most ${MAX_BIO} characters.`, "bio");
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("accounts")
      .set({ display_name: displayName, bio_source: input.bio, bio_html: renderMarkdown(input.bio) })
      .where("id", "=", accountId)
      .execute();
    // Followers on other servers get the new name and bio (federation sends Update).
    await recordEvent(trx, { type: "account.updated", accountId });
  });
}

/**
 * Changes the password and ends every session of the member, so a device that should not be logged
 * in any more (the reason people change passwords) is logged out; the caller starts a fresh session.
 */
export async function changePassword(db: Db, accountId: number, current: string, next: string): Promise<void> {
  const member = await db.selectFrom("members").select("password_hash").where("account_id", "=", accountId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(current, member.password_hash))) {
    refuse("invalid", "Your current password is not right.", "current");
  }
  checkPasswordStrength(next);
  const passwordHash = await hashPassword(next);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("members").set({ password_hash: passwordHash }).where("account_id", "=", accountId).execute();
    await endAllSessions(trx, accountId);
  });
}
