/**
 * The archive's own serializer: a member's posts as the ActivityStreams JSON of Mastodon's
 * archive (outbox.json), for the member to keep or take elsewhere. It is deliberately not the
 * federation vocabulary: it takes every post, camp-only ones included, marks each with its Kith
 * audience (a term defined inline in @context), and nothing it builds is ever sent or served to
 * another server. Federation's builders accept only FederatablePost; this one never meets them.
 */
import type { Audience } from "../../db/schema.ts";
import { archivedAddressingOf } from "../audience.ts";

/** Where ids point: the camp's own URLs, given by the caller so the domain need not know them. */
export interface ArchiveLinks {
  postUri(postId: number): string;
  actorUri(handle: string): string;
  followersUri(handle: string): string;
  /** The member's actor document as other servers see it (with its public key). */
  actorDocument(accountId: number): Promise<Record<string, unknown>>;
}

const PUBLIC = "https://www.w3.org/ns/activitystreams#Public";

/** ActivityStreams plus Kith's one term: `kithAudience`, the audience the author chose. */
export function archiveContext(origin: string) {
  return ["https://www.w3.org/ns/activitystreams", { kith: `${origin}/ns#`, kithAudience: "kith:audience", sensitive: "as:sensitive", Hashtag: "as:Hashtag" }];
}

/** A member's post as the archive needs it. */
export interface ArchivePost {
  id: number;
  audience: Audience;
  html: string;
  contentWarning: string;
  language: string | null;
  createdAt: number;
  editedAt: number | null;
  inReplyToUri: string | null;
  boostOfUri: string | null;
  mentions: { uri: string; name: string }[];
  tags: string[];
  media: { path: string; mime: string; alt: string; width: number | null; height: number | null }[];
}

/** Who a post was addressed to, as the audience gate records it for archives. */
function addressed(post: ArchivePost, followers: string) {
  const where = archivedAddressingOf(post.audience);
  const out: { to: string[]; cc: string[] } = { to: [], cc: [] };
  if (where.public) out[where.public].push(PUBLIC);
  if (where.followers) out[where.followers].push(followers);
  out[where.mentioned].push(...post.mentions.map((m) => m.uri));
  return out;
}

/** One outbox.json item: a Create of the post's Note, or an Announce for a boost. */
export function archiveActivityOf(links: ArchiveLinks, handle: string, post: ArchivePost): Record<string, unknown> {
  const uri = links.postUri(post.id);
  const actor = links.actorUri(handle);
  const { to, cc } = addressed(post, links.followersUri(handle));
  const published = new Date(post.createdAt).toISOString();
  if (post.boostOfUri !== null) {
    return { id: `${uri}/activity`, type: "Announce", actor, published, to, cc, object: post.boostOfUri, kithAudience: post.audience };
  }
  const note = {
    id: uri,
    type: "Note",
    attributedTo: actor,
    url: uri,
    published,
    ...(post.editedAt ? { updated: new Date(post.editedAt).toISOString() } : {}),
    to,
    cc,
    inReplyTo: post.inReplyToUri,
    summary: post.contentWarning || null,
    sensitive: post.contentWarning !== "",
    content: post.html,
    ...(post.language ? { contentMap: { [post.language]: post.html } } : {}),
    attachment: post.media.map((m) => ({ type: "Document", mediaType: m.mime, url: m.path, name: m.alt || null, width: m.width, height: m.height })),
    tag: [
      ...post.mentions.map((m) => ({ type: "Mention", href: m.uri, name: m.name })),
      ...post.tags.map((t) => ({ type: "Hashtag", name: `#${t}` })),
    ],
    kithAudience: post.audience,
  };
  return { id: `${uri}/activity`, type: "Create", actor, published, to, cc, object: note, kithAudience: post.audience };
}
