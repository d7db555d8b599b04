/**
 * Filters (v2) mapped onto Kith's muted words: each muted word is one filter with one keyword;
 * "collapse" is Mastodon's "warn" and "hide" is "hide". Muted people are GET /api/v1/mutes.
 * Kith's words apply everywhere and never expire, so context and expiry are fixed.
 */
import { Hono, type Context } from "hono";
import { accountCards } from "../../domain/accounts/cards.ts";
import { listMutes } from "../../domain/filters/mutes.ts";
import { addMutedWord, listMutedWords, removeMutedWord } from "../../domain/filters/words.ts";
import { parseId } from "../htmx.ts";
import { memberOf, memberWith } from "./auth.ts";
import type { ApiEnv } from "./env.ts";
import { accountEntity } from "./entities/account.ts";
import { apiError, NOT_FOUND, refusalAnswer } from "./errors.ts";
import { readParams } from "./params.ts";

const CONTEXT = ["home", "notifications", "public", "thread", "account"];

function filterEntity(word: { id: number; word: string; action: "hide" | "collapse" }) {
  return {
    id: String(word.id), title: word.word, context: CONTEXT, expires_at: null, filter_action: word.action === "hide" ? "hide" : "warn",
    keywords: [{ id: String(word.id), keyword: word.word, whole_word: false }], statuses: [],
  };
}

async function words(c: Context<ApiEnv>) {
  return listMutedWords(c.var.deps.db, memberOf(c));
}

export function filtersApi() {
  const app = new Hono<ApiEnv>();

  app.get("/api/v2/filters", memberWith("read:filters"), async (c) => c.json((await words(c)).map(filterEntity)));

  app.get("/api/v2/filters/:id{[0-9]+}", memberWith("read:filters"), async (c) => {
    const word = (await words(c)).find((w) => w.id === parseId(c.req.param("id")));
    return word ? c.json(filterEntity(word)) : apiError(c, 404, NOT_FOUND);
  });

  app.post("/api/v2/filters", memberWith("write:filters"), async (c) => {
    const params = await readParams(c);
    const keywords = params.listOf("keywords_attributes", "keyword");
    const word = keywords[0] ?? params.text("title") ?? "";
    if (keywords.length > 1) return apiError(c, 422, "Validation failed: each Kith muted word is one filter; send one keyword per filter");
    const action = params.text("filter_action") === "hide" ? "hide" : "collapse";
    try {
      await addMutedWord(c.var.deps.db, memberOf(c), { word, action });
    } catch (error) {
      return refusalAnswer(c, error);
    }
    const added = (await words(c)).find((w) => w.word.toLowerCase() === word.trim().toLowerCase());
    return c.json(filterEntity(added!));
  });

  app.delete("/api/v2/filters/:id{[0-9]+}", memberWith("write:filters"), async (c) => {
    const id = parseId(c.req.param("id"));
    if (id === null || !(await words(c)).some((w) => w.id === id)) return apiError(c, 404, NOT_FOUND);
    await removeMutedWord(c.var.deps.db, memberOf(c), id);
    return c.json({});
  });

  app.get("/api/v1/mutes", memberWith("read:mutes"), async (c) => {
    const ids = (await listMutes(c.var.deps.db, memberOf(c))).filter((m) => m.kind === "mute").map((m) => m.id);
    const cards = await accountCards(c.var.deps.db, ids);
    return c.json(ids.flatMap((id) => { const card = cards.get(id); return card ? [accountEntity(c.var.deps.config.origin, card)] : []; }));
  });

  return app;
}
