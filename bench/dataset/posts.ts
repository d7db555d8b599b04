/**
 * Three years of posts in the order they happened: members' and remote actors' originals,
 * replies and boosts interleaved, with the likes, mentions, tags, attachments and
 * notifications that come with them. Ids grow with time, as they do in a live camp.
 */
import { audienceForBoost, audienceForReply } from "../../src/domain/audience.ts";
import type { Audience } from "../../src/db/schema.ts";
import type { People, RemoteActor } from "./accounts.ts";
import { Random, Skewed } from "./random.ts";
import { localText, remoteText, TAGS } from "./text.ts";
import type { BulkWriter } from "./writer.ts";

const HOUR = 3_600_000;
const POST_COLUMNS = ["id", "author_id", "audience", "uri", "url", "in_reply_to_id", "in_reply_to_uri", "thread_root_id",
  "boost_of_id", "content_warning", "source", "html", "language", "created_at"] as const;
/** How far back replies and boosts reach: people answer what is recent. */
const RECENT = 4000;
const HOT = 150;
/** Conversations in full swing at any moment. */
const LIVE_THREADS = 12;
/** Most of what members write stays in the camp. */
const MEMBER_AUDIENCES: [Audience, number][] = [["camp", 0.7], ["public", 0.14], ["unlisted", 0.05], ["followers", 0.08], ["direct", 0.03]];
const REMOTE_AUDIENCES: [Audience, number][] = [["public", 0.75], ["unlisted", 0.15], ["followers", 0.1]];

interface Recent {
  id: number;
  authorId: number;
  audience: Audience;
  rootId: number;
  uri: string | null;
  isBoost: boolean;
  /** The conversation was started by a member. */
  rootByMember: boolean;
}

export interface PostsResult {
  /** The member-written root post with the longest conversation under it. */
  busiestThread: { id: number; replies: number };
}

function weighted(random: Random, table: [Audience, number][]): Audience {
  let x = random.next();
  for (const [audience, weight] of table) {
    if ((x -= weight) < 0) return audience;
  }
  return table[0]![0];
}

