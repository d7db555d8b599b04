/** The queue lanes for moving data in and out: forgetting a deleted actor's keys, archives, CSV imports, carrying followers over after a move. */
import type { Deps } from "../web/env.ts";
import type { Lane } from "../jobs/worker.ts";
import { EXPORT_JOB } from "../domain/export/requests.ts";
import { exportHandler } from "../domain/export/build.ts";
import { IMPORT_JOB } from "../domain/import/start.ts";
import { importHandler } from "../domain/import/run.ts";
import { MOVE_FOLLOWERS_JOB, moveFollowersHandler } from "../domain/moving/followers.ts";
import { FORGET_KEYS_JOB, forgetKeysHandler } from "./outbound/accountDeleted.ts";
import { archiveLinks } from "./archiveLinks.ts";
import { accountResolver, postResolver } from "./importLookup.ts";

export function portabilityLanes(deps: Deps): Lane[] {
  return [
    { concurrency: 1, handlers: { [FORGET_KEYS_JOB]: forgetKeysHandler(deps) } },
    // Archives are built one at a time: each reads a member's whole history and writes a big file.
    { concurrency: 1, handlers: { [EXPORT_JOB]: exportHandler({ ...deps, ...deps.config }, archiveLinks(deps)) } },
    // Imports look accounts up on other servers: two at once, each job a batch of rows.
    { concurrency: 2, handlers: { [IMPORT_JOB]: importHandler(deps.db, deps.log, { account: accountResolver(deps), post: postResolver(deps), localDomain: deps.config.domain }) } },
    { concurrency: 1, handlers: { [MOVE_FOLLOWERS_JOB]: moveFollowersHandler(deps.db, deps.log) } },
  ];
}
