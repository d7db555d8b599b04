/**
 * A member's report about someone on another server, sent there as a Flag from the instance
 * actor (as Mastodon forwards reports: the reporter is not named). It names the account and
 * the reported posts; if the gate keeps any of them in the camp, nothing is sent at all.
 */
import type { Deps } from "../../web/env.ts";
import { mayLeaveServer } from "../../domain/audience.ts";
import { activity } from "../vocab/activities.ts";
import { instanceActorAccountId } from "../localActors.ts";
import { instanceActorUri } from "../urls.ts";
import { enqueueDeliveries } from "./deliver.ts";
import { inboxesOf } from "./recipients.ts";

export async function onReportForwarded(deps: Deps, reportId: number): Promise<void> {
  const { db, config } = deps;
  const report = await db.selectFrom("reports").innerJoin("accounts as target", "target.id", "reports.target_id")
    .select(["reports.id", "reports.comment", "reports.post_ids", "target.id as target_id", "target.uri as target_uri", "target.domain"])
    .where("reports.id", "=", reportId).executeTakeFirst();
  if (!report || report.domain === null || !report.target_uri) return;
  const postIds = JSON.parse(report.post_ids) as number[];
  const posts = postIds.length === 0 ? [] : await db.selectFrom("posts").innerJoin("accounts", "accounts.id", "posts.author_id")
    .select(["posts.uri", "posts.audience", "posts.author_id", "accounts.suspended_at"]).where("posts.id", "in", postIds).execute();
  const outside = posts.filter((p) => p.author_id === report.target_id && p.uri !== null && mayLeaveServer(p, p));
  if (outside.length !== postIds.length) {
    deps.log.info("federation: report not forwarded, it names posts that stay in the camp", { reportId });
    return;
  }
  const actor = instanceActorUri(config.origin);
  const flag = activity("Flag", `${actor}#reports/${report.id}`, actor, [report.target_uri, ...outside.map((p) => p.uri!)], { content: report.comment });
  const inboxes = await inboxesOf(db, [report.target_id]);
  await enqueueDeliveries(db, await instanceActorAccountId(db), flag, inboxes);
  deps.log.info("federation: queued", { activity: "Flag", reportId, inboxes: inboxes.length });
}
