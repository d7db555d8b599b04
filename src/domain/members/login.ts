/**
 * Checking a handle and password. A wrong password, an unknown handle and a suspended
 * member all get the same answer, after the same amount of work.
 */
import type { Db } from "../../db/open.ts";
import { decoyHash, verifyPassword } from "./passwords.ts";
import { normalizeHandle } from "./handles.ts";

export async function findLocalMemberByHandle(db: Db, handle: string) {
  return db
    .selectFrom("accounts")
    .innerJoin("members", "members.account_id", "accounts.id")
    .select(["accounts.id", "accounts.handle", "accounts.suspended_at", "members.password_hash", "members.role"])
    .where((eb) => eb(eb.fn("lower", ["accounts.handle"]), "=", normalizeHandle(handle).toLowerCase()))
    .where("accounts.domain", "is", null)
    .executeTakeFirst();
}

/** Returns the account id when the credentials are right and the member may log in, else null. */
export async function checkCredentials(db: Db, handle: string, password: string): Promise<number | null> {
  const member = await findLocalMemberByHandle(db, handle);
  const ok = await verifyPassword(password, member?.password_hash ?? (await decoyHash()));
  return ok && member && member.suspended_at === null ? member.id : null;
}
