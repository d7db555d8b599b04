/** Polls: GET /api/v1/polls/:id and voting (POST .../votes with `choices[]`, 0-based), through issue 10's voteInPoll and the gate. */
import { Hono } from "hono";
import { voteInPoll } from "../../domain/polls/vote.ts";
import { parseId } from "../htmx.ts";
import { memberOf, memberWith } from "./auth.ts";
import type { ApiEnv } from "./env.ts";
import { statusEntity } from "./entities/status.ts";
import { apiError, NOT_FOUND, refusalAnswer } from "./errors.ts";
import { readParams } from "./params.ts";
import type { Context } from "hono";

async function pollOf(c: Context<ApiEnv>, id: number) {
  const status = await statusEntity(c.var.deps.db, c.var.deps.config.origin, { kind: "member", accountId: memberOf(c) }, id);
  return status?.poll ? c.json(status.poll) : apiError(c, 404, NOT_FOUND);
}

export function pollsApi() {
  const app = new Hono<ApiEnv>();

  app.get("/api/v1/polls/:id{[0-9]+}", memberWith("read:statuses"), async (c) => pollOf(c, parseId(c.req.param("id")) ?? 0));

  app.post("/api/v1/polls/:id{[0-9]+}/votes", memberWith("write:statuses"), async (c) => {
    const id = parseId(c.req.param("id"));
    if (id === null) return apiError(c, 404, NOT_FOUND);
    const choices = (await readParams(c)).list("choices").map((v) => (/^\d{1,3}$/.test(v) ? Number(v) : -1));
    try {
      await voteInPoll(c.var.deps.db, memberOf(c), id, choices);
    } catch (error) {
      return refusalAnswer(c, error);
    }
    c.var.deps.log.info("api: poll vote", { requestId: c.var.requestId, postId: id });
    return pollOf(c, id);
  });

  return app;
}
