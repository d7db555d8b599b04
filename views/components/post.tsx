/**
 * One post as shown in streams and threads: who, when, for whom, the text and images, and the actions.
 *
 * Written as html templates rather than JSX: a card repeats for every post of every stream page, and
 * the template renders the same markup at a fraction of the JSX renderer's cost (values are escaped
 * the same way). The parts that are the same for every reader (the author's link and picture, the
 * text and images) are drawn once per version and kept (cardCache.ts); the rest is the reader's and
 * is drawn on every request: the time, the reply line (only when the reader may see the parent),
 * the muted-word fold, the poll, and the actions.
 */
import { html, raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { AuthorView, PostView, StreamItem } from "../../src/domain/posts/present.ts";
import { defaultAvatar } from "./defaultAvatar.ts";
import { AudienceBadge } from "./audienceBadge.ts";
import { PostActions } from "./postActions.tsx";
import { TimeAgo, type TimeContext } from "./time.ts";
import { FeedOriginLine } from "./feedOrigin.tsx";
import { PollBox } from "./poll.tsx";
import { cachedMarkup } from "./cardCache.ts";

type Markup = HtmlEscapedString | Promise<HtmlEscapedString>;

/** The markup of a template whose parts are all drawn already (no promise inside), as a string to keep. */
function drawn(markup: Markup): string {
  if (markup instanceof Promise) throw new Error("a cached card part must not wait for anything");
  return markup.toString();
}

export function AuthorLink(props: { author: AuthorView }): Markup {
  const a = props.author;
  return raw(cachedMarkup(`link ${a.id} ${a.version}`, () =>
    drawn(html`<a class="author" href="${a.profileUrl}"${a.local ? null : raw(' rel="nofollow noopener"')}><strong>${a.displayName}</strong> <span class="handle">@${a.acct}</span></a>`)));
}

/** The author's picture, or their initials on their colour (the same as the Avatar component draws). */
function avatarOf(a: AuthorView): Markup {
  return raw(cachedMarkup(`avatar ${a.id} ${a.version}`, () =>
    drawn(a.avatarUrl ? html`<img class="avatar" src="${a.avatarUrl}" alt="" width="40" height="40"/>` : defaultAvatar(a.displayName, a.acct, 40))));
}

function attachments(post: PostView): Markup | null {
  if (post.attachments.length === 0) return null;
  return html`<ul class="attachments" aria-label="Images">${post.attachments.map((a) => html`<li><a href="${a.url}"><img src="${a.url}" alt="${a.alt}" loading="lazy"/></a></li>`)}</ul>`;
}

/** The post's text and images, behind its content warning when it has one: the same for every reader. */
function content(p: PostView): string {
  return cachedMarkup(`content ${p.id} ${p.version}`, () => {
    const shown = html`<div class="content">${raw(p.html)}</div>${attachments(p)}`;
    return drawn(p.contentWarning ? html`<details class="cw"><summary><span class="cw-label">Content warning:</span> ${p.contentWarning}</summary>${shown}</details>` : shown);
  });
}

/** The post's text and images, folded away when it mentions a word this reader muted. */
function body(p: PostView): Markup {
  let shown: Markup = raw(content(p));
  if (p.collapsedBy) {
    shown = html`<details class="muted-word"><summary>Collapsed because it mentions “${p.collapsedBy}”, a word you muted</summary>${shown}</details>`;
  }
  return shown;
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

export function PostCard(props: PostCardProps): Markup {
  const { item } = props;
  const p = item.post;
  const labelId = `post-${item.key}-by`;
  const edited = p.editedAt ? html` · ${p.mine ? html`<a href="/posts/${p.id}/history">edited</a>` : "edited"}` : null;
  return html`<article class="post" id="post-${item.key}" aria-labelledby="${labelId}">${
    item.boostedBy && html`<p class="boosted-by">Boosted by ${AuthorLink({ author: item.boostedBy })}</p>`
  }<header>${avatarOf(p.author)}<span id="${labelId}">${AuthorLink({ author: p.author })}</span><span class="meta"><a href="/posts/${p.id}" class="permalink">${TimeAgo(p.createdAt, props.time ?? { zone: "UTC", now: Date.now() })}</a> · ${AudienceBadge(p.audience)}${edited}</span></header>${
    p.inReplyTo && html`<p class="reply-to">Replying to <a href="/posts/${p.inReplyTo.id}">@${p.inReplyTo.author.acct}</a></p>`
  }${body(p)}${p.poll && <PollBox postId={p.id} poll={p.poll} csrf={props.csrf} signedIn={props.signedIn} returnTo={props.returnTo} />}${FeedOriginLine({ origin: p.origin })}${props.signedIn ? PostActions({ post: p, csrf: props.csrf, returnTo: props.returnTo }) : null}</article>`;
}
