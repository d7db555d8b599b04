/**
 * Lists on issue 10's lists: the member's lists (with Hometown's `exclusive`), their people, and a
 * list's timeline, each the function the lists page calls; someone else's list is 404.
 */
import { Hono, type Context } from "hono";
import { addToList, createList, deleteList, listMembers, listsOf, ownList, removeFromList, updateList } from "../../domain/lists/lists.ts";
import { listStream } from "../../domain/lists/listStream.ts";
import { parseId } from "../htmx.ts";
import { memberOf, memberWith } from "./auth.ts";
import type { ApiEnv } from "./env.ts";
import { accountEntities } from "./entities/account.ts";
import { apiError, NOT_FOUND, refusalAnswer } from "./errors.ts";
import { readParams } from "./params.ts";
import { timeline } from "./timelines.ts";

const listEntity = (l: { id: number; title: string; exclusive: boolean | number }) =>
  ({ id: String(l.id), title: l.title, replies_policy: "list", exclusive: l.exclusive === true || l.exclusive === 1 });

/** Runs a list action; a refusal (someone else's list, a bad title) is Mastodon's error answer. */
async function acting(c: Context<ApiEnv>, run: (listId: number) => Promise<Response>) {
  const id = parseId(c.req.param("id"));
  if (id === null) return apiError(c, 404, NOT_FOUND);
  try {
    return await run(id);
  } catch (error) {
    return refusalAnswer(c, error);
  }
}

export function listsApi() {
  const app = new Hono<ApiEnv>();
  const db = (c: Context<ApiEnv>) => c.var.deps.db;

  app.get("/api/v1/lists", memberWith("read:lists"), async (c) => c.json((await listsOf(db(c), memberOf(c))).map(listEntity)));

  app.post("/api/v1/lists", memberWith("write:lists"), async (c) => {
    const params = await readParams(c);
    try {
      const id = await createList(db(c), memberOf(c), { title: params.text("title") ?? "", exclusive: params.bool("exclusive") ?? false });
      return c.json(listEntity(await ownList(db(c), memberOf(c), id)));
    } catch (error) {
      return refusalAnswer(c, error);
    }
  });

  app.get("/api/v1/lists/:id{[0-9]+}", memberWith("read:lists"), (c) => acting(c, async (id) => c.json(listEntity(await ownList(db(c), memberOf(c), id)))));

  app.put("/api/v1/lists/:id{[0-9]+}", memberWith("write:lists"), (c) => acting(c, async (id) => {
    const params = await readParams(c);
    const current = await ownList(db(c), memberOf(c), id);
    await updateList(db(c), memberOf(c), id, { title: params.text("title") ?? current.title, exclusive: params.bool("exclusive") ?? current.exclusive === 1 });
    return c.json(listEntity(await ownList(db(c), memberOf(c), id)));
  }));

  app.delete("/api/v1/lists/:id{[0-9]+}", memberWith("write:lists"), (c) => acting(c, async (id) => {
    await deleteList(db(c), memberOf(c), id);
    return c.json({});
  }));

  app.get("/api/v1/lists/:id{[0-9]+}/accounts", memberWith("read:lists"), (c) => acting(c, async (id) =>
    c.json(await accountEntities(db(c), c.var.deps.config.origin, (await listMembers(db(c), memberOf(c), id)).map((a) => a.id)))));

  for (const [method, change] of [["post", addToList], ["delete", removeFromList]] as const) {
    app[method]("/api/v1/lists/:id{[0-9]+}/accounts", memberWith("write:lists"), (c) => acting(c, async (id) => {
      const accounts = (await readParams(c)).list("account_ids").map(parseId);
      if (accounts.includes(null)) return apiError(c, 422, "Validation failed: account_ids must be account ids");
      for (const account of accounts) await change(db(c), memberOf(c), id, account!);
      return c.json({});
    }));
  }

  app.get("/api/v1/timelines/list/:id{[0-9]+}", memberWith("read:lists"), (c) => acting(c, (id) =>
    timeline(c, (before, limit) => listStream(db(c), memberOf(c), id, before, limit))));

  return app;
}
