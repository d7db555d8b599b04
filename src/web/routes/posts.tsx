/**
 * Posts: writing and replying, the thread page, like and boost (and their undo), edit, history and
 * delete. Each action is a plain form answered with a redirect; with htmx it gets the fragment to swap.
 */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Db } from "../../db/open.ts";
import { Refusal } from "../../domain/errors.ts";
import type { AttachmentUpload } from "../../domain/media/attachments.ts";
import { boostPost, unboostPost } from "../../domain/posts/boost.ts";
import { createPost } from "../../domain/posts/create.ts";
import { deletePost } from "../../domain/posts/delete.ts";
import { editHistory, editPost, ownPost } from "../../domain/posts/edit.ts";
import { likePost, unlikePost } from "../../domain/posts/likes.ts";
import { bookmarkPost, unbookmarkPost } from "../../domain/bookmarks/bookmarks.ts";
import { pollFromForm } from "./polls.tsx";
import { presentItems } from "../../domain/posts/present.ts";
import { loadThread } from "../../domain/posts/thread.ts";
import { viewerOf } from "../../domain/posts/visibility.ts";
import { ComposeForm, type ComposeProps } from "../../../views/components/compose.tsx";
import { PostCard } from "../../../views/components/post.tsx";
import { PostActions } from "../../../views/components/postActions.tsx";
import { ComposePage } from "../../../views/pages/compose.tsx";
import { EditPostPage, HistoryPage } from "../../../views/pages/postEdit.tsx";
import { ThreadPage, ThreadView } from "../../../views/pages/thread.tsx";
import { ProblemPage, type FormState } from "../../../views/pages/auth.tsx";
import type { WebEnv } from "../env.ts";
import { safeNext } from "../forms.ts";
import { isHtmx, parseId } from "../htmx.ts";
import { pageContext, refusalState, render, statusOf, timeOf } from "../render.tsx";
import { requireMember } from "../session.ts";
import { cachedPage } from "../pageCache.ts";
import { unreachedMentions, unreachedWarning } from "../../domain/remote/reach.ts";
import { staysInCamp } from "../../domain/audience.ts";

const NOT_VISIBLE = "This post does not exist, was deleted, or is not visible to you.";

/** The fields of a post form; a broken body reads as empty and is refused like an empty post. */
async function readPostForm(c: Context<WebEnv>) {
  let form: FormData | null = null;
  try {
    form = await c.req.formData();
  } catch (error) {
    c.var.deps.log.warn("post form: body could not be parsed", { requestId: c.var.requestId, error: String(error) });
  }
  const text = (name: string) => { const v = form?.get(name); return typeof v === "string" ? v : ""; };
  const files = (form?.getAll("image") ?? []) as (File | string)[];
  const alts = (form?.getAll("alt") ?? []) as (File | string)[];
  const images: AttachmentUpload[] = [];
  for (const [i, file] of files.entries()) {
    if (typeof file === "string" || file.size === 0) continue;
    const alt = alts[i];
    images.push({ bytes: new Uint8Array(await file.arrayBuffer()), alt: typeof alt === "string" ? alt : "" });
  }
  const poll = pollFromForm(text);
  return {
    values: { source: text("source"), contentWarning: text("contentWarning"), audience: text("audience") || "camp", ...poll.values },
    poll: poll.poll,
    inReplyTo: text("in_reply_to"),
    next: text("next"),
    inThread: text("view") === "thread",
    images,
  };
}

function composeFor(c: Context<WebEnv>, state: FormState, next: string, replyTo: ComposeProps["replyTo"], inThread: boolean, notice?: string): ComposeProps {
  return { csrf: c.var.csrfToken, state, next, replyTo, htmxTarget: inThread ? "#thread" : "this", notice };
}

async function threadCompose(c: Context<WebEnv>, postId: number, state: FormState, notice?: string) {
  const thread = await loadThread(c.var.deps.db, viewerOf(c.var.viewer), postId);
  if (!thread) return null;
  const f = thread.focus;
  return { thread, compose: composeFor(c, state, `/posts/${f.id}`, { id: f.id, audience: f.audience, acct: f.author.acct }, true, notice) };
}

async function problem(c: Context<WebEnv>, title: string, message: string, status: ContentfulStatusCode) {
  return render(c, <ProblemPage page={await pageContext(c)} title={title} message={message} />, status);
}

