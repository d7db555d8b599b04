/**
 * The operator's onboarding checklist per member, derived from what the member has done,
 * so it can never disagree with the data.
 */
import { sql } from "kysely";
import type { Db } from "../../db/open.ts";

export interface Checklist {
  profileFilledIn: boolean;
  firstPost: boolean;
  firstFollow: boolean;
}

export async function checklistsFor(db: Db): Promise<Map<number, Checklist>> {
  const rows = await db
    .selectFrom("members")
    .innerJoin("accounts", "accounts.id", "members.account_id")
    .select([
      "accounts.id",
      sql<number>`(accounts.bio_source != '' or accounts.avatar_media_id is not null)`.as("profile"),
      sql<number>`exists (select 1 from posts where posts.author_id = accounts.id and posts.boost_of_id is null)`.as("posted"),
      sql<number>`exists (select 1 from follows where follows.follower_id = accounts.id)`.as("followed"),
    ])
    .execute();
  return new Map(rows.map((r) => [r.id, { profileFilledIn: !!r.profile, firstPost: !!r.posted, firstFollow: !!r.followed }]));
}
