/**
 * A Question's poll in the shape Mastodon sends: options under oneOf (single choice) or anyOf
 * (multiple), each with replies.totalItems as its count; endTime, closed and votersCount. Too many
 * options are not even read (the post is kept without its poll); the domain caps the rest.
 */
import type { RemotePoll } from "../../domain/polls/remote.ts";
import { MAX_DURATION_MS, MAX_REMOTE_OPTIONS } from "../../domain/polls/rules.ts";
import { asList, isObject, type Json, text, typeOf } from "./read.ts";

const countOf = (value: unknown): number => (typeof value === "number" && Number.isSafeInteger(value) && value > 0 ? value : 0);
const timeOf = (value: unknown): number | null => {
  const at = Date.parse(text(value) ?? "");
  return Number.isNaN(at) ? null : at;
};

/** The poll of a Question, or null for anything else (or a Question without options, or with too many). */
export function pollOf(object: Json, publishedAt: number): RemotePoll | null {
  if (typeOf(object) !== "Question") return null;
  const multiple = object.anyOf !== undefined && object.anyOf !== null;
  const raw = asList(multiple ? object.anyOf : object.oneOf);
  if (raw.length === 0 || raw.length > MAX_REMOTE_OPTIONS) return null;
  const options = raw.map((o) => (isObject(o) ? { title: text(o.name) ?? "", votes: countOf(isObject(o.replies) ? o.replies.totalItems : 0) } : { title: "", votes: 0 }));
  // `closed` is a time (or, from some servers, just true); a poll without an end time runs as long as ours may.
  const closedAt = object.closed === true ? publishedAt : timeOf(object.closed);
  const closesAt = timeOf(object.endTime) ?? closedAt ?? publishedAt + MAX_DURATION_MS;
  const votersCount = countOf(object.votersCount) || (multiple ? 0 : options.reduce((sum, o) => sum + o.votes, 0));
  return { multiple, closesAt, closedAt, votersCount, options };
}
