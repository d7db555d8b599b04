/**
 * First run: while no operator exists, a one-time setup link lets the person who
 * started the server become the operator. The link is shown only on the console.
 */
import type { Db } from "../../db/open.ts";
import { refuse } from "../errors.ts";
import { hashToken, newToken } from "../tokens.ts";
import { insertMember, prepareMember, type NewMember } from "./accounts.ts";

const SPENT = "This setup link has already been used or was replaced. Restart the server for a new one.";

export async function hasOperator(db: Db): Promise<boolean> {
  const row = await db.selectFrom("members").select("account_id").where("role", "=", "operator").executeTakeFirst();
  return !!row;
}

/** Issues a fresh setup token (replacing any earlier one) when the camp has no operator yet. */
export async function issueSetupToken(db: Db): Promise<string | null> {
  if (await hasOperator(db)) return null;
  const token = newToken();
  await db.updateTable("camp").set({ setup_token_hash: hashToken(token) }).where("id", "=", 1).execute();
  return token;
}

export async function isValidSetupToken(db: Db, token: string): Promise<boolean> {
  const camp = await db.selectFrom("camp").select("setup_token_hash").where("id", "=", 1).executeTakeFirstOrThrow();
  return !!camp.setup_token_hash && camp.setup_token_hash === hashToken(token);
}

/** Creates the operator and spends the token, atomically; a second attempt finds the token gone. */
export async function completeSetup(db: Db, token: string, input: NewMember): Promise<number> {
  // A spent link says so before anything about the form, so a second post gets the real reason.
  if (!(await isValidSetupToken(db, token))) refuse("gone", SPENT);
  const prepared = await prepareMember(input);
  return db.transaction().execute(async (trx) => {
    const spent = await trx
      .updateTable("camp")
      .set({ setup_token_hash: null })
      .where("id", "=", 1)
      .where("setup_token_hash", "=", hashToken(token))
      .executeTakeFirst();
    if (spent.numUpdatedRows !== 1n) {
      refuse("gone", SPENT);
    }
    return insertMember(trx, prepared, "operator", null);
  });
}
