/**
 * What happened in the camp that another part may need to act on. The domain records these
 * as jobs in the same transaction as the change; the federation module decides what, if
 * anything, leaves the server. The domain never calls federation itself.
 *
 * More than one part consumes the events (federation, webhooks): each event job is handed to
 * every consumer in turn, in a fixed order. A failure retries the event for all of them, so each
 * consumer must be idempotent (doing the same event twice changes nothing more).
 */
import type { Kysely } from "kysely";
import type { Database } from "../db/schema.ts";
import { enqueue } from "./queue.ts";
import type { JobHandler } from "./worker.ts";

export type DomainEvent =
  | { type: "post.created"; postId: number }
  | { type: "post.updated"; postId: number }
  /** The post row stays, with deleted_at set, so its audience and uri can still be read. */
  | { type: "post.deleted"; postId: number }
  | { type: "like.created"; likeId: number }
  | { type: "like.deleted"; accountId: number; postId: number; likeUri: string | null }
  | { type: "follow.created"; followId: number }
  | { type: "follow.accepted"; followId: number }
  | { type: "follow.rejected"; followerId: number; followeeId: number; followUri: string | null }
  | { type: "follow.deleted"; followerId: number; followeeId: number; followUri: string | null }
  | { type: "account.updated"; accountId: number }
  | { type: "block.created"; accountId: number; targetId: number }
  | { type: "block.deleted"; accountId: number; targetId: number }
  /** A member asked that their report about someone on another server be sent there too. */
  | { type: "report.forwarded"; reportId: number }
  /** A post from another server that replies to or mentions a member arrived. */
  | { type: "post.received"; postId: number }
  | { type: "member.joined"; accountId: number }
  /** A member voted on a poll from another server: the vote goes to the poll's author. */
  | { type: "poll.voted"; postId: number; accountId: number }
  /** A poll of this camp has new counts or closed: its new state goes where the post went. */
  | { type: "poll.changed"; postId: number }
  /** A member's account was deleted; `knownBy` are the remote accounts whose servers knew it. */
  | { type: "account.deleted"; accountId: number; knownBy: number[] }
  /** A member moved to another account (accounts.moved_to_uri): followers elsewhere are told. */
  | { type: "account.moved"; accountId: number };

export const EVENT_JOB = "event";

export function recordEvent(db: Kysely<Database>, event: DomainEvent): Promise<void> {
  return enqueue(db, EVENT_JOB, event);
}

/** One part that acts on domain events. */
export interface EventConsumer {
  handle(event: DomainEvent): Promise<void>;
}

/** The job handler for events: hands each event to every consumer in order; a consumer's error (and its kind) stands for the job. */
export function eventDispatcher(consumers: EventConsumer[]): JobHandler {
  return {
    async run(payload) {
      for (const consumer of consumers) await consumer.handle(payload as DomainEvent);
    },
  };
}
