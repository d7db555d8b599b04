/**
 * What a poll may be: 2 to 8 distinct options of up to 100 characters, single or multiple choice,
 * closing between 5 minutes and 30 days from now (Mastodon's own bounds). Polls from other servers
 * are kept only within wider caps, so a hostile Question cannot make a page slow.
 */
import { refuse } from "../errors.ts";

export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 8;
export const MAX_OPTION_CHARS = 100;
export const MIN_DURATION_MS = 5 * 60_000;
export const MAX_DURATION_MS = 30 * 24 * 3600_000;
/** Remote polls with more options, or longer option names, are stored without their poll. */
export const MAX_REMOTE_OPTIONS = 20;
export const MAX_REMOTE_OPTION_CHARS = 200;

export interface PollInput {
  options: string[];
  multiple: boolean;
  /** When voting ends (ms since the epoch). */
  closesAt: number;
}

/** A poll as it will be stored, or a refusal naming the `poll` field. */
export function checkPoll(input: PollInput, at: number): PollInput {
  const options = input.options.map((o) => o.trim()).filter(Boolean);
  if (options.length < MIN_OPTIONS) refuse("invalid", `A poll needs at least ${MIN_OPTIONS} options.`, "poll");
  if (options.length > MAX_OPTIONS) refuse("invalid", `A poll has at most ${MAX_OPTIONS} options.`, "poll");
  if (options.some((o) => [...o].length > MAX_OPTION_CHARS)) refuse("invalid", `Each poll option is at most ${MAX_OPTION_CHARS} characters.`, "poll");
  if (new Set(options.map((o) => o.toLowerCase())).size !== options.length) refuse("invalid", "Each poll option must be different from the others.", "poll");
  if (!Number.isFinite(input.closesAt) || input.closesAt < at + MIN_DURATION_MS) refuse("invalid", "A poll stays open for at least 5 minutes.", "poll");
  if (input.closesAt > at + MAX_DURATION_MS) refuse("invalid", "A poll closes within 30 days.", "poll");
  return { options, multiple: input.multiple, closesAt: input.closesAt };
}

/** Whether voting has ended. */
export const isClosed = (poll: { closes_at: number; closed_at: number | null }, at: number): boolean =>
  poll.closed_at !== null || at >= poll.closes_at;
