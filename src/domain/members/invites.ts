/** Invite links: single-use, expiring, each with a note saying who it is for. */
import type { Db } from "../../db/open.ts";
import { DAY, now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { hashToken, newToken } from "../tokens.ts";
import { insertMember, prepareMember, type NewMember } from "./accounts.ts";

export const MAX_INVITE_DAYS = 90;
export const MAX_INVITE_NOTE = 500;

/** Creates an invite and returns its token; the token itself is never stored. */
export async function createInvite(
  db: Db,
  input: { note: string; days: number; createdBy: number | null },
): Promise<{ id: number; token: string; expiresAt: number }> {
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > MAX_INVITE_DAYS) {
    refuse("invalid", `An invite lasts from 1 to ${MAX_INVITE_DAYS} days.`, "days");
  }
  const note = input.note.trim();
  if (note.length > MAX_INVITE_NOTE) refuse("invalid", `The note can be at most ${MAX_INVITE_NOTE} characters.`, "note");
  const token = newToken();
  const createdAt = now();
  const expiresAt = createdAt + input.days * DAY;
  const row = await db
    .insertInto("invites")
    .values({ token_hash: hashToken(token), note, created_by: input.createdBy, created_at: createdAt, expires_at: expiresAt })
    .returning("id")
    .executeTakeFirstOrThrow();
  return { id: row.id, token, expiresAt };
}

/** The invite behind a token, or a refusal that says why it cannot be used. */
export async function findUsableInvite(db: Db, token: string) {
  const invite = await db.selectFrom("invites").selectAll().where("token_hash", "=", hashToken(token)).executeTakeFirst();
  if (!invite) return refuse("not_found", "This invite link is not valid. Ask the person who runs the camp for a new one.");
  if (invite.used_at !== null) return refuse("gone", "This invite link has already been used. Ask for a new one.");
  if (invite.expires_at <= now()) return refuse("gone", "This invite link has expired. Ask for a new one.");
  return invite;
}

/** Joins the camp with an invite. Spending the invite and creating the member are one transaction. */
export async function acceptInvite(db: Db, token: string, input: NewMember): Promise<number> {
  await findUsableInvite(db, token);
  const prepared = await prepareMember(input);
  return db.transaction().execute(async (trx) => {
    const at = now();
    const invite = await trx
      .updateTable("invites")
      .set({ used_at: at })
      .where("token_hash", "=", hashToken(token))
      .where("used_at", "is", null)
      .where("expires_at", ">", at)
      .returning("id")
      .executeTakeFirst();
    if (!invite) return refuse("gone", "This invite link has just been used by someone else. Ask for a new one.");
    const accountId = await insertMember(trx, prepared, "member", invite.id);
    await trx.updateTable("invites").set({ used_by: accountId }).where("id", "=", invite.id).execute();
    return accountId;
  });
}

export async function listInvites(db: Db) {
  return db.selectFrom("invites")
    .leftJoin("accounts", "accounts.id", "invites.used_by")
    .select(["invites.id", "invites.note", "invites.created_at", "invites.expires_at", "invites.used_at", "accounts.handle as used_by_handle"])
    .orderBy("invites.id", "desc")
    .limit(100)
    .execute();
}

export async function revokeInvite(db: Db, id: number): Promise<void> {
  await db.updateTable("invites").set({ expires_at: now() }).where("id", "=", id).where("used_at", "is", null).execute();
}
