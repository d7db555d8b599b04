/**
 * Starting an import: the file's rows are stored with the import in one transaction, and a job
 * is queued to work through them in batches. Stored rows are what makes a crash harmless: the
 * job picks up at the first row without a result.
 */
import type { Db } from "../../db/open.ts";
import type { ImportKind } from "../../db/schema.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { enqueue } from "../../jobs/queue.ts";
import { readImportFile } from "./csvFile.ts";

export const IMPORT_JOB = "import";
export const IMPORT_KINDS: readonly ImportKind[] = ["follows", "blocks", "mutes", "domain_blocks", "lists", "bookmarks"];

export interface ImportJob {
  importId: number;
}

/** Rows written per statement: SQLite takes at most 32,766 parameters in one. */
const INSERT_BATCH = 1000;

export function isImportKind(value: string): value is ImportKind {
  return (IMPORT_KINDS as readonly string[]).includes(value);
}

/** Checks and stores an uploaded CSV and queues its processing; returns the import's id. */
export async function startImport(db: Db, accountId: number, kind: string, fileName: string, bytes: Uint8Array | null): Promise<number> {
  if (!isImportKind(kind)) return refuse("invalid", "Choose what the file holds: follows, blocks, mutes, domain blocks, lists or bookmarks.", "kind");
  if (!bytes) return refuse("invalid", "Choose a CSV file to import.", "file");
  const rows = readImportFile(kind, bytes);
  return db.transaction().execute(async (trx) => {
    const created = await trx.insertInto("imports")
      .values({ account_id: accountId, kind, file_name: fileName.slice(0, 200), total_rows: rows.length, created_at: now() })
      .returning("id").executeTakeFirstOrThrow();
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      await trx.insertInto("import_rows").values(rows.slice(i, i + INSERT_BATCH).map((row, j) => ({
        import_id: created.id,
        row_no: i + j + 1,
        target: row.target,
        options: JSON.stringify(row.options),
      }))).execute();
    }
    const job: ImportJob = { importId: created.id };
    await enqueue(trx, IMPORT_JOB, job, { dedupeKey: `${IMPORT_JOB} ${created.id} 0` });
    return created.id;
  });
}
