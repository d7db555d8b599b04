/**
 * Filters (v2) mapped onto Kith's muted words: each muted word is one filter with one keyword;
 * "collapse" is Mastodon's "warn" and "hide" is "hide". Muted and blocked people are GET /api/v1/mutes and /blocks.
 * Kith's words apply everywhere and never expire, so context and expiry are fixed. Older apps read
 * the same words as v1 filters (a "hide" word is an irreversible one there).
 */
import { Hono, type Context } from "hono";
import { listMutes } from "../../domain/filters/mutes.ts";
import { listBlocks } from "../../domain/remote/blocks.ts";
import { addMutedWord, listMutedWords, removeMutedWord } from "../../domain/filters/words.ts";
import { parseId } from "../htmx.ts";
import { memberOf, memberWith } from "./auth.ts";
import type { ApiEnv } from "./env.ts";
import { accountEntities } from "./entities/account.ts";
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

  app.get("/api/v1/filters", memberWith("read:filters"), async (c) => c.json((await words(c)).map((w) => ({
    id: String(w.id), phrase: w.word, context: CONTEXT, whole_word: false, expires_at: null, irreversible: w.action === "hide",
  }))));

  const accounts = async (c: Context<ApiEnv>, ids: number[]) => c.json(await accountEntities(c.var.deps.db, c.var.deps.config.origin, ids));
  app.get("/api/v1/mutes", memberWith("read:mutes"), async (c) =>
    accounts(c, (await listMutes(c.var.deps.db, memberOf(c))).filter((m) => m.kind === "mute").map((m) => m.id)));
  app.get("/api/v1/blocks", memberWith("read:blocks"), async (c) => accounts(c, await listBlocks(c.var.deps.db, memberOf(c))));

  return app;
}
