/** Lists: make, rename, delete, add and remove people (plain forms), and read a list as a stream. */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { followingOf } from "../../domain/follows/lists.ts";
import { addToList, createList, deleteList, listMembers, listsOf, ownList, removeFromList, updateList } from "../../domain/lists/lists.ts";
import { listStream } from "../../domain/lists/listStream.ts";
import { followedTags } from "../../domain/tags/follow.ts";
import { ListPage, ListsPage } from "../../../views/pages/lists.tsx";
import { StreamItems } from "../../../views/components/stream.tsx";
import type { FormState } from "../../../views/pages/auth.tsx";
import type { WebEnv } from "../env.ts";
import { readForm } from "../forms.ts";
import { cursorOf, isHtmx, parseId } from "../htmx.ts";
import { pageContext, refusalState, render } from "../render.tsx";
import { requireMember } from "../session.ts";

const NOTICES: Record<string, string> = { added: "Added.", removed: "Removed.", saved: "Saved.", made: "List made. Add people you follow below." };

async function listPage(c: Context<WebEnv>, listId: number, state: FormState = {}, status: ContentfulStatusCode = 200) {
  const db = c.var.deps.db;
  const me = c.var.viewer!.id;
  const list = await ownList(db, me, listId);
  const [people, following, page] = await Promise.all([listMembers(db, me, listId), followingOf(db, me), listStream(db, me, listId, cursorOf(c))]);
  const url = new URL(c.req.url);
  const stream = { page, path: `/lists/${listId}`, here: url.pathname + url.search, empty: "No posts from this list's people yet." };
  c.header("vary", "HX-Request");
  if (isHtmx(c) && cursorOf(c) !== null) return c.html(<StreamItems {...stream} csrf={c.var.csrfToken} signedIn />);
  const onList = new Set(people.map((p) => p.id));
  return render(c, <ListPage page={await pageContext(c)} list={{ id: list.id, title: list.title, exclusive: list.exclusive === 1 }} people={people}
    candidates={following.filter((p) => !onList.has(p.id))} stream={stream} state={state} notice={NOTICES[c.req.query("notice") ?? ""]} />, status);
}

export function listRoutes() {
  const app = new Hono<WebEnv>();
  app.use("/lists", requireMember);
  app.use("/lists/*", requireMember);

  const listsPage = async (c: Context<WebEnv>, state: FormState, status: ContentfulStatusCode = 200) => {
    const [lists, tags] = await Promise.all([listsOf(c.var.deps.db, c.var.viewer!.id), followedTags(c.var.deps.db, c.var.viewer!.id)]);
    return render(c, <ListsPage page={await pageContext(c)} lists={lists} tags={tags} state={state} />, status);
  };

  app.get("/lists", (c) => listsPage(c, {}));

  app.post("/lists", async (c) => {
    const form = await readForm(c);
    const values = { title: form.text("title"), exclusive: form.text("exclusive") };
    try {
      const id = await createList(c.var.deps.db, c.var.viewer!.id, { title: values.title, exclusive: values.exclusive === "1" });
      c.var.deps.log.info("list: made", { requestId: c.var.requestId, listId: id });
      return c.redirect(`/lists/${id}?notice=made`, 303);
    } catch (error) {
      const { state, status } = refusalState(error, values);
      return listsPage(c, state, status);
    }
  });

  /** Runs a change to one list; a refusal is shown on the list's page (or as not found). */
  const change = (path: string, run: (c: Context<WebEnv>, listId: number) => Promise<string>) =>
    app.post(`/lists/:id{[0-9]+}${path}`, async (c) => {
      const listId = parseId(c.req.param("id"));
      if (listId === null) return c.notFound();
      try {
        const notice = await run(c, listId);
        c.var.deps.log.info(`list: ${notice}`, { requestId: c.var.requestId, listId });
        return c.redirect(notice === "deleted" ? "/lists" : `/lists/${listId}?notice=${notice}`, 303);
      } catch (error) {
        const { state, status } = refusalState(error);
        if (status === 404) return c.notFound();
        return listPage(c, listId, state, status);
      }
    });

  change("/edit", async (c, listId) => {
    const form = await readForm(c);
    await updateList(c.var.deps.db, c.var.viewer!.id, listId, { title: form.text("title"), exclusive: form.text("exclusive") === "1" });
    return "saved";
  });
  change("/delete", async (c, listId) => {
    await deleteList(c.var.deps.db, c.var.viewer!.id, listId);
    return "deleted";
  });
  change("/add", async (c, listId) => {
    const accountId = parseId((await readForm(c)).text("account")) ?? 0;
    await addToList(c.var.deps.db, c.var.viewer!.id, listId, accountId);
    return "added";
  });
  app.post("/lists/:id{[0-9]+}/remove/:account{[0-9]+}", async (c) => {
    const [listId, accountId] = [parseId(c.req.param("id")), parseId(c.req.param("account"))];
    if (listId === null || accountId === null) return c.notFound();
    try {
      await removeFromList(c.var.deps.db, c.var.viewer!.id, listId, accountId);
    } catch (error) {
      if (refusalState(error).status === 404) return c.notFound();
    }
    return c.redirect(`/lists/${listId}?notice=removed`, 303);
  });

  app.get("/lists/:id{[0-9]+}", async (c) => {
    const listId = parseId(c.req.param("id"));
    if (listId === null) return c.notFound();
    try {
      return await listPage(c, listId);
    } catch (error) {
      if (refusalState(error).status === 404) return c.notFound();
      throw error;
    }
  });

  return app;
}
