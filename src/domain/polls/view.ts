/**
 * Polls as a page shows them, loaded for a whole page of posts at once: options with counts
 * (this camp's polls count their vote rows; others show their server's counts), whether the viewer
 * voted and for what, and whether results may be shown (after voting, once closed, or to the author).
 */
import { sql } from "kysely";
import { compiledOnce } from "../../db/compiledOnce.ts";
import type { Db } from "../../db/open.ts";
import { now } from "../clock.ts";
import { isClosed } from "./rules.ts";

export interface PollOptionView {
  position: number;
  title: string;
  votes: number;
}

export interface PollView {
  multiple: boolean;
  closesAt: number;
  closed: boolean;
  votersCount: number;
  options: PollOptionView[];
  /** Positions the viewer chose; empty when they have not voted. */
  myChoices: number[];
  /** Results are shown after voting, once closed, or to the author. */
  showResults: boolean;
  /** Whether the viewer may (still) vote: open, and on another server's poll only once. */
  canVote: boolean;
}

/** Asked for every page of posts (most have no poll, so this is often the only poll query): built once per page length (see compiledOnce). */
const pollsAmong = compiledOnce((db: Db, _shape: object, v: { ids: number[] }) => db.selectFrom("polls")
  .innerJoin("posts", "posts.id", "polls.post_id").innerJoin("accounts", "accounts.id", "posts.author_id")
  .select(["polls.post_id", "polls.multiple", "polls.closes_at", "polls.closed_at", "polls.voters_count", "posts.author_id", "accounts.domain"])
  .where("polls.post_id", "in", v.ids));

/** The polls among these posts, by post id, for this viewer (-1 for a visitor). */
export async function loadPolls(db: Db, viewerId: number, posts: { id: number; author_id: number }[]): Promise<Map<number, PollView>> {
  if (posts.length === 0) return new Map();
  const ids = posts.map((p) => p.id);
  const polls = await pollsAmong(db, {}, { ids });
  if (polls.length === 0) return new Map();
  const pollIds = polls.map((p) => p.post_id);
  const [options, counts, voters, mine] = await Promise.all([
    db.selectFrom("poll_options").selectAll().where("poll_id", "in", pollIds).orderBy("poll_id").orderBy("position").execute(),
    db.selectFrom("poll_votes").select(["poll_id", "position", sql<number>`count(*)`.as("n")]).where("poll_id", "in", pollIds).groupBy(["poll_id", "position"]).execute(),
    db.selectFrom("poll_votes").select(["poll_id", sql<number>`count(distinct account_id)`.as("n")]).where("poll_id", "in", pollIds).groupBy("poll_id").execute(),
    db.selectFrom("poll_votes").select(["poll_id", "position"]).where("poll_id", "in", pollIds).where("account_id", "=", viewerId).execute(),
  ]);
  const at = now();
  return new Map(polls.map((poll) => {
    const remote = poll.domain !== null;
    const counted = (position: number) => Number(counts.find((c) => c.poll_id === poll.post_id && c.position === position)?.n ?? 0);
    const myChoices = mine.filter((m) => m.poll_id === poll.post_id).map((m) => m.position);
    const closed = isClosed(poll, at);
    const view: PollView = {
      multiple: poll.multiple === 1,
      closesAt: poll.closes_at,
      closed,
      votersCount: remote ? poll.voters_count : Number(voters.find((v) => v.poll_id === poll.post_id)?.n ?? 0),
      options: options.filter((o) => o.poll_id === poll.post_id).map((o) => ({ position: o.position, title: o.title, votes: remote ? o.votes_count : counted(o.position) })),
      myChoices,
      showResults: closed || myChoices.length > 0 || poll.author_id === viewerId,
      canVote: viewerId > 0 && !closed && !(remote && myChoices.length > 0),
    };
    return [poll.post_id, view];
  }));
}
