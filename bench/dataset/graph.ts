/** Who follows whom: each member follows a set of members and remote actors; remote actors follow members back. */
import type { People } from "./accounts.ts";
import type { Random } from "./random.ts";
import type { Shape } from "./shape.ts";
import type { BulkWriter } from "./writer.ts";

const FOLLOW_COLUMNS = ["follower_id", "followee_id", "state", "uri", "created_at"] as const;

/** Writes every follow (all accepted) and returns, per member, the accounts they follow. */
export function writeFollowGraph(writer: BulkWriter, random: Random, people: People, shape: Shape, at: number): Map<number, Set<number>> {
  const following = new Map<number, Set<number>>();
  const members = people.memberIds;
  for (const member of members) {
    const followees = new Set<number>();
    // Members know each other: pick among the others, never oneself.
    for (const index of random.sample(members.length - 1, shape.memberFollowsMembers)) {
      followees.add(members[index >= members.indexOf(member) ? index + 1 : index]!);
    }
    for (const index of random.sample(people.remote.length, shape.memberFollowsRemote)) {
      followees.add(people.remote[index]!.id);
    }
    for (const followee of followees) writer.insert("follows", FOLLOW_COLUMNS, [member, followee, "accepted", null, at - random.int(1000) * 3_600_000]);
    following.set(member, followees);
  }
  // Remote actors follow one to three members each, as people out there who know someone here.
  for (const actor of people.remote) {
    const count = 1 + random.int(3);
    for (const index of random.sample(members.length, count)) {
      writer.insert("follows", FOLLOW_COLUMNS, [actor.id, members[index]!, "accepted", `${actor.uri}#follows/${index}`, at - random.int(1000) * 3_600_000]);
    }
  }
  return following;
}
