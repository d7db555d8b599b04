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

/** Live sessions remembered per connection, forgotten together whenever the database changes. */
interface SessionMemo {
  version: string;
  members: Map<string, { member: SessionMember; expiresAt: number }>;
}
const memos = new WeakMap<Db, SessionMemo>();
/** Tokens remembered at most; a camp has a few hundred sessions, so this is never reached in use. */
const MEMO_LIMIT = 2000;

/**
 * The member behind a session token, if the session is live and the member may log in. Every request
 * asks, and the answer cannot change while nothing is written: `version` is the database's stamp
 * (src/db/contentVersion.ts) read by the caller, so a session looked up at the same stamp is answered
 * from memory until it expires. A logout, suspension or role change is a write and forgets them all.
 */
export async function sessionMember(db: Db, token: string, version: string) {
  let memo = memos.get(db);
  // Stamps only grow, so a memo of an older stamp is never asked for again once replaced.
  if (memo?.version !== version) memos.set(db, (memo = { version, members: new Map() }));
  const at = now();
  const kept = memo.members.get(token);
  if (kept && at < kept.expiresAt) return kept.member;
  const [row] = await liveSessionMember(db, {}, { idHash: hashToken(token), at });
  if (!row) return undefined;
  const { expires_at: expiresAt, ...member } = row;
  if (memo.members.size >= MEMO_LIMIT) memo.members.clear();
  memo.members.set(token, { member, expiresAt });
  return member;
}

/** Asked on every request: built once (see compiledOnce). */
const liveSessionMember = compiledOnce((db: Db, _shape: object, v: { idHash: string; at: number }) => db
  .selectFrom("sessions")
  .innerJoin("accounts", "accounts.id", "sessions.account_id")
  .innerJoin("members", "members.account_id", "accounts.id")
  .select(["accounts.id", "accounts.handle", "accounts.display_name", "accounts.avatar_media_id", "members.role", "members.time_zone", "sessions.expires_at"])
  .where("sessions.id_hash", "=", v.idHash)
  .where("sessions.expires_at", ">", v.at)
  .where("accounts.suspended_at", "is", null)
  .limit(1));

export type SessionMember = Omit<Awaited<ReturnType<typeof liveSessionMember>>[number], "expires_at">;

export async function endSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom("sessions").where("id_hash", "=", hashToken(token)).execute();
}

export async function endAllSessions(db: Db, accountId: number): Promise<void> {
  await db.deleteFrom("sessions").where("account_id", "=", accountId).execute();
}
