/**
 * What a webhook receives: a JSON object naming the event and the post (or member) it is about.
 * The schema is documented in the README ("Tie in your other sites"); change both together.
 */
import type { Db } from "../../db/open.ts";
import type { Post } from "../../db/schema.ts";
import type { WebhookEvent } from "./hooks.ts";

export interface PersonPayload {
  /** `handle` for members, `handle@domain` for people elsewhere. */
  handle: string;
  name: string;
  url: string;
}

export interface WebhookPayload {
  event: WebhookEvent | "test";
  /** When the event happened, ISO 8601. */
  created_at: string;
  /** The camp's own address. */
  camp: string;
  post: {
    id: number;
    /** The post's page on this camp. */
    url: string;
    /** Where the post lives, for posts from other servers; else null. */
    original_url: string | null;
    audience: Post["audience"];
    content_warning: string;
    /** The text as written (markdown) for members' posts, as plain text for others'. */
    text: string;
    /** Sanitized HTML, as the camp shows it. */
    html: string;
    in_reply_to: string | null;
    author: PersonPayload;
    created_at: string;
  } | null;
  member: PersonPayload | null;
}

const plainText = (html: string) => html.replace(/<br\s*\/?>|<\/p>/gi, "\n").replace(/<[^>]*>/g, "")
  .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&").trim();

/** A person as the payload names them. */
export async function personPayload(db: Db, origin: string, accountId: number): Promise<PersonPayload> {
  const a = await db.selectFrom("accounts").select(["handle", "domain", "display_name", "url", "uri"]).where("id", "=", accountId).executeTakeFirstOrThrow();
  return a.domain === null
    ? { handle: a.handle, name: a.display_name || a.handle, url: `${origin}/@${a.handle}` }
    : { handle: `${a.handle}@${a.domain}`, name: a.display_name || a.handle, url: a.url ?? a.uri ?? "" };
}

/** The payload for an event about a post (which the caller has checked the owner may see). */
export async function postPayload(db: Db, origin: string, event: WebhookEvent, post: Post, at: number): Promise<WebhookPayload> {
  const author = await personPayload(db, origin, post.author_id);
  const local = !author.handle.includes("@");
  return {
    event, created_at: new Date(at).toISOString(), camp: origin, member: null,
    post: {
      id: post.id, url: `${origin}/posts/${post.id}`, original_url: local ? null : (post.url ?? post.uri),
      audience: post.audience, content_warning: post.content_warning, text: local ? post.source : plainText(post.html), html: post.html,
      in_reply_to: post.in_reply_to_id === null ? post.in_reply_to_uri : `${origin}/posts/${post.in_reply_to_id}`,
      author, created_at: new Date(post.created_at).toISOString(),
    },
  };
}

/** The payload for a new member (camp-wide webhooks only). */
export async function memberPayload(db: Db, origin: string, accountId: number, at: number): Promise<WebhookPayload> {
  return { event: "member.joined", created_at: new Date(at).toISOString(), camp: origin, post: null, member: await personPayload(db, origin, accountId) };
}
