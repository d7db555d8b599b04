/**
 * First run: while no operator exists, a one-time setup link lets the person who
 * started the server become the operator. The link is shown only on the console.
 */
import type { Db } from "../../db/open.ts";
import { refuse } from "../errors.ts";
import { hashToken, newToken } from "../tokens.ts";
import { insertMember, prepareMember, type NewMember } from "./accounts.ts";

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
  const prepared = await prepareMember(input);
  return db.transaction().execute(async (trx) => {
    const spent = await trx
      .updateTable("camp")
      .set({ setup_token_hash: null })
      .where("id", "=", 1)
      .where("setup_token_hash", "=", hashToken(token))
      .executeTakeFirst();
    if (spent.numUpdatedRows !== 1n) {
      refuse("gone", "This setup link has already been used or was replaced. Restart the server for a new one.");
    }
    return insertMember(trx, prepared, "operator", null);
  });
}
