/**
 * The stream pages: Home (the member's front page), Camp, and tag pages. With htmx, "Older posts"
 * asks the same address and gets only the next page of posts to append.
 */
import { Hono, type Context } from "hono";
import type { Child } from "hono/jsx";
import type { StreamPage as Page } from "../../domain/timelines/streams.ts";
import { campStream, homeStream, tagStream } from "../../domain/timelines/streams.ts";
import { normalizeTag, MAX_TAG_LENGTH } from "../../domain/text/references.ts";
import { viewerOf } from "../../domain/posts/visibility.ts";
import { StreamItems, type StreamProps } from "../../../views/components/stream.tsx";
import { HomeWelcome } from "../../../views/components/homeWelcome.tsx";
import { StreamPage } from "../../../views/pages/streams.tsx";
import { TagFollowButton } from "../../../views/components/tagFollow.tsx";
import { followsTag } from "../../domain/tags/follow.ts";
import type { ComposeProps } from "../../../views/components/compose.tsx";
import type { WebEnv } from "../env.ts";
import { cursorOf, isHtmx } from "../htmx.ts";
import { pageContext, render, timeOf } from "../render.tsx";
import { requireMember } from "../session.ts";
import { cachedPage } from "../pageCache.ts";

interface StreamSpec {
  title: string;
  path: string;
  empty: StreamProps["empty"];
  compose?: boolean;
  /** The live stream this page follows ("home", "camp"), if any. */
  live?: "home" | "camp";
  intro?: Child;
}

/** Renders a stream as a full page, or as the next page's fragment for htmx's "Older posts". */
export async function renderStream(c: Context<WebEnv>, spec: StreamSpec, page: Page) {
  const url = new URL(c.req.url);
  const stream = { page, path: spec.path, here: url.pathname + url.search, empty: spec.empty };
  c.header("vary", "HX-Request");
  if (isHtmx(c) && cursorOf(c) !== null) {
    return c.html(<StreamItems {...stream} csrf={c.var.csrfToken} signedIn={!!c.var.viewer} time={timeOf(c)} />);
  }
  const compose: ComposeProps | null = spec.compose && cursorOf(c) === null
    ? { csrf: c.var.csrfToken, state: {}, next: spec.path, replyTo: null, htmxTarget: "this" }
    : null;
  // Only the newest page is followed live: "3 new posts" belongs above the newest posts.
  const live = spec.live && cursorOf(c) === null ? { stream: spec.live, afterPostId: page.items[0]?.key ?? 0 } : undefined;
  return render(c, <StreamPage page={{ ...(await pageContext(c)), live }} title={spec.title} stream={stream} compose={compose} intro={spec.intro} />);
}

/** Home for a logged-in member; the front page route calls this. */
export async function homePage(c: Context<WebEnv>) {
  const page = await homeStream(c.var.deps.db, c.var.viewer!.id, cursorOf(c));
  return renderStream(c, {
    title: "Home", path: "/", compose: true, live: "home",
    empty: <HomeWelcome operator={c.var.viewer!.role === "operator"} />,
  }, page);
}

export function streamRoutes() {
  const app = new Hono<WebEnv>();

  app.get("/camp", requireMember, cachedPage, async (c) => {
    const page = await campStream(c.var.deps.db, viewerOf(c.var.viewer), cursorOf(c));
    return renderStream(c, { title: "Camp", path: "/camp", live: "camp", empty: <p class="empty">Nobody in the camp has posted yet. Be the first, <a href="/#compose-source">from Home</a>.</p> }, page);
  });

  app.get("/tags/:tag", requireMember, cachedPage, async (c) => {
    const tag = normalizeTag(c.req.param("tag"));
    if (!tag || tag.length > MAX_TAG_LENGTH) return c.notFound();
    const page = await tagStream(c.var.deps.db, viewerOf(c.var.viewer), tag, cursorOf(c));
    const intro = <TagFollowButton tag={tag} following={await followsTag(c.var.deps.db, c.var.viewer!.id, tag)} csrf={c.var.csrfToken} />;
    return renderStream(c, { title: `#${tag}`, path: `/tags/${encodeURIComponent(tag)}`, empty: `No posts you can see are tagged #${tag} yet.`, intro }, page);
  });

  return app;
}
