/**
 * Server-side sessions: the cookie holds a random token, the database holds its hash.
 * Suspending a member deletes every session row, so every open session ends at once.
 */
import { compiledOnce } from "../../db/compiledOnce.ts";
import type { Db } from "../../db/open.ts";
import { DAY, now } from "../clock.ts";
import { hashToken, newToken } from "../tokens.ts";

export const SESSION_DAYS = 30;

export async function startSession(db: Db, accountId: number): Promise<{ token: string; expiresAt: number }> {
  const token = newToken();
  const createdAt = now();
  const expiresAt = createdAt + SESSION_DAYS * DAY;
  // Logins are rare enough that sweeping expired sessions here keeps the table small without a timer.
  await db.deleteFrom("sessions").where("expires_at", "<=", createdAt).execute();
  await db.insertInto("sessions").values({ id_hash: hashToken(token), account_id: accountId, created_at: createdAt, expires_at: expiresAt }).execute();
  return { token, expiresAt };
}

/** The member behind a session token, if the session is live and the member may log in. */
export async function sessionMember(db: Db, token: string) {
  const [member] = await liveSessionMember(db, {}, { idHash: hashToken(token), at: now() });
  return member;
}

/** Asked on every request: built once (see compiledOnce). */
const liveSessionMember = compiledOnce((db: Db, _shape: object, v: { idHash: string; at: number }) => db
  .selectFrom("sessions")
  .innerJoin("accounts", "accounts.id", "sessions.account_id")
  .innerJoin("members", "members.account_id", "accounts.id")
  .select(["accounts.id", "accounts.handle", "accounts.display_name", "accounts.avatar_media_id", "members.role"])
  .where("sessions.id_hash", "=", v.idHash)
  .where("sessions.expires_at", ">", v.at)
  .where("accounts.suspended_at", "is", null)
  .limit(1));

export type SessionMember = NonNullable<Awaited<ReturnType<typeof sessionMember>>>;

export async function endSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom("sessions").where("id_hash", "=", hashToken(token)).execute();
}

export async function endAllSessions(db: Db, accountId: number): Promise<void> {
  await db.deleteFrom("sessions").where("account_id", "=", accountId).execute();
}
