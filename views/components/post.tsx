/**
 * One post as shown in streams and threads: who, when, for whom, the text and images, and the actions.
 *
 * Built as joined strings rather than JSX or nested html templates: a card repeats for every post of
 * every stream page, and joining strings renders the same markup at a fraction of their cost (values
 * are escaped by the same escaper, see markupText.ts).
 *
 * Nothing of a card is cached across requests: the parts that are the same for every reader (the
 * author's link and picture, the text and images) were kept once, keyed by versions that triggers
 * bumped, and looking them up cost more than drawing them (BENCHMARKS.md, "Post cards").
 */
import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { AuthorView, PostView, StreamItem } from "../../src/domain/posts/present.ts";
import { defaultAvatar } from "./defaultAvatar.ts";
import { AudienceBadge } from "./audienceBadge.ts";
import { PostActions } from "./postActions.tsx";
import { TimeAgo, type TimeContext } from "./time.ts";
import { FeedOriginLine } from "./feedOrigin.tsx";
import { PollBox } from "./poll.tsx";
import { drawn, escapeHtml } from "./markupText.ts";

/** The author's name and handle, linking to their page. */
function authorLinkOf(a: AuthorView): string {
  return `<a class="author" href="${escapeHtml(a.profileUrl)}"${a.local ? "" : ' rel="nofollow noopener"'}><strong>${escapeHtml(a.displayName)}</strong> <span class="handle">@${escapeHtml(a.acct)}</span></a>`;
}

export function AuthorLink(props: { author: AuthorView }): HtmlEscapedString {
  return raw(authorLinkOf(props.author));
}

/** The author's picture, or their initials on their colour (the same as the Avatar component draws). */
function avatarOf(a: AuthorView): string {
  return a.avatarUrl ? `<img class="avatar" src="${escapeHtml(a.avatarUrl)}" alt="" width="40" height="40"/>` : drawn(defaultAvatar(a.displayName, a.acct, 40));
}

function attachments(post: PostView): string {
  if (post.attachments.length === 0) return "";
  const items = post.attachments.map((a) => { const url = escapeHtml(a.url); return `<li><a href="${url}"><img src="${url}" alt="${escapeHtml(a.alt)}" loading="lazy"/></a></li>`; });
  return `<ul class="attachments" aria-label="Images">${items.join("")}</ul>`;
}

/** The post's text and images, behind its content warning or a muted word when it has one. */
function body(p: PostView): string {
  let shown = `<div class="content">${p.html}</div>${attachments(p)}`;
  if (p.contentWarning) shown = `<details class="cw"><summary><span class="cw-label">Content warning:</span> ${escapeHtml(p.contentWarning)}</summary>${shown}</details>`;
  return p.collapsedBy ? `<details class="muted-word"><summary>Collapsed because it mentions “${escapeHtml(p.collapsedBy)}”, a word you muted</summary>${shown}</details>` : shown;
}

export interface PostCardProps {
  item: StreamItem;
  csrf: string;
  /** Logged-in members see the actions; visitors only read. */
  signedIn: boolean;
  /** Where plain (no-JavaScript) forms come back to. */
  returnTo: string;
  /** The reader's time zone and the moment of drawing; UTC and now when not given. */
  time?: TimeContext;
}

export function PostCard(props: PostCardProps): HtmlEscapedString {
  const { item } = props;
  const p = item.post;
  const labelId = `post-${item.key}-by`;
  const edited = p.editedAt ? ` · ${p.mine ? `<a href="/posts/${p.id}/history">edited</a>` : "edited"}` : "";
  const boostedBy = item.boostedBy ? `<p class="boosted-by">Boosted by ${authorLinkOf(item.boostedBy)}</p>` : "";
  const replyTo = p.inReplyTo ? `<p class="reply-to">Replying to <a href="/posts/${p.inReplyTo.id}">@${escapeHtml(p.inReplyTo.author.acct)}</a></p>` : "";
  const poll = p.poll ? drawn(<PollBox postId={p.id} poll={p.poll} csrf={props.csrf} signedIn={props.signedIn} returnTo={props.returnTo} />) : "";
  const origin = p.origin ? drawn(FeedOriginLine({ origin: p.origin })!) : "";
  const actions = props.signedIn ? drawn(PostActions({ post: p, csrf: props.csrf, returnTo: props.returnTo })) : "";
  return raw(`<article class="post" id="post-${item.key}" aria-labelledby="${labelId}">${boostedBy}<header>${avatarOf(p.author)}<span id="${labelId}">${authorLinkOf(p.author)}</span><span class="meta"><a href="/posts/${p.id}" class="permalink">${TimeAgo(p.createdAt, props.time ?? { zone: "UTC", now: Date.now() })}</a> · ${AudienceBadge(p.audience)}${edited}</span></header>${replyTo}${body(p)}${poll}${origin}${actions}</article>`);
}
