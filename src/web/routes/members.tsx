/** Member pages: the directory, profiles, the member's own settings, the about page and media files. */
import { Hono } from "hono";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { getCamp } from "../../domain/camp/settings.ts";
import { findMember, listActiveMembers } from "../../domain/members/directory.ts";
import { changePassword, updateProfile } from "../../domain/members/profile.ts";
import { setTimeZone } from "../../domain/members/timeZone.ts";
import { findStoredMedia, setAvatar } from "../../domain/media/store.ts";
import { renderMarkdown } from "../../domain/text/markdown.ts";
import { AboutPage, DirectoryPage, SettingsPage } from "../../../views/pages/members.tsx";
import { memberProfile } from "./profile.tsx";
import { findVisiblePost, viewerForAccount, viewerOf } from "../../domain/posts/visibility.ts";
import { signedMediaViewer } from "../../domain/media/appLinks.ts";
import type { FormState } from "../../../views/pages/auth.tsx";
import type { WebEnv } from "../env.ts";
import { readForm } from "../forms.ts";
import { pageContext, refusalState, render } from "../render.tsx";
import { logIn, requireMember } from "../session.ts";
import { cachedPage } from "../pageCache.ts";
import type { Db } from "../../db/open.ts";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

const NOTICES: Record<string, string> = {
  joined: "Welcome! Tell the camp a little about yourself.",
  profile: "Your profile is saved.",
  avatar: "Your avatar is updated.",
  password: "Your password is changed.",
  timeZone: "Your time zone is saved.",
};

export async function avatarUrlOf(db: Db, mediaId: number | null): Promise<string | null> {
  if (mediaId === null) return null;
  const media = await db.selectFrom("media").select("storage_key").where("id", "=", mediaId).executeTakeFirst();
  return media?.storage_key ? `/media/${media.storage_key}` : null;
}

export function memberRoutes() {
  const app = new Hono<WebEnv>();

  app.get("/about", async (c) => {
    const camp = await getCamp(c.var.deps.db);
    return render(c, <AboutPage page={await pageContext(c)} camp={{
      name: camp.name, description: camp.description, supportUrl: camp.support_url,
      rulesHtml: renderMarkdown(camp.rules), aboutHtml: renderMarkdown(camp.about),
    }} />);
  });

  app.get("/members", requireMember, async (c) => {
    const db = c.var.deps.db;
    const members = await Promise.all((await listActiveMembers(db)).map(async (m) => ({ ...m, avatarUrl: await avatarUrlOf(db, m.avatar_media_id) })));
    return render(c, <DirectoryPage page={await pageContext(c)} members={members} />);
  });

  // Hono matches parameters by whole path segment, so the "@" is part of the pattern, not a prefix.
  app.get("/:at{@[A-Za-z0-9_]+}", requireMember, cachedPage, async (c) => {
    const db = c.var.deps.db;
    const member = await findMember(db, c.req.param("at").slice(1));
    if (!member || member.suspended_at !== null) return c.notFound();
    return memberProfile(c, member, await avatarUrlOf(db, member.avatar_media_id));
  });

  const settingsPage = async (c: Context<WebEnv>, state: FormState, status: ContentfulStatusCode = 200) => {
    const db = c.var.deps.db;
    const me = await db.selectFrom("accounts").select(["display_name", "bio_source", "avatar_media_id"]).where("id", "=", c.var.viewer!.id).executeTakeFirstOrThrow();
    const profile = { displayName: me.display_name, bio: me.bio_source, avatarUrl: await avatarUrlOf(db, me.avatar_media_id), timeZone: c.var.viewer!.time_zone };
    return render(c, <SettingsPage page={await pageContext(c)} profile={profile} state={state} notice={NOTICES[c.req.query("notice") ?? ""]} />, status);
  };

  app.get("/settings", requireMember, (c) => settingsPage(c, {}));

  app.post("/settings/profile", requireMember, async (c) => {
    const form = await readForm(c);
    const values = { displayName: form.text("displayName"), bio: form.text("bio") };
    try {
      await updateProfile(c.var.deps.db, c.var.viewer!.id, values);
      return c.redirect("/settings?notice=profile", 303);
    } catch (error) {
      const { state, status } = refusalState(error, values);
      return settingsPage(c, state, status);
    }
  });

  app.post("/settings/avatar", requireMember, async (c) => {
    const form = await readForm(c);
    try {
      const bytes = await form.file("avatar");
      if (!bytes) return settingsPage(c, { error: "Choose an image file to upload.", field: "avatar" }, 422);
      await setAvatar(c.var.deps.db, c.var.deps.config.mediaDir, c.var.viewer!.id, bytes);
      return c.redirect("/settings?notice=avatar", 303);
    } catch (error) {
      const { state, status } = refusalState(error);
      c.var.deps.log.info("avatar: refused", { requestId: c.var.requestId, reason: state.error });
      return settingsPage(c, state, status);
    }
  });

  // The form in Settings, and the browser's own guess sent once by static/kith.js (which never
  // overwrites a zone the member chose: `guess` only fills an empty one).
  app.post("/settings/time-zone", requireMember, async (c) => {
    const form = await readForm(c);
    const guess = form.text("guess") === "1";
    try {
      await setTimeZone(c.var.deps.db, c.var.viewer!.id, form.text("timeZone"), { onlyIfUnset: guess });
      return guess ? c.body(null, 204) : c.redirect("/settings?notice=timeZone", 303);
    } catch (error) {
      const { state, status } = refusalState(error);
      c.var.deps.log.info("time zone: refused", { requestId: c.var.requestId, reason: state.error });
      return guess ? c.text(state.error ?? "", status) : settingsPage(c, state, status);
    }
  });

  app.post("/settings/password", requireMember, async (c) => {
    const form = await readForm(c);
    try {
      await changePassword(c.var.deps.db, c.var.viewer!.id, form.text("current"), form.text("password"));
      await logIn(c, c.var.viewer!.id);
      return c.redirect("/settings?notice=password", 303);
    } catch (error) {
      const { state, status } = refusalState(error);
      return settingsPage(c, state, status);
    }
  });

  // A post's images are served only to those the audience gate lets see the post; avatars to anyone.
  // The random file names cannot be guessed either.
  app.get("/media/:key{[0-9a-f]{32}\\.[a-z]+}", async (c) => {
    const media = await findStoredMedia(c.var.deps.db, c.req.param("key"));
    if (!media?.storage_key) return c.notFound();
    // An app's link is signed for its member (see appLinks.ts); the gate is asked as that member.
    const appViewer = await signedMediaViewer(c.var.deps.db, c.req.path, c.req.query());
    const viewer = appViewer === null ? viewerOf(c.var.viewer) : await viewerForAccount(c.var.deps.db, appViewer);
    if (media.post_id !== null && !(await findVisiblePost(c.var.deps.db, viewer, media.post_id))) return c.notFound();
    const bytes = await readFile(join(c.var.deps.config.mediaDir, media.storage_key)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") throw error;
      c.var.deps.log.warn("media: file missing from the media folder", { requestId: c.var.requestId, key: media.storage_key });
      return null;
    });
    if (!bytes) return c.notFound();
    return c.body(bytes, 200, {
      "content-type": media.mime,
      "cache-control": media.post_id === null ? "public, max-age=31536000, immutable" : "private, max-age=3600",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'",
    });
  });

  return app;
}
