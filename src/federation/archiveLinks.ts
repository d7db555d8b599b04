/** The camp's ids for a member's archive: the archive names posts and actors as other servers know them. */
import type { Deps } from "../web/env.ts";
import type { ArchiveLinks } from "../domain/export/archiveJson.ts";
import { keysOf } from "./keys.ts";
import { actorFactsOf, findLocalActor } from "./localActors.ts";
import { actorUri, followersUri, postUri } from "./urls.ts";
import { actorDocument } from "./vocab/actor.ts";

export function archiveLinks(deps: Deps): ArchiveLinks {
  const { origin } = deps.config;
  return {
    postUri: (postId) => postUri(origin, postId),
    actorUri: (handle) => actorUri(origin, handle),
    followersUri: (handle) => followersUri(origin, handle),
    async actorDocument(accountId) {
      const account = await deps.db.selectFrom("accounts").select("handle").where("id", "=", accountId).executeTakeFirstOrThrow();
      const member = await findLocalActor(deps.db, account.handle);
      if (!member) throw new Error(`account ${accountId} is not a member`);
      return actorDocument(deps.config, actorFactsOf(deps.config, member), await keysOf(deps.db, accountId));
    },
  };
}
