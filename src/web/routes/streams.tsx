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
import { StreamItems } from "../../../views/components/stream.tsx";
import { StreamPage } from "../../../views/pages/streams.tsx";
import { TagFollowButton } from "../../../views/components/tagFollow.tsx";
import { followsTag } from "../../domain/tags/follow.ts";
import type { ComposeProps } from "../../../views/components/compose.tsx";
import type { WebEnv } from "../env.ts";
import { cursorOf, isHtmx } from "../htmx.ts";
import { pageContext, render } from "../render.tsx";
import { requireMember } from "../session.ts";

interface StreamSpec {
  title: string;
  path: string;
  empty: string;
  compose?: boolean;
  intro?: Child;
}

/** Renders a stream as a full page, or as the next page's fragment for htmx's "Older posts". */
export async function renderStream(c: Context<WebEnv>, spec: StreamSpec, page: Page) {
  const url = new URL(c.req.url);
  const stream = { page, path: spec.path, here: url.pathname + url.search, empty: spec.empty };
  c.header("vary", "HX-Request");
  if (isHtmx(c) && cursorOf(c) !== null) {
    return c.html(<StreamItems {...stream} csrf={c.var.csrfToken} signedIn={!!c.var.viewer} />);
  }
  const compose: ComposeProps | null = spec.compose && cursorOf(c) === null
    ? { csrf: c.var.csrfToken, state: {}, next: spec.path, replyTo: null, htmxTarget: "this" }
    : null;
  return render(c, <StreamPage page={await pageContext(c)} title={spec.title} stream={stream} compose={compose} intro={spec.intro} />);
}

/** Home for a logged-in member; the front page route calls this. */
export async function homePage(c: Context<WebEnv>) {
  const page = await homeStream(c.var.deps.db, c.var.viewer!.id, cursorOf(c));
  return renderStream(c, {
    title: "Home", path: "/", compose: true,
    empty: "Your Home shows your posts and those of people you follow. Follow people from the Members page, or look at the Camp stream.",
  }, page);
}

export function streamRoutes() {
  const app = new Hono<WebEnv>();

  app.get("/camp", requireMember, async (c) => {
    const page = await campStream(c.var.deps.db, viewerOf(c.var.viewer), cursorOf(c));
    return renderStream(c, { title: "Camp", path: "/camp", empty: "Nobody in the camp has posted yet. Be the first, from Home." }, page);
  });

  app.get("/tags/:tag", requireMember, async (c) => {
    const tag = normalizeTag(c.req.param("tag"));
    if (!tag || tag.length > MAX_TAG_LENGTH) return c.notFound();
    const page = await tagStream(c.var.deps.db, viewerOf(c.var.viewer), tag, cursorOf(c));
    const intro = <TagFollowButton tag={tag} following={await followsTag(c.var.deps.db, c.var.viewer!.id, tag)} csrf={c.var.csrfToken} />;
    return renderStream(c, { title: `#${tag}`, path: `/tags/${encodeURIComponent(tag)}`, empty: `No posts you can see are tagged #${tag} yet.`, intro }, page);
  });

  return app;
}
