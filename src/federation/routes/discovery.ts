/** WebFinger (RFC 7033), host-meta and NodeInfo 2.0/2.1: how other servers find this camp and its members. */
import { Hono } from "hono";
import { sql } from "kysely";
import type { WebEnv } from "../../web/env.ts";
import { getCamp } from "../../domain/camp/settings.ts";
import { findLocalActor } from "../localActors.ts";
import { actorUri, INSTANCE_ACTOR_HANDLE, instanceActorUri, localActorHandle, profileUrl } from "../urls.ts";
import { ACTIVITY_JSON } from "../vocab/context.ts";
import { PUBLICLY_LISTED } from "../../domain/audience.ts";
import { cachedPublicDocument } from "../../web/pageCache.ts";

const NODEINFO = "http://nodeinfo.diaspora.software/ns/schema/";
const VERSION = "0.1.0";

export function discoveryRoutes() {
  const app = new Hono<WebEnv>();

  // The same answer for every asker (signed or not), so it is kept while nothing is written.
  app.get("/.well-known/webfinger", cachedPublicDocument(() => false), async (c) => {
    const { db, config } = c.var.deps;
    const resource = c.req.query("resource") ?? "";
    const handle = handleOf(resource, config.domain, config.origin);
    if (handle === null) return c.json({ error: "resource must be acct:handle@" + config.domain + " or one of our actor URLs" }, 400);
    const cors = { "access-control-allow-origin": "*" };
    if (handle.toLowerCase() === INSTANCE_ACTOR_HANDLE) {
      const href = instanceActorUri(config.origin);
      return c.body(JSON.stringify({ subject: `acct:${INSTANCE_ACTOR_HANDLE}@${config.domain}`, aliases: [href], links: [{ rel: "self", type: ACTIVITY_JSON, href }] }), 200, { "content-type": "application/jrd+json", ...cors });
    }
    const member = await findLocalActor(db, handle);
    if (!member || member.suspended_at !== null) return c.json({ error: "no such member" }, 404, cors);
    const self = actorUri(config.origin, member.handle);
    const page = profileUrl(config.origin, member.handle);
    return c.body(JSON.stringify({
      subject: `acct:${member.handle}@${config.domain}`,
      aliases: [self, page],
      links: [
        { rel: "self", type: ACTIVITY_JSON, href: self },
        { rel: "http://webfinger.net/rel/profile-page", type: "text/html", href: page },
      ],
    }), 200, { "content-type": "application/jrd+json", ...cors });
  });

  app.get("/.well-known/host-meta", (c) => {
    const template = `${c.var.deps.config.origin}/.well-known/webfinger?resource={uri}`;
    return c.body(`<?xml version="1.0" encoding="UTF-8"?>\n<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n  <Link rel="lrdd" type="application/jrd+json" template="${template}"/>\n</XRD>\n`, 200, { "content-type": "application/xrd+xml" });
  });

  app.get("/.well-known/nodeinfo", (c) => c.json({
    links: ["2.0", "2.1"].map((v) => ({ rel: `${NODEINFO}${v}`, href: `${c.var.deps.config.origin}/nodeinfo/${v}` })),
  }));

  app.get("/nodeinfo/:version{2\\.[01]}", async (c) => {
    const { db } = c.var.deps;
    const version = c.req.param("version");
    const camp = await getCamp(db);
    const users = await db.selectFrom("members").innerJoin("accounts", "accounts.id", "members.account_id")
      .select(sql<number>`count(*)`.as("n")).where("accounts.suspended_at", "is", null).executeTakeFirstOrThrow();
    const posts = await db.selectFrom("posts").innerJoin("accounts", "accounts.id", "posts.author_id")
      .select(sql<number>`count(*)`.as("n")).where("accounts.domain", "is", null).where("posts.deleted_at", "is", null)
      .where("posts.audience", "in", PUBLICLY_LISTED).executeTakeFirstOrThrow();
    return c.body(JSON.stringify({
      version,
      software: { name: "kith", version: VERSION },
      protocols: ["activitypub"],
      services: { inbound: [], outbound: [] },
      openRegistrations: false,
      usage: { users: { total: Number(users.n) }, localPosts: Number(posts.n) },
      metadata: { nodeName: camp.name, nodeDescription: camp.description },
    }), 200, { "content-type": `application/json; profile="${NODEINFO}${version}#"` });
  });

  return app;
}

/** The handle a WebFinger resource names on this camp, or null: acct:handle@domain, or an actor or profile URL of ours. */
function handleOf(resource: string, domain: string, origin: string): string | null {
  const acct = /^acct:@?([^@]+)@(.+)$/i.exec(resource);
  if (acct) return acct[2]!.toLowerCase() === domain ? acct[1]! : null;
  if (resource.startsWith(`${origin}/@`)) return resource.slice(origin.length + 2) || null;
  return localActorHandle(origin, resource);
}
