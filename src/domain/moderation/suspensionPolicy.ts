/**
 * Who may suspend whom. The operator may suspend anyone but themself; moderators may suspend and
 * reinstate plain members (never the operator or another moderator), unless the operator has
 * turned that off in Admin.
 */
import type { Db } from "../../db/open.ts";
import { refuse } from "../errors.ts";
import type { Actor } from "./auditLog.ts";

/** True when the camp lets its moderators suspend and reinstate members. */
export async function moderatorsMaySuspend(db: Db): Promise<boolean> {
  const camp = await db.selectFrom("camp").select("moderators_may_suspend").where("id", "=", 1).executeTakeFirstOrThrow();
  return camp.moderators_may_suspend === 1;
}

/** The operator's switch for moderators' suspensions. */
export async function setModeratorsMaySuspend(db: Db, allowed: boolean): Promise<void> {
  await db.updateTable("camp").set({ moderators_may_suspend: allowed ? 1 : 0 }).where("id", "=", 1).execute();
}

/** Refuses unless `actor` may suspend or reinstate a member whose role is `targetRole`. */
export async function checkMaySuspend(db: Db, actor: Actor, targetRole: string): Promise<void> {
  if (targetRole === "operator") refuse("forbidden", "The operator's own account cannot be changed here.");
  if (actor.role === "operator") return;
  if (actor.role !== "moderator") refuse("forbidden", "Only the operator and moderators can suspend members.");
  if (!(await moderatorsMaySuspend(db))) refuse("forbidden", "The operator has turned off suspensions by moderators; ask the operator.");
  if (targetRole !== "member") refuse("forbidden", "Moderators can suspend members, not other moderators; ask the operator.");
}