/** Writes all posts and what hangs off them, between `start` and `end`. */
export function writePosts(
  writer: BulkWriter,
  random: Random,
  people: People,
  counts: { memberPosts: number; remotePosts: number },
  start: number,
  end: number,
): PostsResult {
  const total = counts.memberPosts + counts.remotePosts;
  const memberSkew = new Skewed(people.memberIds.length, 0.8);
  const remoteSkew = new Skewed(people.remote.length, 0.9);
  const recent: Recent[] = [];
  const live: Recent[] = [];
  const boosted = new Set<string>();
  const replies = new Map<number, number>();
  const unreadSince = end - 2 * 24 * HOUR;
  let membersLeft = counts.memberPosts;
  let remoteLeft = counts.remotePosts;
  let mediaKey = 0;

  const isMember = (accountId: number) => accountId <= people.memberIds.length;
  const notify = (recipient: number, kind: string, actor: number, postId: number, at: number) => {
    if (recipient === actor || !isMember(recipient)) return;
    writer.insert("notifications", ["recipient_id", "kind", "actor_id", "post_id", "created_at", "read_at"],
      [recipient, kind, actor, postId, at, at < unreadSince ? at + HOUR : null]);
  };
  const recentPick = (accept: (r: Recent) => boolean): Recent | null => {
    for (let tries = 0; tries < 8 && recent.length > 0; tries++) {
      // Half the time, join a conversation that is happening right now.
      const reach = random.chance(0.5) ? HOT : RECENT;
      const candidate = recent[recent.length - 1 - random.int(Math.min(recent.length, reach))]!;
      if (!candidate.isBoost && accept(candidate)) return candidate;
    }
    return null;
  };
  const like = (accountId: number, post: Recent, at: number, uri: string | null) => {
    writer.insert("likes", ["account_id", "post_id", "uri", "created_at"], [accountId, post.id, uri, at]);
    notify(post.authorId, "like", accountId, post.id, at);
  };
  const attach = (ownerId: number, postId: number, at: number, remoteBase: string | null) => {
    const count = 1 + random.int(2);
    for (let position = 0; position < count; position++) {
      const key = (++mediaKey).toString(16).padStart(32, "0");
      writer.insert("media", ["owner_id", "post_id", "position", "storage_key", "remote_url", "mime", "bytes", "width", "height", "alt", "created_at"],
        [ownerId, postId, position, remoteBase ? null : `${key}.jpg`, remoteBase ? `${remoteBase}/media/${key}.jpg` : null,
          "image/jpeg", 150_000 + random.int(400_000), 1600, 1200, "A photo from the walk", at]);
    }
  };

  for (let i = 0; i < total; i++) {
    const id = i + 1;
    const at = Math.floor(start + ((i + random.next()) * (end - start)) / total);
    const byMember = random.next() * (membersLeft + remoteLeft) < membersLeft;
    if (byMember) membersLeft--;
    else remoteLeft--;
    const author = byMember ? people.memberIds[memberSkew.draw(random)]! : people.remote[remoteSkew.draw(random)]!.id;
    const actor: RemoteActor | null = byMember ? null : people.remote[author - people.memberIds.length - 1]!;
    const uri = actor ? `${actor.uri}/statuses/${id}` : null;
    const roll = random.next();

    // A boost, when there is something recent this author may share.
    const boostTarget = roll < (byMember ? 0.12 : 0.08)
      ? recentPick((r) => r.authorId !== author && audienceForBoost(r) !== null && (byMember || r.audience === "public")
        && !boosted.has(`${author}:${r.id}`))
      : null;
    if (boostTarget) {
      boosted.add(`${author}:${boostTarget.id}`);
      const audience = audienceForBoost(boostTarget)!;
      writer.insert("posts", POST_COLUMNS, [id, author, audience, uri && `${uri}/activity`, null, null, null, null, boostTarget.id, "", "", "", null, at]);
      notify(boostTarget.authorId, "boost", author, boostTarget.id, at);
      recent.push({ id, authorId: author, audience, rootId: id, uri, isBoost: true, rootByMember: false });
      continue;
    }

    // A reply to something recent the author can see, or else an original post.
    const mayAnswer = (r: Recent) => (byMember ? r.audience !== "direct" && r.audience !== "followers" : r.audience === "public");
    // Lively conversations draw more replies: often, answer the latest post of a thread in full swing.
    const lively = roll < (byMember ? 0.34 : 0.18) && random.chance(0.4) ? live[random.int(live.length)] : undefined;
    const parent = roll < (byMember ? 0.34 : 0.18) ? (lively && mayAnswer(lively) ? lively : recentPick(mayAnswer)) : null;
    const chosen = weighted(random, byMember ? MEMBER_AUDIENCES : REMOTE_AUDIENCES);
    const audience = parent ? audienceForReply(parent.audience, chosen === "direct" ? parent.audience : chosen) : chosen;
    const mentioned = new Set<number>();
    if (parent && parent.authorId !== author) mentioned.add(parent.authorId);
    if (audience === "direct" || random.chance(byMember ? 0.1 : 0.03)) {
      for (let m = 0, n = audience === "direct" ? 1 + random.int(2) : 1; m < n; m++) {
        const other = people.memberIds[random.int(people.memberIds.length)]!;
        if (other !== author) mentioned.add(other);
      }
    }
    const tags = random.chance(byMember ? 0.08 : 0.15) ? random.sample(TAGS.length, 1 + random.int(2)).map((t) => TAGS[t]!) : [];
    const text = actor
      ? remoteText(random, tags, actor.domain)
      : localText(random, [...mentioned].filter(isMember).map((m) => people.memberHandles[m - 1]!), tags);
    const rootId = parent ? parent.rootId : id;
    writer.insert("posts", POST_COLUMNS, [id, author, audience, uri, actor ? `https://${actor.domain}/@${actor.handle}/${id}` : null,
      parent?.id ?? null, parent ? parent.uri : null, parent ? rootId : null, null,
      random.chance(0.04) ? "spoilers" : "", text.source, text.html, "en", at]);
    for (const account of mentioned) {
      writer.insert("mentions", ["post_id", "account_id"], [id, account]);
      notify(account, parent && account === parent.authorId ? "reply" : "mention", author, id, at);
    }
    for (const tag of tags) writer.insert("post_tags", ["post_id", "tag"], [id, tag]);
    if (random.chance(byMember ? 0.05 : 0.08)) attach(author, id, at, actor ? `https://${actor.domain}` : null);
    const rootByMember = parent ? parent.rootByMember : byMember;
    if (parent && rootByMember) replies.set(rootId, (replies.get(rootId) ?? 0) + 1);
    const post: Recent = { id, authorId: author, audience, rootId, uri, isBoost: false, rootByMember };
    recent.push(post);
    if (recent.length > 2 * RECENT) recent.splice(0, RECENT);
    const liveAt = parent ? live.findIndex((r) => r.rootId === rootId) : -1;
    if (liveAt >= 0) live[liveAt] = post;
    else if (parent && random.chance(0.05)) {
      live.push(post);
      if (live.length > LIVE_THREADS) live.shift();
    }

    // Likes: members like each other's posts often, remote posts now and then.
    const memberLikes = random.poisson(byMember ? 2 : 0.25);
    for (const index of random.sample(people.memberIds.length, memberLikes)) {
      const liker = people.memberIds[index]!;
      if (liker !== author) like(liker, post, at + random.int(6 * HOUR), null);
    }
    if (byMember && (audience === "public" || audience === "unlisted")) {
      for (const index of random.sample(people.remote.length, random.poisson(0.5))) {
        const liker = people.remote[index]!;
        like(liker.id, post, at + random.int(6 * HOUR), `${liker.uri}#likes/${id}`);
      }
    }
  }

  let busiest = { id: 0, replies: 0 };
  for (const [rootId, count] of replies) if (count > busiest.replies) busiest = { id: rootId, replies: count };
  return { busiestThread: busiest };
}
