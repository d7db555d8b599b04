/** The job handler for domain events: each event becomes the activities (if any) that leave the server. */
import type { Deps } from "../../web/env.ts";
import type { DomainEvent } from "../../jobs/events.ts";
import type { JobHandler } from "../../jobs/worker.ts";
import { onPostEvent } from "./postEvents.ts";
import { onReportForwarded } from "./reportEvents.ts";
import { onPollChanged, onPollVoted } from "./pollEvents.ts";
import { onAccountDeleted } from "./accountDeleted.ts";
import { onAccountMoved } from "./accountMoved.ts";
import { onAccountUpdated, onBlockChanged, onFollowCreated, onFollowDeleted, onLikeCreated, onLikeDeleted, sendAccept, sendReject } from "./socialEvents.ts";

export function eventHandler(deps: Deps): JobHandler {
  return {
    async run(payload) {
      const event = payload as DomainEvent;
      switch (event.type) {
        case "post.created":
          return onPostEvent(deps, "created", event.postId);
        case "post.updated":
          return onPostEvent(deps, "updated", event.postId);
        case "post.deleted":
          return onPostEvent(deps, "deleted", event.postId);
        case "like.created":
          return onLikeCreated(deps, event.likeId);
        case "like.deleted":
          return onLikeDeleted(deps, event.accountId, event.postId, event.likeUri);
        case "follow.created":
          return onFollowCreated(deps, event.followId);
        case "follow.accepted":
          return sendAccept(deps, event.followId);
        case "follow.rejected":
          return sendReject(deps, event.followerId, event.followeeId, event.followUri);
        case "follow.deleted":
          return onFollowDeleted(deps, event.followerId, event.followeeId, event.followUri);
        case "account.updated":
          return onAccountUpdated(deps, event.accountId);
        case "block.created":
          return onBlockChanged(deps, true, event.accountId, event.targetId);
        case "block.deleted":
          return onBlockChanged(deps, false, event.accountId, event.targetId);
        case "report.forwarded":
          return onReportForwarded(deps, event.reportId);
        case "poll.voted":
          return onPollVoted(deps, event.postId, event.accountId);
        case "poll.changed":
          return onPollChanged(deps, event.postId);
        case "account.deleted":
          return onAccountDeleted(deps, event.accountId, event.knownBy);
        case "account.moved":
          return onAccountMoved(deps, event.accountId);
        default:
          deps.log.debug("federation: event ignored", { event });
      }
    },
  };
}
