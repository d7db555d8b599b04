/**
 * GET /api/v1/conversations: Kith's direct posts as Mastodon's conversations, one per thread, newest
 * first by its last direct post (paged by that post's id), with the people in it. Kith keeps no
 * read state for conversations, so `unread` is always false.
 */
import { Hono } from "hono";
import { accountCards } from "../../domain/accounts/cards.ts";
import { directConversations } from "../../domain/conversations/direct.ts";
import { memberOf, memberWith } from "./auth.ts";
import type { ApiEnv } from "./env.ts";
import { accountEntity } from "./entities/account.ts";
import { statusEntities } from "./entities/status.ts";
import { apiError } from "./errors.ts";
import { pageOf, readPaging, setLinkHeader } from "./paging.ts";

export function conversationsApi() {
  const app = new Hono<ApiEnv>();

  app.get("/api/v1/conversations", memberWith("read:statuses"), async (c) => {
    const paging = readPaging(c);
    if (typeof paging === "string") return apiError(c, 400, paging);
    const { db, config } = c.var.deps;
    const me = memberOf(c);
    const conversations = await pageOf(paging, (before, limit) => directConversations(db, me, before, limit), (x) => x.lastPostId);
    const [statuses, cards] = await Promise.all([
      statusEntities(db, config.origin, { kind: "member", accountId: me }, conversations.map((x) => x.lastPostId)),
      accountCards(db, conversations.flatMap((x) => x.participantIds)),
    ]);
    const byId = new Map(statuses.map((s) => [s.id, s]));
    setLinkHeader(c, conversations.map((x) => x.lastPostId), config.origin);
    return c.json(conversations.flatMap((x) => {
      const status = byId.get(String(x.lastPostId));
      if (!status) return [];
      const accounts = x.participantIds.flatMap((id) => { const card = cards.get(id); return card ? [accountEntity(config.origin, card)] : []; });
      return [{ id: String(x.rootId), unread: false, accounts, last_status: status }];
    }));
  });

  return app;
}
