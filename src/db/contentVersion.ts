/**
 * A stamp that changes whenever the database file may have changed, by this process or any other:
 * `total_changes()` counts the rows this connection has written, and `data_version` moves when
 * another connection (another HTTP worker, the queue process, the CLI) commits. Reading both is one
 * statement of a few microseconds, which is what lets the page cache (src/web/pageCache.ts) trust a
 * page it drew a moment ago without knowing which tables the page was drawn from.
 */
import { CompiledQuery } from "kysely";
import type { Db } from "./open.ts";

const STAMP = CompiledQuery.raw("select total_changes() as own, (select data_version from pragma_data_version) as others");

/** Equal stamps from the same connection mean no write reached the file in between. */
export async function contentVersion(db: Db): Promise<string> {
  const [row] = (await db.executeQuery<{ own: number; others: number }>(STAMP)).rows;
  return `${row!.own}.${row!.others}`;
}
