/** What a member sees of their imports: each file's progress, and row by row what happened. */
import { sql } from "kysely";
import type { Db } from "../../db/open.ts";
import type { ImportResult } from "../../db/schema.ts";
import { refuse } from "../errors.ts";

/** Rows shown on one page of an import's results. */
export const ROWS_PER_PAGE = 200;

/** A member's imports with how many of their rows are done. */
function summaries(db: Db, accountId: number) {
  return db.selectFrom("imports")
    .select(["imports.id", "imports.kind", "imports.file_name", "imports.total_rows", "imports.created_at", "imports.finished_at",
      sql<number>`(select count(*) from import_rows r where r.import_id = imports.id and r.result is not null)`.as("done_rows")])
    .where("account_id", "=", accountId);
}

/** The member's latest imports, newest first. */
export async function importsOf(db: Db, accountId: number) {
  return summaries(db, accountId).orderBy("id", "desc").limit(20).execute();
}

export type ImportSummary = Awaited<ReturnType<typeof importsOf>>[number];

/** One import of the member's: its summary, counts per result, and a page of rows after `afterRow`. */
export async function importProgress(db: Db, accountId: number, importId: number, afterRow: number) {
  const summary = await summaries(db, accountId).where("id", "=", importId).executeTakeFirst();
  if (!summary) return refuse("not_found", "There is no such import.");
  const [counts, rows] = await Promise.all([
    db.selectFrom("import_rows").select(["result", (eb) => eb.fn.countAll<number>().as("n")]).where("import_id", "=", importId).where("result", "is not", null).groupBy("result").execute(),
    db.selectFrom("import_rows").select(["row_no", "target", "result", "detail"]).where("import_id", "=", importId).where("row_no", ">", afterRow)
      .orderBy("row_no").limit(ROWS_PER_PAGE).execute(),
  ]);
  return {
    summary,
    counts: Object.fromEntries(counts.map((c) => [c.result, Number(c.n)])) as Partial<Record<ImportResult, number>>,
    rows,
    nextAfter: rows.length === ROWS_PER_PAGE ? rows[rows.length - 1]!.row_no : null,
  };
}
