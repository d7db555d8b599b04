/**
 * What other servers fetch and post: actor documents (members and the instance actor), their
 * collections, post objects, and the inboxes. A browser asking for the same URLs gets the page.
 */
import { type Context, Hono, type Next } from "hono";
import type { WebEnv } from "../../web/env.ts";
import { mayListPublicly, mayView, PUBLICLY_LISTED } from "../../domain/audience.ts";
import { keysOf } from "../keys.ts";
import { actorFactsOf, findLocalActor, instanceActorAccountId, isDeletedHandle } from "../localActors.ts";
import { receiveActivity } from "../inbox/receive.ts";
import { loadFederatablePost } from "../outbound/localPost.ts";
import { followersUri, followingUri, INSTANCE_ACTOR_HANDLE, movedToPlace, outboxUri, profileUrl } from "../urls.ts";
import { movedToOf } from "../../domain/moving/movedTo.ts";
import { actorDocument } from "../vocab/actor.ts";
import { ACTIVITY_JSON, OBJECT_CONTEXT, wantsActivityJson } from "../vocab/context.ts";
import { noteOf } from "../vocab/note.ts";
import { fetchAccess, isSigned } from "./fetchAccess.ts";
import { cachedPublicDocument } from "../../web/pageCache.ts";

const activityJson = (c: Context<WebEnv>, doc: unknown, status: 200 | 410 = 200) =>
  c.body(JSON.stringify(doc), status, { "content-type": `${ACTIVITY_JSON}; charset=utf-8`, vary: "Accept" });

/** Where a browser opening a member's actor id goes: their profile, or the account they moved to. */
async function personalUrlOf(c: Context<WebEnv>, handle: string): Promise<string> {
  const { db, config } = c.var.deps;
  const member = await findLocalActor(db, handle);
  const moved = member ? await movedToOf(db, movedToPlace(config.origin, config.domain), member.id) : null;
  return moved?.url ?? profileUrl(config.origin, handle);
}

