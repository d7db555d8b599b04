/**
 * A member's blocked domains for apps, as Mastodon's /api/v1/domain_blocks: the list (plain
 * domain names), block one, lift one. The same domain functions as the Settings page.
 */
import { Hono } from "hono";
import { blockDomain, blockedDomainsOf, unblockDomain } from "../../domain/domainBlocks/domainBlocks.ts";
import { memberOf, memberWith } from "./auth.ts";
import type { ApiEnv } from "./env.ts";
import { refusalAnswer } from "./errors.ts";
import { readParams } from "./params.ts";

export function domainBlocksApi() {
  const app = new Hono<ApiEnv>();

  app.get("/api/v1/domain_blocks", memberWith("read:blocks"), async (c) => c.json(await blockedDomainsOf(c.var.deps.db, memberOf(c))));

  app.post("/api/v1/domain_blocks", memberWith("write:blocks"), async (c) => {
    try {
      await blockDomain(c.var.deps.db, memberOf(c), (await readParams(c)).text("domain") ?? "", c.var.deps.config.domain);
    } catch (error) {
      return refusalAnswer(c, error);
    }
    return c.json({});
  });

  app.delete("/api/v1/domain_blocks", memberWith("write:blocks"), async (c) => {
    await unblockDomain(c.var.deps.db, memberOf(c), (await readParams(c)).text("domain") ?? "");
    return c.json({});
  });

  return app;
}
