/** A member's profile page with their posts, follow counts and the viewer's follow and filter buttons. */
import type { Context } from "hono";
import { mutesOn } from "../../domain/filters/mutes.ts";
import { followState } from "../../domain/follows/follow.ts";
import { followCounts } from "../../domain/follows/lists.ts";
import type { MemberSummary } from "../../domain/members/directory.ts";
import { viewerOf } from "../../domain/posts/visibility.ts";
import { profileStream } from "../../domain/timelines/streams.ts";
import { MemberProfilePage } from "../../../views/pages/profile.tsx";
import { StreamItems } from "../../../views/components/stream.tsx";
import type { WebEnv } from "../env.ts";
import { cursorOf, isHtmx } from "../htmx.ts";
import { pageContext, render } from "../render.tsx";
import { movedToOf } from "../../domain/moving/movedTo.ts";
import { movedToPlace } from "../../federation/urls.ts";

/** Renders the profile (or, for htmx's "Older posts", the next page of the member's posts). */
export async function memberProfile(c: Context<WebEnv>, member: MemberSummary, avatarUrl: string | null) {
  const db = c.var.deps.db;
  const me = c.var.viewer;
  const url = new URL(c.req.url);
  const page = await profileStream(db, viewerOf(me), member.id, cursorOf(c));
  const stream = { page, path: `/@${member.handle}`, here: url.pathname + url.search, empty: `${member.display_name} has not posted anything you can see yet.` };
  c.header("vary", "HX-Request");
  if (isHtmx(c) && cursorOf(c) !== null) return c.html(<StreamItems {...stream} csrf={c.var.csrfToken} signedIn={!!me} />);
  const mutes = me ? await mutesOn(db, me.id, member.id) : new Set<string>();
  const relation = {
    self: me?.id === member.id,
    follow: me ? await followState(db, me.id, member.id) : null,
    muted: mutes.has("mute"),
    boostsHidden: mutes.has("hide_boosts"),
  };
  return render(c, <MemberProfilePage page={await pageContext(c)} member={{ ...member, avatarUrl }} domain={c.var.deps.config.domain}
    relation={relation} counts={await followCounts(db, member.id)} stream={stream}
    moved={await movedToOf(db, movedToPlace(c.var.deps.config.origin, c.var.deps.config.domain), member.id)} />);
}
