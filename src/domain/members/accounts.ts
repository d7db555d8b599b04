/** Creating a member: the account row and the member row, written together or not at all. */
import type { Kysely, Transaction } from "kysely";
import type { Database, Role } from "../../db/schema.ts";
import { recordEvent } from "../../jobs/events.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { validateHandle } from "./handles.ts";
import { checkPasswordStrength, hashPassword } from "./passwords.ts";

export interface NewMember {
  handle: string;
  displayName: string;
  password: string;
}

export const MAX_DISPLAY_NAME = 80;

/** Checks the parts of a new member that need no database, and hashes the password. */
export async function prepareMember(input: NewMember) {
  const handle = validateHandle(input.handle);
  const displayName = input.displayName.trim() || handle;
  if (displayName.length > MAX_DISPLAY_NAME) {
    refuse("invalid", `A display name can be at most ${MAX_DISPLAY_NAME} characters.`, "displayName");
  }
  checkPasswordStrength(input.password);
  return { handle, displayName, passwordHash: await hashPassword(input.password) };
}

/** Inserts the account and member rows; must run inside the caller's transaction. */
export async function insertMember(
  trx: Transaction<Database> | Kysely<Database>,
  member: Awaited<ReturnType<typeof prepareMember>>,
  role: Role,
  inviteId: number | null,
): Promise<number> {
  const taken = await trx
    .selectFrom("accounts")
    .select("id")
    .where((eb) => eb(eb.fn("lower", ["handle"]), "=", member.handle.toLowerCase()))
    .where("domain", "is", null)
    .executeTakeFirst();
  if (taken) refuse("conflict", `The handle "${member.handle}" is taken; pick another.`, "handle");
  const at = now();
  const account = await trx
    .insertInto("accounts")
    .values({ handle: member.handle, domain: null, display_name: member.displayName, created_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  await trx
    .insertInto("members")
    .values({ account_id: account.id, password_hash: member.passwordHash, role, invite_id: inviteId, created_at: at })
    .execute();
  await recordEvent(trx, { type: "member.joined", accountId: account.id });
  return account.id;
}
