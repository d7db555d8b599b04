/** How a member stands with other accounts (follows both ways, blocks, mutes), for a list of them at once. */
import type { Db } from "../../db/open.ts";

export interface Relationship {
  id: number;
  following: boolean;
  requested: boolean;
  followedBy: boolean;
  /** They asked to follow the member, who has not answered yet. */
  requestedBy: boolean;
  blocking: boolean;
  blockedBy: boolean;
  muting: boolean;
  showingReblogs: boolean;
}

/** The member's relationship with each of these accounts, in the order given. */
export async function relationships(db: Db, memberId: number, ids: number[]): Promise<Relationship[]> {
  if (ids.length === 0) return [];
  const [out, back, blocking, blockedBy, mutes] = await Promise.all([
    db.selectFrom("follows").select(["followee_id as id", "state"]).where("follower_id", "=", memberId).where("followee_id", "in", ids).execute(),
    db.selectFrom("follows").select(["follower_id as id", "state"]).where("followee_id", "=", memberId).where("follower_id", "in", ids).execute(),
    db.selectFrom("blocks").select("target_id as id").where("account_id", "=", memberId).where("target_id", "in", ids).execute(),
    db.selectFrom("blocks").select("account_id as id").where("target_id", "=", memberId).where("account_id", "in", ids).execute(),
    db.selectFrom("mutes").select(["target_id as id", "kind"]).where("account_id", "=", memberId).where("target_id", "in", ids).execute(),
  ]);
  const follow = new Map(out.map((r) => [r.id, r.state]));
  const idSet = (rows: { id: number }[]) => new Set(rows.map((r) => r.id));
  const [followers, askers] = [idSet(back.filter((r) => r.state === "accepted")), idSet(back.filter((r) => r.state === "pending"))];
  const [blocked, blockers] = [idSet(blocking), idSet(blockedBy)];
  return ids.map((id) => ({
    id,
    following: follow.get(id) === "accepted",
    requested: follow.get(id) === "pending",
    followedBy: followers.has(id),
    requestedBy: askers.has(id),
    blocking: blocked.has(id),
    blockedBy: blockers.has(id),
    muting: mutes.some((m) => m.id === id && m.kind === "mute"),
    showingReblogs: !mutes.some((m) => m.id === id && m.kind === "hide_boosts"),
  }));
}
