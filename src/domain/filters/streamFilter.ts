/**
 * The member's own filters as one SQL condition for streams over `posts`: no posts or boosts from
 * muted people, no boosts of muted people's posts, no boosts from people whose boosts are hidden,
 * no posts (or boosts of posts) containing a word muted with "hide", and nothing from or of
 * accounts on a domain the member blocked (that rule also applies alone, to threads, search and
 * notifications).
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from "kysely";

/** The text a muted word is looked for in: the content warning and the source (remote posts have only HTML). */
export const FILTER_TEXT = (alias: string) =>
  sql.raw(`(${alias}.content_warning || ' ' || case when ${alias}.source = '' then ${alias}.html else ${alias}.source end)`);

export function notFilteredFor(memberId: number): Expression<SqlBool> {
  return sql<SqlBool>`(
    ${notFromBlockedDomain(memberId)}
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

/** True when the account (an id expression) is on a domain the member blocked. */
function onBlockedDomain(memberId: number, accountId: RawBuilder<unknown>) {
  return sql<SqlBool>`exists (
    select 1 from accounts a join member_domain_blocks d on d.domain = a.domain where a.id = ${accountId} and d.account_id = ${memberId})`;
}

/** No posts by accounts on a domain the member blocked, and no boosts of them. */
export function notFromBlockedDomain(memberId: number): Expression<SqlBool> {
  return sql<SqlBool>`(
    not ${onBlockedDomain(memberId, sql.ref("posts.author_id"))}
    and (posts.boost_of_id is null
      or not ${onBlockedDomain(memberId, sql`(select o.author_id from posts o where o.id = posts.boost_of_id)`)})
  )`;
}

/** The account (an id column such as `actors.id`) is not on a domain the member blocked: for notifications. */
export function accountNotDomainBlocked(memberId: number, accountIdColumn: string): Expression<SqlBool> {
  return sql<SqlBool>`not ${onBlockedDomain(memberId, sql.ref(accountIdColumn))}`;
}
