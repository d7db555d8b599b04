/**
 * A member's post as an ActivityStreams Note (or, carrying a poll, a Question in Mastodon's shape),
 * with `to`/`cc` from the gate's addressingOf. Takes only FederatablePost: a camp-only post cannot
 * be turned into ActivityPub here.
 */
import { addressingOf, type FederatablePost } from "../../domain/audience.ts";
import type { LocalPost } from "../outbound/localPost.ts";
import { followersUri } from "../urls.ts";
import { PUBLIC } from "./context.ts";

export interface Addressed {
  to: string[];
  cc: string[];
}

/** The post's `to` and `cc`: the public, the author's followers and the mentioned, where the gate puts them. */
export function addressing(post: FederatablePost<LocalPost>, authorFollowers: string): Addressed {
  const where = addressingOf(post);
  const out: Addressed = { to: [], cc: [] };
  if (where.public) out[where.public].push(PUBLIC);
  if (where.followers) out[where.followers].push(authorFollowers);
  const mentioned = new Set(post.mentions.map((m) => m.uri));
  if (post.inReplyTo && !post.inReplyTo.local) mentioned.add(post.inReplyTo.authorUri);
  out[where.mentioned].push(...[...mentioned].filter((uri) => uri !== post.authorUri));
  return out;
}

/**
 * A poll as Mastodon sends it: options under oneOf (single choice) or anyOf (multiple), each a Note
 * whose replies.totalItems is its count; endTime, votersCount, and closed once it has closed.
 */
function questionOf(poll: NonNullable<LocalPost["poll"]>): Record<string, unknown> {
  const endTime = new Date(poll.closesAt).toISOString();
  return {
    type: "Question",
    [poll.multiple ? "anyOf" : "oneOf"]: poll.options.map((o) => ({ type: "Note", name: o.title, replies: { type: "Collection", totalItems: o.votes } })),
    endTime,
    votersCount: poll.votersCount,
    ...(poll.closed ? { closed: endTime } : {}),
  };
}

export function noteOf(origin: string, post: FederatablePost<LocalPost>): Record<string, unknown> {
  const { to, cc } = addressing(post, followersUri(origin, post.authorHandle));
  return {
    id: post.uri,
    type: "Note",
    attributedTo: post.authorUri,
    content: post.html,
    ...(post.language ? { contentMap: { [post.language]: post.html } } : {}),
    summary: post.contentWarning || null,
    sensitive: post.contentWarning !== "",
    published: new Date(post.createdAt).toISOString(),
    ...(post.editedAt ? { updated: new Date(post.editedAt).toISOString() } : {}),
    url: post.uri,
    inReplyTo: post.inReplyTo?.uri ?? null,
    to,
    cc,
    tag: [
      ...post.mentions.map((m) => ({ type: "Mention", href: m.uri, name: m.name })),
      ...post.tags.map((t) => ({ type: "Hashtag", href: `${origin}/tags/${encodeURIComponent(t)}`, name: `#${t}` })),
    ],
    attachment: post.media.map((m) => ({
      type: "Document", mediaType: m.mime, url: m.url, name: m.alt || null,
      ...(m.width && m.height ? { width: m.width, height: m.height } : {}),
    })),
    ...(post.poll ? questionOf(post.poll) : {}),
  };
}
