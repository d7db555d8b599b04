/**
 * The audit log: every moderation action (a report resolved, a post removed, a member suspended,
 * reinstated, given or relieved of the moderator role, a domain blocked, allowed or let go) is written here in the same transaction as
 * the action itself, so the operator can always see who did what and when.
 */
import type { Db } from "../../db/open.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";

export type ModerationAction =
  | "report.resolved"
  | "report.post_removed"
  | "member.suspended"
  | "member.reinstated"
  | "member.made_moderator"
  | "member.made_member"
  | "domain.blocked"
  | "domain.allowed"
  | "domain.rule_removed";

/** Who acts: a member of the camp with their role (the operator or a moderator). */
export interface Actor {
  id: number;
  role: string;
}

export interface LoggedAction {
  action: ModerationAction;
  targetAccountId?: number | null;
  reportId?: number | null;
  postId?: number | null;
  note?: string;
}

/** The longest note a moderator may give an action. */
export const MAX_NOTE = 1000;

/** Writes one action to the log; call it inside the action's own transaction (a refused note undoes it). */
export async function logAction(db: Db, actor: Actor, entry: LoggedAction): Promise<void> {
  if ([...(entry.note ?? "")].length > MAX_NOTE) refuse("invalid", `Please keep the note under ${MAX_NOTE} characters.`, "note");
  await db.insertInto("moderation_log").values({
    actor_id: actor.id,
    action: entry.action,
    target_account_id: entry.targetAccountId ?? null,
    report_id: entry.reportId ?? null,
    post_id: entry.postId ?? null,
    note: entry.note ?? "",
    created_at: now(),
  }).execute();
}

export interface AuditEntry {
  id: number;
  action: ModerationAction;
  actor: string | null;
  target: string | null;
  targetId: number | null;
  reportId: number | null;
  postId: number | null;
  note: string;
  createdAt: number;
}

const acct = (handle: string | null, domain: string | null) => (handle === null ? null : domain ? `${handle}@${domain}` : handle);

/** The newest `limit` entries of the log, newest first. */
export async function recentActions(db: Db, limit = 200): Promise<AuditEntry[]> {
  const rows = await db.selectFrom("moderation_log")
    .leftJoin("accounts as actor", "actor.id", "moderation_log.actor_id")
    .leftJoin("accounts as target", "target.id", "moderation_log.target_account_id")
    .select(["moderation_log.id", "moderation_log.action", "moderation_log.report_id", "moderation_log.post_id", "moderation_log.note",
      "moderation_log.created_at", "moderation_log.target_account_id", "actor.handle as actor_handle", "actor.domain as actor_domain",
      "target.handle as target_handle", "target.domain as target_domain"])
    .orderBy("moderation_log.id", "desc").limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    action: r.action as ModerationAction,
    actor: acct(r.actor_handle, r.actor_domain),
    target: acct(r.target_handle, r.target_domain),
    targetId: r.target_account_id,
    reportId: r.report_id,
    postId: r.post_id,
    note: r.note,
    createdAt: r.created_at,
  }));
}
