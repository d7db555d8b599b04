/**
 * The member's relations as CSV, in the shapes Mastodon exports and imports (its Export model):
 * follows with `Account address,Show boosts,Notify on new posts,Languages`; blocks as one address
 * per line without a header; mutes with `Account address,Hide notifications`; lists as
 * `list title,account address` lines without a header; domain blocks as one domain per line under
 * `#domain` (the header Mastodon's import reads); bookmarks as one post id per line, newest first,
 * without a header (only posts the member may still see). Followers and muted words have no
 * Mastodon file; ours keep the same style.
 */
import { sql } from "kysely";
import type { Db } from "../../db/open.ts";
import { blockedDomainsOf } from "../domainBlocks/domainBlocks.ts";
import { bookmarkedPostUris } from "./archivePosts.ts";

/** One CSV line (RFC 4180): fields with commas, quotes or line breaks are quoted. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(",")}\n`;
}

export type CsvFile = "following_accounts.csv" | "followers.csv" | "blocked_accounts.csv" | "muted_accounts.csv" | "muted_words.csv" | "lists.csv"
  | "domain_blocks.csv" | "bookmarks.csv";
export const CSV_FILES: readonly CsvFile[] = [
  "following_accounts.csv", "followers.csv", "blocked_accounts.csv", "muted_accounts.csv", "muted_words.csv", "lists.csv", "domain_blocks.csv", "bookmarks.csv",
];

/** What the CSVs need of the camp: its domain (for members' addresses) and its posts' ids. */
export interface CsvPlace {
  localDomain: string;
  postUri(postId: number): string;
}

/** `user@domain` for anyone, with our own domain for members, as Mastodon writes local accounts. */
const address = (handle: string, domain: string | null, localDomain: string) => `${handle}@${domain ?? localDomain}`;

const PAGE = 1000;

/** Yields the lines of one CSV file, reading the database a page at a time. */
export async function* csvLines(db: Db, file: CsvFile, accountId: number, place: CsvPlace): AsyncGenerator<string> {
  const { localDomain } = place;
  switch (file) {
    case "following_accounts.csv": {
      yield csvLine(["Account address", "Show boosts", "Notify on new posts", "Languages"]);
      const hidden = new Set((await db.selectFrom("mutes").select("target_id").where("account_id", "=", accountId).where("kind", "=", "hide_boosts").execute()).map((m) => m.target_id));
      for await (const row of paged(db, "follows.follower_id", "follows.followee_id", accountId)) {
        yield csvLine([address(row.handle, row.domain, localDomain), String(!hidden.has(row.id)), "false", ""]);
      }
      return;
    }
    case "followers.csv":
      yield csvLine(["Account address"]);
      for await (const row of paged(db, "follows.followee_id", "follows.follower_id", accountId)) yield csvLine([address(row.handle, row.domain, localDomain)]);
      return;
    case "blocked_accounts.csv": {
      const rows = await db.selectFrom("blocks").innerJoin("accounts", "accounts.id", "blocks.target_id").select(["accounts.handle", "accounts.domain"])
        .where("blocks.account_id", "=", accountId).where("accounts.deleted_at", "is", null).orderBy("blocks.created_at", "desc").execute();
      for (const row of rows) yield csvLine([address(row.handle, row.domain, localDomain)]);
      return;
    }
    case "muted_accounts.csv": {
      yield csvLine(["Account address", "Hide notifications"]);
      const rows = await db.selectFrom("mutes").innerJoin("accounts", "accounts.id", "mutes.target_id").select(["accounts.handle", "accounts.domain"])
        .where("mutes.account_id", "=", accountId).where("mutes.kind", "=", "mute").where("accounts.deleted_at", "is", null).orderBy("mutes.created_at", "desc").execute();
      for (const row of rows) yield csvLine([address(row.handle, row.domain, localDomain), "true"]);
      return;
    }
    case "muted_words.csv": {
      yield csvLine(["Word", "Action"]);
      const rows = await db.selectFrom("muted_words").select(["word", "action"]).where("account_id", "=", accountId).orderBy("id").execute();
      for (const row of rows) yield csvLine([row.word, row.action]);
      return;
    }
    case "lists.csv": {
      const rows = await db.selectFrom("lists").innerJoin("list_members", "list_members.list_id", "lists.id")
        .innerJoin("accounts", "accounts.id", "list_members.account_id").select(["lists.title", "accounts.handle", "accounts.domain"])
        .where("lists.account_id", "=", accountId).where("accounts.deleted_at", "is", null).orderBy("lists.id").orderBy(sql`list_members.rowid`).execute();
      for (const row of rows) yield csvLine([row.title, address(row.handle, row.domain, localDomain)]);
      return;
    }
    case "domain_blocks.csv":
      yield csvLine(["#domain"]);
      for (const domain of await blockedDomainsOf(db, accountId)) yield csvLine([domain]);
      return;
    case "bookmarks.csv":
      for await (const uris of bookmarkedPostUris(db, place, accountId)) for (const uri of uris) yield csvLine([uri]);
      return;
  }
}

/** Accepted follows on one side of `accountId`, newest first, a page at a time. */
async function* paged(db: Db, mine: "follows.follower_id" | "follows.followee_id", theirs: "follows.follower_id" | "follows.followee_id", accountId: number) {
  let before = Number.MAX_SAFE_INTEGER;
  for (;;) {
    const rows = await db.selectFrom("follows").innerJoin("accounts", "accounts.id", theirs)
      .select(["follows.id as followId", "accounts.id", "accounts.handle", "accounts.domain"])
      .where(mine, "=", accountId).where("follows.state", "=", "accepted").where("accounts.deleted_at", "is", null)
      .where("follows.id", "<", before).orderBy("follows.id", "desc").limit(PAGE).execute();
    yield* rows;
    if (rows.length < PAGE) return;
    before = rows[rows.length - 1]!.followId;
  }
}