export function actorRoutes() {
  const app = new Hono<WebEnv>();

  const actor = async (c: Context<WebEnv>, handle: string) => {
    const { db, config } = c.var.deps;
    const member = await findLocalActor(db, handle);
    if (!member) return (await isDeletedHandle(db, handle)) ? c.json({ error: "this account was deleted" }, 410) : c.json({ error: "no such member" }, 404);
    if (member.suspended_at !== null) return c.json({ error: "this account is suspended" }, 410);
    const access = await fetchAccess(c);
    if (!access.ok) return access.response;
    return activityJson(c, actorDocument(config, { ...actorFactsOf(config, member), kind: "Person" }, await keysOf(db, member.id)));
  };

  // An unsigned fetch gets the document every unsigned asker gets; a signed one is checked each time.
  const keptActor = cachedPublicDocument((c) => !wantsActivityJson(c.req.header("accept")) || isSigned(c));
  app.get("/users/:handle{[A-Za-z0-9_]+}", keptActor, async (c) => {
    const handle = c.req.param("handle");
    if (!wantsActivityJson(c.req.header("accept"))) return c.redirect(await personalUrlOf(c, handle), 303);
    return actor(c, handle);
  });
  // The same pattern as the profile page's route: Hono's router skips "/@:handle" when both exist.
  app.get("/:at{@[A-Za-z0-9_]+}", keptActor, async (c, next) => (wantsActivityJson(c.req.header("accept")) ? actor(c, c.req.param("at").slice(1)) : next()));

  // The instance actor signs the camp's own fetches; it is always public, so that keys can be checked.
  app.get("/actor", async (c) => {
    const { db, config } = c.var.deps;
    const id = await instanceActorAccountId(db);
    return activityJson(c, actorDocument(config, {
      handle: INSTANCE_ACTOR_HANDLE, kind: "Application", displayName: config.domain, bioHtml: "", locked: true, createdAt: 0, avatarUrl: null,
    }, await keysOf(db, id)));
  });

  app.post("/users/:handle{[A-Za-z0-9_]+}/inbox", (c) => receiveActivity(c, c.req.param("handle")));
  app.post("/inbox", (c) => receiveActivity(c, null));
  app.post("/actor/inbox", (c) => receiveActivity(c, null));

  app.get("/users/:handle{[A-Za-z0-9_]+}/outbox", async (c) => {
    const { db, config } = c.var.deps;
    const member = await findLocalActor(db, c.req.param("handle"));
    if (!member || member.suspended_at !== null) return c.json({ error: "no such member" }, 404);
    const access = await fetchAccess(c);
    if (!access.ok) return access.response;
    const recent = await db.selectFrom("posts").select(["id", "audience"]).where("author_id", "=", member.id).where("deleted_at", "is", null)
      .where("boost_of_id", "is", null).where("audience", "in", PUBLICLY_LISTED).orderBy("id", "desc").limit(20).execute();
    const items = [];
    for (const row of recent.filter((r) => mayListPublicly(r.audience))) {
      const post = await loadFederatablePost(db, config.origin, config.domain, row.id);
      if (post) items.push({ id: `${post.uri}/activity`, type: "Create", actor: post.authorUri, published: new Date(post.createdAt).toISOString(), object: noteOf(config.origin, post) });
    }
    return activityJson(c, { "@context": OBJECT_CONTEXT, id: outboxUri(config.origin, member.handle), type: "OrderedCollection", totalItems: items.length, orderedItems: items });
  });

  const counted = (path: "followers" | "following") => app.get(`/users/:handle{[A-Za-z0-9_]+}/${path}`, async (c) => {
    const { db, config } = c.var.deps;
    const member = await findLocalActor(db, c.req.param("handle"));
    if (!member || member.suspended_at !== null) return c.json({ error: "no such member" }, 404);
    const access = await fetchAccess(c);
    if (!access.ok) return access.response;
    const column = path === "followers" ? "followee_id" : "follower_id";
    const { n } = await db.selectFrom("follows").select((eb) => eb.fn.countAll<number>().as("n")).where(column, "=", member.id).where("state", "=", "accepted").executeTakeFirstOrThrow();
    const id = path === "followers" ? followersUri(config.origin, member.handle) : followingUri(config.origin, member.handle);
    // Only the count: who follows whom is the members' own business.
    return activityJson(c, { "@context": OBJECT_CONTEXT, id, type: "OrderedCollection", totalItems: Number(n) });
  });
  counted("followers");
  counted("following");

  app.get("/posts/:id{[0-9]+}", async (c: Context<WebEnv>, next: Next) => {
    if (!wantsActivityJson(c.req.header("accept"))) return next();
    return postObject(c, Number(c.req.param("id")));
  });

  return app;
}

/**
 * A post as a Note for a remote fetch. Camp-only posts do not exist for any remote request,
 * signed or not: the gate returns nothing and the answer is 404.
 */
async function postObject(c: Context<WebEnv>, postId: number): Promise<Response> {
  const { db, config } = c.var.deps;
  const post = await loadFederatablePost(db, config.origin, config.domain, postId);
  if (!post || post.boostOfId !== null) return c.json({ error: "no such post" }, 404);
  const access = await fetchAccess(c);
  if (!access.ok) return access.response;
  const viewer = access.viewer;
  const viewerId = viewer.kind === "anonymous" ? -1 : viewer.accountId;
  const [follows, mentioned, blocked] = await Promise.all([
    db.selectFrom("follows").select("id").where("follower_id", "=", viewerId).where("followee_id", "=", post.authorId).where("state", "=", "accepted").executeTakeFirst(),
    db.selectFrom("mentions").select("post_id").where("post_id", "=", post.id).where("account_id", "=", viewerId).executeTakeFirst(),
    db.selectFrom("blocks").select("target_id").where("account_id", "=", post.authorId).where("target_id", "=", viewerId).executeTakeFirst(),
  ]);
  const visible = mayView(viewer, {
    authorId: post.authorId, audience: post.audience, deleted: post.deleted, authorSuspended: false,
    viewerFollowsAuthor: follows !== undefined, viewerIsMentioned: mentioned !== undefined, authorBlocksViewer: blocked !== undefined,
  });
  if (!visible) return c.json({ error: "no such post" }, 404);
  return activityJson(c, { "@context": OBJECT_CONTEXT, ...noteOf(config.origin, post) });
}
