/** How big the benchmark's data set is at a given scale: the one place its counts are decided. */

export interface Shape {
  members: number;
  /** Posts written by members: originals, replies and boosts. */
  memberPosts: number;
  remoteServers: number;
  remoteActors: number;
  /** Posts by remote actors: originals, replies and boosts. */
  remotePosts: number;
  /** Members each member follows. */
  memberFollowsMembers: number;
  /** Remote actors each member follows. */
  memberFollowsRemote: number;
  /** Remote actors given a real RSA key pair, so the benchmark can sign inbox deliveries as them. */
  signingActors: number;
  /** The history the posts are spread over. */
  years: number;
}

/** The full data set of issue 6, scaled: 0.05 makes a quick smoke run, 1 the real thing. */
export function shapeAt(scale: number): Shape {
  if (!(scale > 0 && scale <= 10)) throw new Error(`KITH_BENCH_SCALE must be a number above 0 and at most 10, not ${scale}.`);
  const members = 100;
  const remoteActors = Math.max(20, Math.round(2000 * scale));
  return {
    members,
    memberPosts: Math.round(200_000 * scale),
    remoteServers: Math.max(5, Math.round(300 * scale)),
    remoteActors,
    remotePosts: Math.round(300_000 * scale),
    memberFollowsMembers: Math.min(50, members - 1),
    memberFollowsRemote: Math.min(200, remoteActors),
    signingActors: Math.min(200, remoteActors),
    years: 3,
  };
}

/** The same camp and follow graph with a different number of posts (for the growth measurement). */
export function withTotalPosts(shape: Shape, totalPosts: number): Shape {
  const memberShare = shape.memberPosts / (shape.memberPosts + shape.remotePosts);
  const memberPosts = Math.round(totalPosts * memberShare);
  return { ...shape, memberPosts, remotePosts: totalPosts - memberPosts };
}
