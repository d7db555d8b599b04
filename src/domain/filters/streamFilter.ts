/**
 * The member's own filters as one SQL condition for streams over `posts`: no posts or boosts from
 * muted people, no boosts of muted people's posts, no boosts from people whose boosts are hidden,
 * no posts (or boosts of posts) containing a word muted with "hide", and nothing from or of
 * accounts the member blocked, one by one or by domain (audience.ts's `notFromBlocked`, which threads,
 * search and notifications apply alone).
 */
import { sql, type Expression, type SqlBool } from "kysely";
import { notFromBlocked } from "../audience.ts";

/** The text a muted word is looked for in: the content warning and the source (remote posts have only HTML). */
export const FILTER_TEXT = (alias: string) =>
  sql.raw(`(${alias}.content_warning || ' ' || case when ${alias}.source = '' then ${alias}.html else ${alias}.source end)`);

export function notFilteredFor(memberId: number): Expression<SqlBool> {
  return sql<SqlBool>`(
    ${notFromBlocked(memberId)}
    and not exists (select 1 from mutes mu where mu.account_id = ${memberId} and mu.target_id = posts.author_id and mu.kind = 'mute')
    and (posts.boost_of_id is null or not exists (
      select 1 from mutes mu where mu.account_id = ${memberId} and mu.target_id = posts.author_id and mu.kind = 'hide_boosts'))
    and (posts.boost_of_id is null or not exists (
      select 1 from posts o join mutes mu on mu.target_id = o.author_id
      where o.id = posts.boost_of_id and mu.account_id = ${memberId} and mu.kind = 'mute'))
    and not exists (
      select 1 from muted_words w left join posts o on o.id = posts.boost_of_id
      where w.account_id = ${memberId} and w.action = 'hide'
        and instr(lower(coalesce(${FILTER_TEXT("o")}, ${FILTER_TEXT("posts")})), lower(w.word)) > 0)
  )`;
}
