/**
 * Statuses: write (with Kith's audiences in Mastodon's words, see visibility.ts), read, the thread
 * around one, delete, edit with its source and history, favourite and reblog. Writing is createPost,
 * the function the compose form calls; reading is presentItems behind the audience gate.
 */
import { Hono, type Context } from "hono";
import { accountCards } from "../../domain/accounts/cards.ts";
import { Refusal } from "../../domain/errors.ts";
import { activeBoost, boostPost, unboostPost } from "../../domain/posts/boost.ts";
import { createPost } from "../../domain/posts/create.ts";
import { deletePost } from "../../domain/posts/delete.ts";
import { editHistory, editPost, ownPost } from "../../domain/posts/edit.ts";
import { likePost, unlikePost } from "../../domain/posts/likes.ts";
import { boostersOf, likersOf } from "../../domain/posts/reactions.ts";
import { bookmarkPost, unbookmarkPost } from "../../domain/bookmarks/bookmarks.ts";
import { loadThread, type ThreadNode } from "../../domain/posts/thread.ts";
import { findVisiblePost } from "../../domain/posts/visibility.ts";
import { parseId } from "../htmx.ts";
import { memberOf, memberWith } from "./auth.ts";
import type { ApiEnv } from "./env.ts";
import { accountEntities, accountEntity } from "./entities/account.ts";
import { absoluteLinks, itemsToStatuses, statusEntity } from "./entities/status.ts";
import { apiError, NOT_FOUND, refusalAnswer } from "./errors.ts";
import { readParams, type Params } from "./params.ts";
import type { PollInput } from "../../domain/polls/rules.ts";
import { now } from "../../domain/clock.ts";
import { audienceFrom } from "./visibility.ts";

const viewer = (c: Context<ApiEnv>) => ({ kind: "member" as const, accountId: memberOf(c) });
const place = (c: Context<ApiEnv>) => ({ mediaDir: c.var.deps.config.mediaDir, domain: c.var.deps.config.domain });
const ids = (values: string[]) => values.map(parseId);

async function shown(c: Context<ApiEnv>, id: number) {
  const status = await statusEntity(c.var.deps.db, c.var.deps.config.origin, viewer(c), id);
  return status ? c.json(status) : apiError(c, 404, NOT_FOUND);
}

/** A poll as Mastodon sends it (`poll[options][]`, `poll[expires_in]` in seconds, `poll[multiple]`), or none. */
function pollFrom(params: Params): PollInput | null {
  const options = [...params.list("poll[options]"), ...params.listIn("poll", "options")];
  const expiresIn = params.nested("poll", "expires_in");
  if (options.length === 0 && expiresIn === undefined) return null;
  const multiple = params.nested("poll", "multiple");
  // A missing or broken duration reads as none, which checkPoll refuses with its own message.
  return { options, multiple: multiple === "true" || multiple === "1", closesAt: now() + Number(expiresIn ?? NaN) * 1000 };
}

/** A thread flattened in reading order, with the focus's ancestors and descendants told apart. */
function splitThread(roots: ThreadNode[], focusId: number) {
  const ancestors: ThreadNode[] = [];
  const descendants: ThreadNode[] = [];
  const walk = (node: ThreadNode, path: ThreadNode[], below: boolean) => {
    if (node.post.id === focusId) ancestors.push(...path);
    else if (below) descendants.push(node);
    for (const reply of node.replies) walk(reply, [...path, node], below || node.post.id === focusId);
  };
  for (const root of roots) walk(root, [], false);
  return { ancestors, descendants };
}

