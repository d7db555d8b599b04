/** Exclusive lists take their people out of the member's Home: the rule, as SQL for Home's query. */
import type { ExpressionBuilder, Expression, SqlBool } from "kysely";
import type { Database } from "../../db/schema.ts";

/**
 * For Home's set of followed accounts: the followee is in none of the member's exclusive lists.
 * Reads the member's lists by lists_account, then each list's people by its key; never a whole table.
 */
export function notInExclusiveLists(memberId: number) {
  return (eb: ExpressionBuilder<Database, "follows">): Expression<SqlBool> =>
    eb("follows.followee_id", "not in", eb.selectFrom("lists").innerJoin("list_members", "list_members.list_id", "lists.id")
      .select("list_members.account_id").where("lists.account_id", "=", memberId).where("lists.exclusive", "=", 1));
}
