/** Following and unfollowing any account by id, and the follower and following lists of a member. */
import { Hono, type Context } from "hono";
import { Refusal } from "../../domain/errors.ts";
import { follow, unfollow } from "../../domain/follows/follow.ts";
import { followersOf, followingOf } from "../../domain/follows/lists.ts";
import { findMember } from "../../domain/members/directory.ts";
import { FollowListPage } from "../../../views/pages/profile.tsx";
import { ProblemPage } from "../../../views/pages/auth.tsx";
import type { WebEnv } from "../env.ts";
import { parseId } from "../htmx.ts";
import { pageContext, render, statusOf } from "../render.tsx";
import { requireMember } from "../session.ts";

/** Where to go back to after acting on an account: a member's profile, or Home. */
export async function accountPage(c: Context<WebEnv>, accountId: number): Promise<string> {
  const account = await c.var.deps.db.selectFrom("accounts").select(["handle", "domain"]).where("id", "=", accountId).executeTakeFirst();
  return account && account.domain === null ? `/@${account.handle}` : "/";
}

/** Runs an action on the account in the path and goes back, or shows why it was refused. */
export function accountAction(name: string, act: (c: Context<WebEnv>, me: number, target: number) => Promise<unknown>) {
  return async (c: Context<WebEnv>) => {
    const target = parseId(c.req.param("id"));
    try {
      if (target === null) throw new Refusal("not_found", "That person does not exist here.");
      await act(c, c.var.viewer!.id, target);
      c.var.deps.log.info(`account: ${name}`, { requestId: c.var.requestId, target });
      return c.redirect(await accountPage(c, target), 303);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      c.var.deps.log.info(`account: ${name} refused`, { requestId: c.var.requestId, target, reason: error.message });
      return render(c, <ProblemPage page={await pageContext(c)} title="That did not work" message={error.message} />, statusOf(error));
    }
  };
}

export function followRoutes() {
  const app = new Hono<WebEnv>();
  app.post("/accounts/:id/follow", requireMember, accountAction("follow", (c, me, target) => follow(c.var.deps.db, me, target)));
  app.post("/accounts/:id/unfollow", requireMember, accountAction("unfollow", (c, me, target) => unfollow(c.var.deps.db, me, target)));

  for (const [list, load, title] of [["followers", followersOf, "Followers of"], ["following", followingOf, "Followed by"]] as const) {
    // Hono cannot match "/@:handle" inside a segment, so the "@" is part of the parameter.
    app.get(`/:at{@[A-Za-z0-9_]+}/${list}`, requireMember, async (c) => {
      const member = await findMember(c.var.deps.db, c.req.param("at").slice(1));
      if (!member || member.suspended_at !== null) return c.notFound();
      const people = await load(c.var.deps.db, member.id);
      return render(c, <FollowListPage page={await pageContext(c)} title={`${title} ${member.display_name}`} back={`/@${member.handle}`} people={people} />);
    });
  }
  return app;
}
