/** A camp poll for the vote measurement, written into the data set like any member's post with a poll. */
import type { Database } from "bun:sqlite";
import type { DatasetMeta } from "./dataset/generate.ts";

const WEEK = 7 * 86_400_000;

/** Adds a camp-only poll by the busiest member (open for a week) and returns its post id. */
export function addBenchPoll(db: Database, meta: DatasetMeta): number {
  const author = db.prepare("select id from accounts where handle = ? and domain is null").get(meta.profileHandle) as { id: number };
  const at = Date.now();
  const post = db.prepare("insert into posts (author_id, audience, source, html, created_at) values (?, 'camp', ?, ?, ?) returning id")
    .get(author.id, "Where shall we meet on Saturday?", "<p>Where shall we meet on Saturday?</p>", at) as { id: number };
  db.prepare("insert into polls (post_id, multiple, closes_at) values (?, 0, ?)").run(post.id, at + WEEK);
  for (const [position, title] of ["The lake", "The market", "The old mill", "Nowhere, it will rain"].entries()) {
    db.prepare("insert into poll_options (poll_id, position, title) values (?, ?, ?)").run(post.id, position, title);
  }
  return post.id;
}
