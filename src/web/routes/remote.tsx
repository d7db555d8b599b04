/**
 * Following outwards: look someone up by handle or URL (WebFinger, then their actor), see their
 * profile here, and follow, unfollow or block them; and answering follow requests when a member
 * approves followers themselves. Works as plain forms without JavaScript.
 */
import { type Context, Hono } from "hono";
import type { WebEnv } from "../env.ts";
import { follow, followState, unfollow } from "../../domain/follows/follow.ts";
import { blockAccount, blocks, unblockAccount } from "../../domain/remote/blocks.ts";
import { approveFollowRequest, declineFollowRequest, pendingFollowRequests, setApprovesFollowers } from "../../domain/remote/followRequests.ts";
import { profileStream } from "../../domain/timelines/streams.ts";
import { viewerOf } from "../../domain/posts/visibility.ts";
import { Refusal } from "../../domain/errors.ts";
import { lookupAccount } from "../../federation/lookup.ts";
import { FetchRefused } from "../../federation/safeFetch.ts";
import { movedToPlace } from "../../federation/urls.ts";
import { movedToOf } from "../../domain/moving/movedTo.ts";
import { FollowRequestsPage, RemoteLookupPage, RemoteProfilePage } from "../../../views/pages/remote.tsx";
import { readForm } from "../forms.ts";
import { cursorOf } from "../htmx.ts";
import { pageContext, render, statusOf } from "../render.tsx";
import { requireMember } from "../session.ts";

async function remoteAccount(c: Context<WebEnv>, id: number) {
  return c.var.deps.db.selectFrom("accounts").selectAll().where("id", "=", id).where("domain", "is not", null)
    .where("deleted_at", "is", null).where("suspended_at", "is", null).executeTakeFirst();
}

export function remoteRoutes() {
  const app = new Hono<WebEnv>();
  app.use("/remote", requireMember);
  app.use("/remote/*", requireMember);

  app.get("/remote", async (c) => render(c, <RemoteLookupPage page={await pageContext(c)} query={c.req.query("q") ?? ""} />));

  app.post("/remote", async (c) => {
    const query = (await readForm(c)).text("query");
    try {
      const id = await lookupAccount(c.var.deps, query);
      return c.redirect(`/remote/${id}`, 303);
    } catch (error) {
      if (!(error instanceof FetchRefused)) throw error;
      c.var.deps.log.info("remote: lookup failed", { requestId: c.var.requestId, reason: error.message });
      const message = /^Type a handle/.test(error.message) ? error.message : `We could not find that account: ${error.message}`;
      return render(c, <RemoteLookupPage page={await pageContext(c)} query={query} error={message} />, 422);
    }
  });

  app.get("/remote/:id{[0-9]+}", async (c) => {
    const me = c.var.viewer!;
    const account = await remoteAccount(c, Number(c.req.param("id")));
    if (!account) return c.notFound();
    const db = c.var.deps.db;
    const url = new URL(c.req.url);
    const page = await profileStream(db, viewerOf(me), account.id, cursorOf(c));
    return render(c, <RemoteProfilePage page={await pageContext(c)} account={{
      id: account.id, handle: account.handle, domain: account.domain!, displayName: account.display_name, bioHtml: account.bio_html,
      avatarUrl: account.avatar_url, url: account.url, locked: account.locked === 1,
      follow: await followState(db, me.id, account.id), blocked: await blocks(db, me.id, account.id),
    }} stream={{ page, path: `/remote/${account.id}`, here: url.pathname + url.search, empty: "Nothing from this account here yet. Posts arrive once you follow them." }}
    moved={await movedToOf(db, movedToPlace(c.var.deps.config.origin, c.var.deps.config.domain), account.id)} />);
  });

  const action = (name: string, run: (c: Context<WebEnv>, me: number, target: number) => Promise<unknown>) =>
    app.post(`/remote/:id{[0-9]+}/${name}`, async (c) => {
      const account = await remoteAccount(c, Number(c.req.param("id")));
      if (!account) return c.notFound();
      try {
        await run(c, c.var.viewer!.id, account.id);
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        c.var.deps.log.info(`remote: ${name} refused`, { requestId: c.var.requestId, reason: error.message });
        if (error.kind !== "conflict") return c.text(error.message, statusOf(error));
      }
      c.var.deps.log.info(`remote: ${name}`, { requestId: c.var.requestId, accountId: account.id });
      return c.redirect(`/remote/${account.id}`, 303);
    });
  action("follow", (c, me, target) => follow(c.var.deps.db, me, target));
  action("unfollow", (c, me, target) => unfollow(c.var.deps.db, me, target));
  action("block", (c, me, target) => blockAccount(c.var.deps.db, me, target));
  action("unblock", (c, me, target) => unblockAccount(c.var.deps.db, me, target));

  app.use("/follow-requests", requireMember);
  app.use("/follow-requests/*", requireMember);

  app.get("/follow-requests", async (c) => {
    const db = c.var.deps.db;
    const me = c.var.viewer!;
    const account = await db.selectFrom("accounts").select("locked").where("id", "=", me.id).executeTakeFirstOrThrow();
    const requests = (await pendingFollowRequests(db, me.id)).map((r) => ({
      id: r.id, name: r.display_name || r.handle, acct: `@${r.handle}${r.domain ? `@${r.domain}` : ""}`,
    }));
    return render(c, <FollowRequestsPage page={await pageContext(c)} approves={account.locked === 1} requests={requests} notice={REQUEST_NOTICES[c.req.query("notice") ?? ""]} />);
  });

  app.post("/follow-requests/settings", async (c) => {
    const form = await readForm(c);
    await setApprovesFollowers(c.var.deps.db, c.var.viewer!.id, form.text("approves") === "1");
    return c.redirect("/follow-requests?notice=saved", 303);
  });

  for (const [name, answer] of [["approve", approveFollowRequest], ["decline", declineFollowRequest]] as const) {
    app.post(`/follow-requests/:id{[0-9]+}/${name}`, async (c) => {
      try {
        await answer(c.var.deps.db, c.var.viewer!.id, Number(c.req.param("id")));
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        return c.text(error.message, statusOf(error));
      }
      c.var.deps.log.info(`follow request: ${name}`, { requestId: c.var.requestId });
      return c.redirect(`/follow-requests?notice=${name}`, 303);
    });
  }

  return app;
}

const REQUEST_NOTICES: Record<string, string> = { saved: "Saved.", approve: "Approved: they follow you now.", decline: "Declined." };
