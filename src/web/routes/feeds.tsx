/** The member's feed sources at /settings/feeds: add (by URL or OPML), switch on and off, import held entries, remove. */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { FEED_SOURCE_AUDIENCES } from "../../domain/audience.ts";
import { NEW_POSTS_PER_CHECK } from "../../domain/feeds/importEntries.ts";
import { importOpml, MAX_OPML_BYTES } from "../../domain/feeds/opml.ts";
import { feedEnabled, setFeedEnabled } from "../../domain/feeds/publish.ts";
import { addSource, importHeldEntries, listSources, removeSource, setSourceEnabled, updateSource } from "../../domain/feeds/sources.ts";
import { guardedFetcher } from "../../federation/guardedFetcher.ts";
import { FeedsPage } from "../../../views/pages/feeds.tsx";
import type { FormState } from "../../../views/pages/auth.tsx";
import type { WebEnv } from "../env.ts";
import { readForm } from "../forms.ts";
import { parseId } from "../htmx.ts";
import { RateLimiter } from "../rateLimit.ts";
import { pageContext, refusalState, render } from "../render.tsx";
import { requireMember } from "../session.ts";

const NOTICES: Record<string, string> = {
  added: "The feed is added; its first check runs now. Reload this page in a moment to see what it brought in.",
  on: "The feed is on and is checked now.",
  off: "The feed is off: it is not checked until you switch it on.",
  held: "The older entries are being imported now.",
  removed: "The feed is removed. The posts it brought in stay.",
  saved: "The feed is saved; posts it brings in from now on get the new audience.",
  published: "Your public posts are offered as a feed.",
  unpublished: "Your feed is off.",
};

export function feedRoutes() {
  const app = new Hono<WebEnv>();
  // Adding a feed fetches another site on the member's behalf: cheap to abuse, so counted.
  const addsPerMember = new RateLimiter("feed-sources-per-member", 30, 60 * 60 * 1000);

  const page = async (c: Context<WebEnv>, state: FormState, status: ContentfulStatusCode = 200, notice?: string) => {
    const sources = await listSources(c.var.deps.db, c.var.viewer!.id);
    const published = await feedEnabled(c.var.deps.db, c.var.viewer!.id);
    return render(c, <FeedsPage page={await pageContext(c)} sources={sources} audiences={FEED_SOURCE_AUDIENCES} perCheck={NEW_POSTS_PER_CHECK} feedEnabled={published}
      state={state} notice={notice ?? NOTICES[c.req.query("notice") ?? ""]} />, status);
  };

  app.get("/settings/feeds", requireMember, (c) => page(c, {}));

  app.post("/settings/feeds", requireMember, async (c) => {
    const form = await readForm(c);
    const values = { url: form.text("url"), label: form.text("label"), audience: form.text("audience") || "camp" };
    if (!(await addsPerMember.hit(c.var.deps.db, String(c.var.viewer!.id)))) return page(c, { error: "You added many feeds in the last hour; try again later.", values }, 429);
    try {
      await addSource(c.var.deps.db, guardedFetcher(c.var.deps.config), c.var.viewer!.id, values);
      return c.redirect("/settings/feeds?notice=added", 303);
    } catch (error) {
      const { state, status } = refusalState(error, values);
      c.var.deps.log.info("feeds: source refused", { requestId: c.var.requestId, reason: state.error });
      return page(c, state, status);
    }
  });

  app.post("/settings/feeds/opml", requireMember, async (c) => {
    const form = await readForm(c);
    const file = await form.file("opml");
    if (!file) return page(c, { error: "Choose an OPML file to import.", field: "opml" }, 422);
    if (file.length > MAX_OPML_BYTES) return page(c, { error: `An OPML file can be at most ${MAX_OPML_BYTES / 1024} KB.`, field: "opml" }, 413);
    try {
      const result = await importOpml(c.var.deps.db, c.var.viewer!.id, new TextDecoder().decode(file), form.text("audience") || "camp");
      const skipped = result.skipped.map((s) => `${s.url} (${s.reason})`).join("; ");
      return page(c, {}, 200, `Added ${result.added} feeds; each is checked now.${skipped ? ` Skipped: ${skipped}` : ""}`);
    } catch (error) {
      const { state, status } = refusalState(error);
      return page(c, state, status);
    }
  });

  app.post("/settings/feeds/publish", requireMember, async (c) => {
    const on = (await readForm(c)).text("enabled") === "1";
    await setFeedEnabled(c.var.deps.db, c.var.viewer!.id, on);
    return c.redirect(`/settings/feeds?notice=${on ? "published" : "unpublished"}`, 303);
  });

  const sourceAction = (name: string, act: (c: Context<WebEnv>, me: number, id: number) => Promise<void>) => async (c: Context<WebEnv>) => {
    const id = parseId(c.req.param("id") ?? "");
    if (id === null) return page(c, { error: "That feed does not exist." }, 404);
    try {
      await act(c, c.var.viewer!.id, id);
      return c.redirect(`/settings/feeds?notice=${name}`, 303);
    } catch (error) {
      const { state, status } = refusalState(error);
      return page(c, state, status);
    }
  };
  app.post("/settings/feeds/:id{[0-9]+}", requireMember, sourceAction("saved", async (c, me, id) => {
    const form = await readForm(c);
    await updateSource(c.var.deps.db, me, id, { label: form.text("label"), audience: form.text("audience") });
  }));
  app.post("/settings/feeds/:id/on", requireMember, sourceAction("on", (c, me, id) => setSourceEnabled(c.var.deps.db, me, id, true)));
  app.post("/settings/feeds/:id/off", requireMember, sourceAction("off", (c, me, id) => setSourceEnabled(c.var.deps.db, me, id, false)));
  app.post("/settings/feeds/:id/import-held", requireMember, sourceAction("held", (c, me, id) => importHeldEntries(c.var.deps.db, me, id)));
  app.post("/settings/feeds/:id/delete", requireMember, sourceAction("removed", (c, me, id) => removeSource(c.var.deps.db, me, id)));
  return app;
}
