/**
 * GET /api/v2/search on issue 10's search: accounts, hashtags and statuses the member may see, each
 * the function the search page calls (FTS5 with the gate's visibleTo in the same SQL). With
 * `resolve=true`, `@user@server` is looked up on its server as the Find people page does. Kith pages
 * search by its own cursor, so `offset` beyond the first page answers nothing more.
 */
import { Hono } from "hono";
import { searchPeople, searchTags } from "../../domain/search/people.ts";
import { searchPosts } from "../../domain/search/posts.ts";
import { searchTerms } from "../../domain/search/terms.ts";
import { lookupAccount } from "../../federation/lookup.ts";
import { FetchRefused } from "../../federation/safeFetch.ts";
import { memberOf, memberWith } from "./auth.ts";
import type { ApiEnv } from "./env.ts";
import { accountEntities } from "./entities/account.ts";
import { itemsToStatuses } from "./entities/status.ts";
import { tagEntity } from "./entities/tag.ts";
import { refusalAnswer } from "./errors.ts";

const ACCT = /^@?[^@\s/]+@[^@\s/]+$/;

export function searchApi() {
  const app = new Hono<ApiEnv>();

  app.get("/api/v2/search", memberWith("read:search"), async (c) => {
    const { deps } = c.var;
    const q = (c.req.query("q") ?? "").trim();
    const type = c.req.query("type");
    const limit = Math.min(Math.max(Number(c.req.query("limit")) || 20, 1), 40);
    const wants = (kind: string) => !type || type === kind;
    const viewer = { kind: "member" as const, accountId: memberOf(c) };
    if (Number(c.req.query("offset")) > 0) return c.json({ accounts: [], statuses: [], hashtags: [] });
    try {
      const terms = searchTerms(q);
      let accountIds = wants("accounts") ? (await searchPeople(deps.db, viewer, terms, limit)).map((a) => a.id) : [];
      if (wants("accounts") && accountIds.length === 0 && c.req.query("resolve") === "true" && ACCT.test(q)) {
        try {
          accountIds = [await lookupAccount(deps, q)];
        } catch (error) {
          if (!(error instanceof FetchRefused)) throw error;
          deps.log.info("api: search lookup failed", { requestId: c.var.requestId, reason: error.message });
        }
      }
      const tags = wants("hashtags") ? await searchTags(deps.db, viewer, terms, limit) : [];
      const hits = wants("statuses") && terms.match ? (await searchPosts(deps.db, viewer, terms, {}, null, limit)).hits : [];
      return c.json({
        accounts: await accountEntities(deps.db, deps.config.origin, accountIds),
        statuses: await itemsToStatuses(deps.db, deps.config.origin, memberOf(c), hits.map((h) => h.item)),
        hashtags: tags.map((name) => tagEntity(deps.config.origin, name)),
      });
    } catch (error) {
      return refusalAnswer(c, error);
    }
  });

  return app;
}
