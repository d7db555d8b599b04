/**
 * Moving in: a member names their old accounts elsewhere as aliases (`alsoKnownAs`), so the old
 * server may send `Move` and have their followers there follow them here. Each alias is an actor
 * found by the caller (through the guarded lookup) and shown by its address.
 */
import type { Db } from "../../db/open.ts";
import { refuse } from "../errors.ts";
import { recordEvent } from "../../jobs/events.ts";

export const MAX_ALIASES = 5;

const parse = (json: string): string[] => JSON.parse(json) as string[];

/** The member's aliases, each with its address when the account is known here. */
export async function aliasesOf(db: Db, accountId: number): Promise<{ uri: string; address: string | null }[]> {
  const row = await db.selectFrom("accounts").select("also_known_as").where("id", "=", accountId).executeTakeFirstOrThrow();
  const uris = parse(row.also_known_as);
  if (!uris.length) return [];
  const known = await db.selectFrom("accounts").select(["uri", "handle", "domain"]).where("uri", "in", uris).execute();
  return uris.map((uri) => {
    const account = known.find((k) => k.uri === uri);
    return { uri, address: account ? `${account.handle}@${account.domain}` : null };
  });
}

/** Adds the account `aliasId` (already looked up) as an alias of the member. */
export async function addAlias(db: Db, accountId: number, aliasId: number): Promise<void> {
  const alias = await db.selectFrom("accounts").select(["uri", "domain"]).where("id", "=", aliasId).executeTakeFirst();
  if (!alias?.uri || alias.domain === null) return refuse("invalid", "An alias is your account on another server; this one is here.", "alias");
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("accounts").select("also_known_as").where("id", "=", accountId).executeTakeFirstOrThrow();
    const uris = parse(row.also_known_as);
    if (uris.includes(alias.uri!)) return;
    if (uris.length >= MAX_ALIASES) refuse("too_many", `You can have at most ${MAX_ALIASES} aliases; remove one first.`, "alias");
    await trx.updateTable("accounts").set({ also_known_as: JSON.stringify([...uris, alias.uri]) }).where("id", "=", accountId).execute();
    await recordEvent(trx, { type: "account.updated", accountId });
  });
}

/** Removes an alias. */
export async function removeAlias(db: Db, accountId: number, uri: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("accounts").select("also_known_as").where("id", "=", accountId).executeTakeFirstOrThrow();
    const uris = parse(row.also_known_as);
    if (!uris.includes(uri)) return;
    await trx.updateTable("accounts").set({ also_known_as: JSON.stringify(uris.filter((u) => u !== uri)) }).where("id", "=", accountId).execute();
    await recordEvent(trx, { type: "account.updated", accountId });
  });
}
