/**
 * Move: a remote account that members here follow moved to a new account. The new account is
 * fetched fresh and must list the old one in `alsoKnownAs`; the domain's rules decide the rest
 * (cooldown, loops). An ignored move is logged and answered 202 like any other: nothing to retry.
 */
import { followMove } from "../../domain/moving/moveIn.ts";
import { freshAccount } from "../freshAccount.ts";
import { FetchRefused } from "../safeFetch.ts";
import { idOf } from "../vocab/read.ts";
import { type InboxContext, InboxRefusal } from "./context.ts";

export async function onMove(ctx: InboxContext): Promise<void> {
  const { deps, activity } = ctx;
  if (idOf(activity.object) !== ctx.actorUri) throw new InboxRefusal(403, "an actor may only move itself");
  const targetUri = idOf(activity.target);
  if (!targetUri) throw new InboxRefusal(400, "the Move has no target");
  let target;
  try {
    target = await freshAccount(deps, { uri: targetUri });
  } catch (error) {
    if (!(error instanceof FetchRefused)) throw error;
    deps.log.info("federation: move ignored", { from: ctx.actorUri, to: targetUri, reason: `the new account cannot be fetched: ${error.message}` });
    return;
  }
  const outcome = await followMove(deps.db, { id: ctx.actorId, uri: ctx.actorUri }, target);
  if ("ignored" in outcome) deps.log.info("federation: move ignored", { from: ctx.actorUri, to: targetUri, reason: outcome.ignored });
  else deps.log.info("federation: move followed", { from: ctx.actorUri, to: targetUri });
}
