/** Password-reset links, made by the operator and handed over in person: no mail server needed. */
import type { Db } from "../../db/open.ts";
import { DAY, now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { hashToken, newToken } from "../tokens.ts";
import { findLocalMemberByHandle } from "./login.ts";
import { checkPasswordStrength, hashPassword } from "./passwords.ts";
import { endAllSessions } from "./sessions.ts";

const RESET_DAYS = 2;

/** Makes a one-time reset token for a member; earlier unused links for them stop working. */
export async function createResetToken(db: Db, handle: string): Promise<string> {
  const member = await findLocalMemberByHandle(db, handle);
  if (!member) return refuse("not_found", `No member has the handle "${handle}".`);
  const token = newToken();
  const at = now();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("password_resets").set({ used_at: at }).where("account_id", "=", member.id).where("used_at", "is", null).execute();
    await trx.insertInto("password_resets").values({ token_hash: hashToken(token), account_id: member.id, created_at: at, expires_at: at + RESET_DAYS * DAY }).execute();
  });
  return token;
}

export async function findUsableReset(db: Db, token: string) {
  const reset = await db
    .selectFrom("password_resets")
    .innerJoin("accounts", "accounts.id", "password_resets.account_id")
    .select(["password_resets.account_id", "password_resets.used_at", "password_resets.expires_at", "accounts.handle"])
    .where("token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!reset) return refuse("not_found", "This reset link is not valid. Ask the person who runs the camp for a new one.");
  if (reset.used_at !== null || reset.expires_at <= now()) {
    return refuse("gone", "This reset link has been used or has expired. Ask for a new one.");
  }
  return reset;
}

/** Sets the new password, spends the link and ends every other session of the member. */
export async function useResetToken(db: Db, token: string, password: string): Promise<number> {
  await findUsableReset(db, token);
  checkPasswordStrength(password);
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const spent = await trx
      .updateTable("password_resets")
      .set({ used_at: now() })
      .where("token_hash", "=", hashToken(token))
      .where("used_at", "is", null)
      .where("expires_at", ">", now())
      .returning("account_id")
      .executeTakeFirst();
    if (!spent) return refuse("gone", "This reset link has just been used or has expired. Ask for a new one.");
    await trx.updateTable("members").set({ password_hash: passwordHash }).where("account_id", "=", spent.account_id).execute();
    await endAllSessions(trx, spent.account_id);
    return spent.account_id;
  });
}