/** The action bar of a post after a like or boost (with htmx), or a redirect back. */
async function afterReaction(c: Context<WebEnv>, postId: number, next: string, error?: { message: string; status: ContentfulStatusCode }) {
  if (!isHtmx(c)) {
    if (error) return problem(c, "That did not work", error.message, error.status);
    return c.redirect(safeNext(next), 303);
  }
  const [item] = await presentItems(c.var.deps.db, viewerOf(c.var.viewer), [postId]);
  if (!item) return c.html(<p class="error" role="alert">{error?.message ?? NOT_VISIBLE}</p>, error?.status ?? 404);
  return c.html(<PostActions post={item.post} csrf={c.var.csrfToken} returnTo={safeNext(next)} error={error?.message} />, error?.status ?? 200);
}

type Reaction = (db: Db, accountId: number, postId: number) => Promise<number>;
const REACTIONS: Record<string, Reaction> = {
  like: likePost, unlike: unlikePost, boost: boostPost, unboost: unboostPost,
  save: bookmarkPost, unsave: unbookmarkPost,
};

export function postRoutes() {
  const app = new Hono<WebEnv>();

  app.post("/posts", requireMember, async (c) => {
    const { deps } = c.var;
    const form = await readPostForm(c);
    const parentId = form.inReplyTo ? parseId(form.inReplyTo) : null;
    if (form.inReplyTo && parentId === null) return problem(c, "Not found", NOT_VISIBLE, 404);
    const place = { mediaDir: deps.config.mediaDir, domain: deps.config.domain };
    try {
      const id = await createPost(deps.db, place, c.var.viewer!.id, { ...form.values, inReplyToId: parentId, images: form.images, poll: form.poll });
      deps.log.info("post: created", { requestId: c.var.requestId, postId: id, reply: parentId !== null, images: form.images.length });
      // A camp-only post naming people on other servers: the author learns on the post's page that they will not see it.
      const unreached = unreachedWarning(await unreachedMentions(deps.db, id));
      if (!isHtmx(c) && unreached) return c.redirect(`/posts/${id}`, 303);
      if (!isHtmx(c)) return c.redirect(parentId ? `/posts/${parentId}#post-${id}` : `${safeNext(form.next)}#post-${id}`, 303);
      if (form.inThread && parentId) {
        const view = await threadCompose(c, parentId, {}, "Your reply is posted.");
        if (view) return c.html(<ThreadView thread={view.thread} csrf={c.var.csrfToken} signedIn compose={view.compose} time={timeOf(c)} />);
      }
      const [item] = await presentItems(deps.db, viewerOf(c.var.viewer), [id]);
      const next = safeNext(form.next);
      return c.html(
        <>
          <ComposeForm {...composeFor(c, {}, next, null, false, unreached ?? "Posted.")} />
          <hx-partial hx-target="#stream" hx-swap="afterbegin">
            {item && <PostCard item={item} csrf={c.var.csrfToken} signedIn returnTo={`${next}#post-${id}`} time={timeOf(c)} />}
          </hx-partial>
        </>,
      );
    } catch (error) {
      const { state, status } = refusalState(error, form.values);
      deps.log.info("post: refused", { requestId: c.var.requestId, reason: state.error });
      const view = parentId ? await threadCompose(c, parentId, state) : null;
      if (isHtmx(c)) {
        if (view && form.inThread) return c.html(<ThreadView thread={view.thread} csrf={c.var.csrfToken} signedIn compose={view.compose} time={timeOf(c)} />, status);
        return c.html(<ComposeForm {...(view?.compose ?? composeFor(c, state, safeNext(form.next), null, false))} />, status);
      }
      if (view) return render(c, <ThreadPage page={await pageContext(c)} thread={view.thread} compose={view.compose} />, status);
      return render(c, <ComposePage page={await pageContext(c)} compose={composeFor(c, state, safeNext(form.next), null, false)} />, status);
    }
  });

  app.get("/posts/:id{[0-9]+}", cachedPage, async (c) => {
    const id = parseId(c.req.param("id"));
    const view = id === null ? null : await threadCompose(c, id, {});
    if (!view) {
      const hint = c.var.viewer ? "" : " If you are a member, log in first.";
      return problem(c, "Not found", NOT_VISIBLE + hint, 404);
    }
    const warning = view.thread.focus.author.id === c.var.viewer?.id ? unreachedWarning(await unreachedMentions(c.var.deps.db, view.thread.focus.id)) : null;
    const live = { stream: `thread:${view.thread.rootId}`, afterPostId: view.thread.newestId };
    return render(c, <ThreadPage page={{ ...(await pageContext(c)), live }} thread={view.thread} compose={c.var.viewer ? view.compose : null} warning={warning} />);
  });

  for (const [action, react] of Object.entries(REACTIONS)) {
    app.post(`/posts/:id/${action}`, requireMember, async (c) => {
      const body = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
      const next = typeof body.next === "string" ? body.next : "/";
      const id = parseId(c.req.param("id"));
      if (id === null) return afterReaction(c, 0, next, { message: NOT_VISIBLE, status: 404 });
      try {
        const postId = await react(c.var.deps.db, c.var.viewer!.id, id);
        c.var.deps.log.info(`post: ${action}`, { requestId: c.var.requestId, postId });
        return afterReaction(c, postId, next);
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        c.var.deps.log.info(`post: ${action} refused`, { requestId: c.var.requestId, postId: id, reason: error.message });
        return afterReaction(c, id, next, { message: error.message, status: statusOf(error) });
      }
    });
  }

  const editPage = async (c: Context<WebEnv>, id: number, state: FormState, status: ContentfulStatusCode = 200) => {
    const db = c.var.deps.db;
    const post = await ownPost(db, c.var.viewer!.id, id);
    const parent = post.in_reply_to_id === null ? null
      : await db.selectFrom("posts").select("audience").where("id", "=", post.in_reply_to_id).executeTakeFirst();
    const editable = { id, source: post.source, contentWarning: post.content_warning, audience: post.audience, campReply: !!parent && staysInCamp(parent.audience) };
    return render(c, <EditPostPage page={await pageContext(c)} post={editable} state={state} />, status);
  };

  const refusedPage = async (c: Context<WebEnv>, error: unknown) => {
    const { state, status } = refusalState(error);
    return problem(c, "That did not work", state.error ?? NOT_VISIBLE, status);
  };

  app.get("/posts/:id/edit", requireMember, async (c) => {
    const id = parseId(c.req.param("id"));
    if (id === null) return problem(c, "Not found", NOT_VISIBLE, 404);
    return editPage(c, id, {}).catch((error) => refusedPage(c, error));
  });

  app.post("/posts/:id/edit", requireMember, async (c) => {
    const { deps } = c.var;
    const id = parseId(c.req.param("id"));
    if (id === null) return problem(c, "Not found", NOT_VISIBLE, 404);
    const body = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
    const text = (name: string) => (typeof body[name] === "string" ? (body[name] as string) : "");
    const values = { source: text("source"), contentWarning: text("contentWarning"), audience: text("audience") || "camp" };
    try {
      await editPost(deps.db, { mediaDir: deps.config.mediaDir, domain: deps.config.domain }, c.var.viewer!.id, id,
        { ...values, confirmWiden: text("confirmWiden") === "yes" });
      deps.log.info("post: edited", { requestId: c.var.requestId, postId: id });
      return c.redirect(`/posts/${id}`, 303);
    } catch (error) {
      const { state, status } = refusalState(error, values);
      deps.log.info("post: edit refused", { requestId: c.var.requestId, postId: id, reason: state.error });
      if (status === 404 || status === 403) return refusedPage(c, error);
      return editPage(c, id, state, status);
    }
  });

  app.post("/posts/:id/delete", requireMember, async (c) => {
    const id = parseId(c.req.param("id"));
    if (id === null) return problem(c, "Not found", NOT_VISIBLE, 404);
    try {
      await deletePost(c.var.deps.db, c.var.viewer!.id, id);
      c.var.deps.log.info("post: deleted", { requestId: c.var.requestId, postId: id });
      return c.redirect(`/@${c.var.viewer!.handle}`, 303);
    } catch (error) {
      return refusedPage(c, error);
    }
  });

  app.get("/posts/:id/history", requireMember, async (c) => {
    const id = parseId(c.req.param("id"));
    if (id === null) return problem(c, "Not found", NOT_VISIBLE, 404);
    try {
      await ownPost(c.var.deps.db, c.var.viewer!.id, id);
    } catch (error) {
      return refusedPage(c, error);
    }
    const edits = (await editHistory(c.var.deps.db, id)).map((e) => ({ html: e.html, contentWarning: e.content_warning, audience: e.audience, replacedAt: e.replaced_at }));
    return render(c, <HistoryPage page={await pageContext(c)} postId={id} edits={edits} />);
  });

  return app;
}
