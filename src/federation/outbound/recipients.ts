/**
 * Whose inboxes an activity goes to. Followers on one server share an inbox, so each server
 * gets one copy; servers the camp does not federate with, and suspended or deleted remote
 * accounts, get nothing.
 */
import type { Db } from "../../db/open.ts";
import { mayFederateWith } from "../policy.ts";
import { hostOf } from "../urls.ts";

/** Shared inboxes (or personal ones) of an account's accepted remote followers. */
export async function followerInboxes(db: Db, accountId: number): Promise<string[]> {
  const rows = await db.selectFrom("follows").innerJoin("accounts", "accounts.id", "follows.follower_id")
    .select((eb) => eb.fn.coalesce("accounts.shared_inbox_uri", "accounts.inbox_uri").as("inbox"))
    .where("follows.followee_id", "=", accountId).where("follows.state", "=", "accepted")
    .where("accounts.domain", "is not", null).where("accounts.suspended_at", "is", null).where("accounts.deleted_at", "is", null)
    .distinct().execute();
  return allowed(db, rows.map((r) => r.inbox));
}

/** Inboxes of particular remote accounts; `personal` when the activity is for that actor alone (Follow, Block). */
export async function inboxesOf(db: Db, accountIds: number[], options: { personal?: boolean } = {}): Promise<string[]> {
  if (!accountIds.length) return [];
  const rows = await db.selectFrom("accounts").select(["inbox_uri", "shared_inbox_uri"])
    .where("id", "in", accountIds).where("domain", "is not", null).where("suspended_at", "is", null).where("deleted_at", "is", null).execute();
  return allowed(db, rows.map((r) => (options.personal ? r.inbox_uri : r.shared_inbox_uri ?? r.inbox_uri)));
}

async function allowed(db: Db, inboxes: (string | null)[]): Promise<string[]> {
  const verdicts = new Map<string, boolean>();
  const out = new Set<string>();
  for (const inbox of inboxes) {
    const host = inbox ? hostOf(inbox) : null;
    if (!inbox || !host) continue;
    if (!verdicts.has(host)) verdicts.set(host, await mayFederateWith(db, host));
    if (verdicts.get(host)) out.add(inbox);
  }
  return [...out];
}
