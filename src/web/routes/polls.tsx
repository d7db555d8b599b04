/** Voting on a poll: a plain form answered with a redirect, or with htmx the poll box to swap in. */
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { Refusal } from "../../domain/errors.ts";
import { voteInPoll } from "../../domain/polls/vote.ts";
import { MAX_OPTIONS, type PollInput } from "../../domain/polls/rules.ts";
import { now } from "../../domain/clock.ts";
import { presentItems } from "../../domain/posts/present.ts";
import { viewerOf } from "../../domain/posts/visibility.ts";
import { PollBox } from "../../../views/components/poll.tsx";
import { ProblemPage } from "../../../views/pages/auth.tsx";
import type { WebEnv } from "../env.ts";
import { safeNext } from "../forms.ts";
import { isHtmx, parseId } from "../htmx.ts";
import { pageContext, render, statusOf } from "../render.tsx";
import { requireMember } from "../session.ts";

const NOT_VISIBLE = "This poll was deleted or is not visible to you.";

/** The poll box after a vote (or a refused one), for htmx; a redirect back or a problem page otherwise. */
async function answer(c: Context<WebEnv>, postId: number, next: string, error?: { message: string; status: ContentfulStatusCode }) {
  if (!isHtmx(c)) {
    if (error) return render(c, <ProblemPage page={await pageContext(c)} title="That vote did not count" message={error.message} />, error.status);
    return c.redirect(safeNext(next), 303);
  }
  const [item] = await presentItems(c.var.deps.db, viewerOf(c.var.viewer), [postId]);
  const poll = item?.post.poll;
  if (!poll) return c.html(<p class="error" role="alert">{error?.message ?? NOT_VISIBLE}</p>, error?.status ?? 404);
  return c.html(<PollBox postId={postId} poll={poll} csrf={c.var.csrfToken} signedIn returnTo={safeNext(next)} error={error?.message} />, error?.status ?? 200);
}

/**
 * The compose form's poll fields: their values (to show again after a refusal) and the poll, or
 * null when every option is empty. An unknown duration reads as none, which the rules refuse.
 */
export function pollFromForm(text: (name: string) => string): { values: Record<string, string>; poll: PollInput | null } {
  const names = [...Array.from({ length: MAX_OPTIONS }, (_, i) => `poll_option_${i}`), "poll_multiple", "poll_duration"];
  const values = Object.fromEntries(names.map((name) => [name, text(name)]));
  const options = Array.from({ length: MAX_OPTIONS }, (_, i) => values[`poll_option_${i}`]!);
  if (options.every((o) => !o.trim())) return { values, poll: null };
  const seconds = /^\d{1,7}$/.test(values.poll_duration!) ? Number(values.poll_duration) : 0;
  return { values, poll: { options, multiple: values.poll_multiple === "1", closesAt: now() + seconds * 1000 } };
}

export function pollRoutes() {
  const app = new Hono<WebEnv>();

  app.post("/posts/:id/vote", requireMember, async (c) => {
    const body = await c.req.parseBody({ all: true }).catch(() => ({} as Record<string, unknown>));
    const next = typeof body.next === "string" ? body.next : "/";
    const raw = body.choice;
    const choices = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((v) => (typeof v === "string" && /^\d{1,2}$/.test(v) ? Number(v) : -1));
    const id = parseId(c.req.param("id"));
    if (id === null) return answer(c, 0, next, { message: NOT_VISIBLE, status: 404 });
    try {
      const postId = await voteInPoll(c.var.deps.db, c.var.viewer!.id, id, choices);
      c.var.deps.log.info("poll: voted", { requestId: c.var.requestId, postId, choices: choices.length });
      return answer(c, postId, next);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      c.var.deps.log.info("poll: vote refused", { requestId: c.var.requestId, postId: id, reason: error.message });
      return answer(c, id, next, { message: error.message, status: statusOf(error) });
    }
  });

  return app;
}
