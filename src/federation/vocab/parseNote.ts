/**
 * A remote post object turned into what we store. Notes keep their HTML (sanitized when
 * stored), and so do Questions, with their poll; other object types (Article, Page, Video...) are shown
 * as a link to the original.
 */
import type { Db } from "../../db/open.ts";
import type { RemoteAttachment, RemotePost } from "../../domain/remote/posts.ts";
import { mayLeaveServer } from "../../domain/audience.ts";
import { postById } from "../inbox/local.ts";
import { localActorHandle } from "../urls.ts";
import { PUBLIC } from "./context.ts";
import { asList, firstUrl, idOf, idsOf, isObject, type Json, plain, text, typeOf } from "./read.ts";
import { isHttpUrl } from "../../domain/text/urls.ts";
import { pollOf } from "./parseQuestion.ts";

export const POST_TYPES = ["Note", "Article", "Page", "Question", "Video", "Image", "Audio", "Event"];

const PUBLIC_IDS = new Set([PUBLIC, "as:Public", "Public"]);

/** Who the post is for, from its addressing; anything unclear is the narrowest reading. */
export function audienceOf(object: Json, followersUri: string | null): RemotePost["audience"] {
  const to = idsOf(object.to);
  const cc = idsOf(object.cc);
  if (to.some((id) => PUBLIC_IDS.has(id))) return "public";
  if (cc.some((id) => PUBLIC_IDS.has(id))) return "unlisted";
  if (followersUri && [...to, ...cc].includes(followersUri)) return "followers";
  return "direct";
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Reads a post object by an author we already stored; mentions resolve only to accounts we know. */
export async function parsePost(db: Db, origin: string, object: Json, author: { id: number; followers_uri: string | null }): Promise<RemotePost | null> {
  const uri = text(object.id);
  if (!uri || !isHttpUrl(uri) || !POST_TYPES.includes(typeOf(object))) return null;
  const url = firstUrl(object.url);
  // A Question (a poll) shows its text like a Note; its options are read below.
  const note = typeOf(object) === "Note" || typeOf(object) === "Question";
  const content = plain(object.content, object.contentMap) ?? "";
  const name = plain(object.name, object.nameMap);
  const link = url ?? uri;
  const html = note ? content : `<p>${escapeHtml(name ?? typeOf(object))}: <a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`;
  const published = Date.parse(text(object.published) ?? "");
  const createdAt = Number.isNaN(published) ? Date.now() : Math.min(published, Date.now());
  const tags = asList(object.tag).filter(isObject);
  const mentionUris = tags.filter((t) => typeOf(t) === "Mention").map((t) => idOf(t.href)).filter((h): h is string => h !== null);
  return {
    uri,
    url: url && isHttpUrl(url) ? url : null,
    authorId: author.id,
    audience: audienceOf(object, author.followers_uri),
    html,
    contentWarning: plain(object.summary, object.summaryMap) ?? "",
    inReplyToUri: idOf(object.inReplyTo),
    inReplyToId: await replyTarget(db, origin, idOf(object.inReplyTo)),
    language: isObject(object.contentMap) ? Object.keys(object.contentMap)[0] ?? null : null,
    createdAt,
    mentionIds: await accountIdsOf(db, origin, mentionUris),
    tags: tags.filter((t) => typeOf(t) === "Hashtag").map((t) => text(t.name) ?? "").filter(Boolean),
    attachments: attachmentsOf(object),
    poll: pollOf(object, createdAt),
  };
}

/**
 * The post replied to, if it is one the outside may act on: a reply "to" a camp-only post (whose
 * address someone guessed) does not join that conversation.
 */
async function replyTarget(db: Db, origin: string, uri: string | null): Promise<number | null> {
  const parent = await postById(db, origin, uri);
  return parent && mayLeaveServer(parent, parent) ? parent.id : null;
}

function attachmentsOf(object: Json): RemoteAttachment[] {
  return asList(object.attachment).filter(isObject).flatMap((a) => {
    const url = firstUrl(a.url);
    if (!url || !isHttpUrl(url)) return [];
    const mime = text(a.mediaType) ?? (typeOf(a) === "Image" ? "image/*" : "application/octet-stream");
    const size = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? Math.round(v) : null);
    return [{ url, mime, alt: text(a.name) ?? "", width: size(a.width), height: size(a.height) }];
  });
}

/** Local members named by actor id, and remote accounts we already know. */
async function accountIdsOf(db: Db, origin: string, uris: string[]): Promise<number[]> {
  if (!uris.length) return [];
  const handles = uris.map((u) => localActorHandle(origin, u)).filter((h): h is string => h !== null);
  const ids: number[] = [];
  if (handles.length) {
    const local = await db.selectFrom("accounts").innerJoin("members", "members.account_id", "accounts.id").select("accounts.id")
      .where("accounts.domain", "is", null).where((eb) => eb(eb.fn("lower", ["accounts.handle"]), "in", handles.map((h) => h.toLowerCase()))).execute();
    ids.push(...local.map((r) => r.id));
  }
  const remote = await db.selectFrom("accounts").select("id").where("uri", "in", uris).where("domain", "is not", null).execute();
  ids.push(...remote.map((r) => r.id));
  return ids;
}
