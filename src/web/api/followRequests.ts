/** Follow requests for a member who approves followers: list, authorize, reject (the Follow requests page's actions). */
import { Hono } from "hono";
import { relationships } from "../../domain/accounts/relationships.ts";
import { approveFollowRequest, declineFollowRequest, pendingFollowRequests } from "../../domain/remote/followRequests.ts";
import { parseId } from "../htmx.ts";
import { memberOf, memberWith } from "./auth.ts";
import type { ApiEnv } from "./env.ts";
import { accountEntities } from "./entities/account.ts";
import { relationshipEntity } from "./entities/relationship.ts";
import { apiError, NOT_FOUND, refusalAnswer } from "./errors.ts";

export function followRequestsApi() {
  const app = new Hono<ApiEnv>();

  app.get("/api/v1/follow_requests", memberWith("read:follows"), async (c) => {
    const ids = (await pendingFollowRequests(c.var.deps.db, memberOf(c))).map((r) => r.id);
    return c.json(await accountEntities(c.var.deps.db, c.var.deps.config.origin, ids));
  });

  for (const [name, answer] of [["authorize", approveFollowRequest], ["reject", declineFollowRequest]] as const) {
    app.post(`/api/v1/follow_requests/:id{[0-9]+}/${name}`, memberWith("write:follows"), async (c) => {
      const id = parseId(c.req.param("id"));
      if (id === null) return apiError(c, 404, NOT_FOUND);
      try {
        await answer(c.var.deps.db, memberOf(c), id);
      } catch (error) {
        return refusalAnswer(c, error);
      }
      c.var.deps.log.info(`api: follow request ${name}`, { requestId: c.var.requestId, accountId: id });
      const [relationship] = await relationships(c.var.deps.db, memberOf(c), [id]);
      return c.json(relationshipEntity(relationship!));
    });
  }

  return app;
}