export function statusesApi() {
  const app = new Hono<ApiEnv>();

  app.post("/api/v1/statuses", memberWith("write:statuses"), async (c) => {
    const { deps } = c.var;
    const params = await readParams(c);
    const poll = pollFrom(params);
    const chosen = audienceFrom(params.text("visibility"), params.bool("local_only"));
    if ("error" in chosen) return apiError(c, 422, chosen.error);
    const mediaIds = ids(params.list("media_ids"));
    if (mediaIds.includes(null)) return apiError(c, 422, "Validation failed: media_ids must be ids of your uploads");
    const replyTo = params.text("in_reply_to_id");
    const inReplyToId = replyTo ? parseId(replyTo) : null;
    if (replyTo && inReplyToId === null) return apiError(c, 404, NOT_FOUND);
    try {
      const id = await createPost(deps.db, place(c), memberOf(c), {
        source: params.text("status") ?? "", contentWarning: params.text("spoiler_text") ?? "", audience: chosen.audience,
        inReplyToId, mediaIds: mediaIds as number[], poll,
      });
      deps.log.info("api: status created", { requestId: c.var.requestId, postId: id, audience: chosen.audience });
      return shown(c, id);
    } catch (error) {
      return refusalAnswer(c, error);
    }
  });

  app.get("/api/v1/statuses/:id{[0-9]+}", memberWith("read:statuses"), async (c) => {
    const id = parseId(c.req.param("id"));
    return id === null ? apiError(c, 404, NOT_FOUND) : shown(c, id);
  });

  app.get("/api/v1/statuses/:id{[0-9]+}/context", memberWith("read:statuses"), async (c) => {
    const id = parseId(c.req.param("id"));
    const thread = id === null ? null : await loadThread(c.var.deps.db, viewer(c), id);
    if (!thread) return apiError(c, 404, NOT_FOUND);
    const { ancestors, descendants } = splitThread(thread.roots, thread.focus.id);
    const asStatuses = (nodes: ThreadNode[]) =>
      itemsToStatuses(c.var.deps.db, c.var.deps.config.origin, memberOf(c), nodes.map((n) => ({ key: n.post.id, boostedBy: null, post: n.post })));
    return c.json({ ancestors: await asStatuses(ancestors), descendants: await asStatuses(descendants) });
  });

  app.delete("/api/v1/statuses/:id{[0-9]+}", memberWith("write:statuses"), async (c) => {
    const id = parseId(c.req.param("id"));
    if (id === null) return apiError(c, 404, NOT_FOUND);
    const before = await statusEntity(c.var.deps.db, c.var.deps.config.origin, viewer(c), id);
    try {
      const post = await ownPost(c.var.deps.db, memberOf(c), id);
      await deletePost(c.var.deps.db, memberOf(c), id);
      c.var.deps.log.info("api: status deleted", { requestId: c.var.requestId, postId: id });
      // Mastodon answers with the deleted status and its source, so an app can offer "delete and redraft".
      return c.json({ ...before, text: post.source });
    } catch (error) {
      return refusalAnswer(c, error);
    }
  });

  app.put("/api/v1/statuses/:id{[0-9]+}", memberWith("write:statuses"), async (c) => {
    const id = parseId(c.req.param("id"));
    if (id === null) return apiError(c, 404, NOT_FOUND);
    const params = await readParams(c);
    try {
      const post = await ownPost(c.var.deps.db, memberOf(c), id);
      // Mastodon's edits keep the visibility; Kith's rule that an edit never widens silently holds either way.
      await editPost(c.var.deps.db, place(c), memberOf(c), id, {
        source: params.text("status") ?? "", contentWarning: params.text("spoiler_text") ?? "", audience: post.audience, confirmWiden: false,
      });
      c.var.deps.log.info("api: status edited", { requestId: c.var.requestId, postId: id });
      return shown(c, id);
    } catch (error) {
      return refusalAnswer(c, error);
    }
  });

  app.get("/api/v1/statuses/:id{[0-9]+}/source", memberWith("read:statuses"), async (c) => {
    const id = parseId(c.req.param("id"));
    try {
      const post = await ownPost(c.var.deps.db, memberOf(c), id ?? 0);
      return c.json({ id: String(post.id), text: post.source, spoiler_text: post.content_warning });
    } catch (error) {
      if (error instanceof Refusal) return apiError(c, 404, NOT_FOUND);
      throw error;
    }
  });

  app.get("/api/v1/statuses/:id{[0-9]+}/history", memberWith("read:statuses"), async (c) => {
    const { db, config } = c.var.deps;
    const id = parseId(c.req.param("id"));
    const post = id === null ? null : await findVisiblePost(db, viewer(c), id);
    if (!post) return apiError(c, 404, NOT_FOUND);
    const current = await statusEntity(db, config.origin, viewer(c), post.id);
    const author = (await accountCards(db, [post.author_id])).get(post.author_id);
    if (!current || !author) return apiError(c, 404, NOT_FOUND);
    // Each stored edit holds the version it replaced; a version was written when the one before it was replaced.
    const edits = [...(await editHistory(db, post.id))].reverse();
    const versions = edits.map((e, i) => ({
      content: absoluteLinks(config.origin, e.html), spoiler_text: e.content_warning, sensitive: e.content_warning !== "",
      created_at: new Date(i === 0 ? post.created_at : edits[i - 1]!.replaced_at).toISOString(),
      account: accountEntity(config.origin, author), poll: null, media_attachments: current.media_attachments, emojis: [],
    }));
    const latest = { content: current.content, spoiler_text: current.spoiler_text, sensitive: current.sensitive,
      created_at: current.edited_at ?? current.created_at, account: current.account, poll: null, media_attachments: current.media_attachments, emojis: [] };
    return c.json([...versions, latest]);
  });

  for (const [path, who] of [["favourited_by", likersOf], ["reblogged_by", boostersOf]] as const) {
    app.get(`/api/v1/statuses/:id{[0-9]+}/${path}`, memberWith("read:statuses"), async (c) => {
      const id = parseId(c.req.param("id"));
      const post = id === null ? null : await findVisiblePost(c.var.deps.db, viewer(c), id);
      if (!post) return apiError(c, 404, NOT_FOUND);
      const limit = Math.min(Math.max(Number(c.req.query("limit")) || 40, 1), 80);
      return c.json(await accountEntities(c.var.deps.db, c.var.deps.config.origin, await who(c.var.deps.db, post.id, limit)));
    });
  }

  const REACTIONS = [
    ["favourite", "write:favourites", likePost],
    ["unfavourite", "write:favourites", unlikePost],
    ["reblog", "write:statuses", boostPost],
    ["unreblog", "write:statuses", unboostPost],
    ["bookmark", "write:bookmarks", bookmarkPost],
    ["unbookmark", "write:bookmarks", unbookmarkPost],
  ] as const;
  for (const [name, scope, react] of REACTIONS) {
    app.post(`/api/v1/statuses/:id{[0-9]+}/${name}`, memberWith(scope), async (c) => {
      const id = parseId(c.req.param("id"));
      if (id === null) return apiError(c, 404, NOT_FOUND);
      let postId = id;
      try {
        postId = await react(c.var.deps.db, memberOf(c), id);
        c.var.deps.log.info(`api: ${name}`, { requestId: c.var.requestId, postId });
      } catch (error) {
        // Favouriting twice, or taking back what was not given, leaves things as they are, as on Mastodon.
        if (!(error instanceof Refusal && error.kind === "conflict")) return refusalAnswer(c, error);
      }
      // Mastodon answers a reblog with the reblog itself, the original inside it.
      const boost = name === "reblog" ? await activeBoost(c.var.deps.db, memberOf(c), postId) : undefined;
      return shown(c, boost?.id ?? postId);
    });
  }

  return app;
}
