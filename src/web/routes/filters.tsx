/** The member's filters page, muted words, and muting or hiding boosts of an account. */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { addMute, listMutes, removeMute } from "../../domain/filters/mutes.ts";
import { addMutedWord, listMutedWords, removeMutedWord } from "../../domain/filters/words.ts";
import { FiltersPage } from "../../../views/pages/filters.tsx";
import type { FormState } from "../../../views/pages/auth.tsx";
import type { WebEnv } from "../env.ts";
import { readForm } from "../forms.ts";
import { parseId } from "../htmx.ts";
import { pageContext, refusalState, render } from "../render.tsx";
import { requireMember } from "../session.ts";
import { accountAction } from "./follows.tsx";

const NOTICES: Record<string, string> = { word: "The word is muted.", unword: "The word is no longer muted." };

export function filterRoutes() {
  const app = new Hono<WebEnv>();

  const page = async (c: Context<WebEnv>, state: FormState, status: ContentfulStatusCode = 200) => {
    const db = c.var.deps.db;
    const me = c.var.viewer!.id;
    const filters = { words: await listMutedWords(db, me), mutes: await listMutes(db, me) };
    return render(c, <FiltersPage page={await pageContext(c)} filters={filters} state={state} notice={NOTICES[c.req.query("notice") ?? ""]} />, status);
  };

  app.get("/filters", requireMember, (c) => page(c, {}));

  app.post("/filters/words", requireMember, async (c) => {
    const form = await readForm(c);
    const values = { word: form.text("word"), action: form.text("action") };
    try {
      await addMutedWord(c.var.deps.db, c.var.viewer!.id, values);
      return c.redirect("/filters?notice=word", 303);
    } catch (error) {
      const { state, status } = refusalState(error, values);
      return page(c, state, status);
    }
  });

  app.post("/filters/words/:id/delete", requireMember, async (c) => {
    const id = parseId(c.req.param("id"));
    if (id !== null) await removeMutedWord(c.var.deps.db, c.var.viewer!.id, id);
    return c.redirect("/filters?notice=unword", 303);
  });

  app.post("/accounts/:id/mute", requireMember, accountAction("mute", (c, me, t) => addMute(c.var.deps.db, me, t, "mute")));
  app.post("/accounts/:id/unmute", requireMember, accountAction("unmute", (c, me, t) => removeMute(c.var.deps.db, me, t, "mute")));
  app.post("/accounts/:id/hide-boosts", requireMember, accountAction("hide boosts", (c, me, t) => addMute(c.var.deps.db, me, t, "hide_boosts")));
  app.post("/accounts/:id/show-boosts", requireMember, accountAction("show boosts", (c, me, t) => removeMute(c.var.deps.db, me, t, "hide_boosts")));
  return app;
}
