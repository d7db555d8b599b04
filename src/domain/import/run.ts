/**
 * Working through an import, a batch of rows per job: each row's account is looked up (members
 * here, others by WebFinger through the lookup federation provides), then followed, blocked, muted
 * or put on a list (followed first if need be); a domain row is blocked for the member; a post's
 * address is looked up the same way and saved, when the member may see the post. Each row's
 * result is stored. A row that already holds is left as it is, so the same file twice changes nothing.
 * After a batch, the next one is queued; a crash repeats at most the row in hand, harmlessly.
 */
import type { Db } from "../../db/open.ts";
import type { ImportKind, ImportResult } from "../../db/schema.ts";
import type { Logger } from "../../log.ts";
import type { JobHandler } from "../../jobs/worker.ts";
import { enqueue } from "../../jobs/queue.ts";
import { now } from "../clock.ts";
import { Refusal } from "../errors.ts";
import { follow, followState } from "../follows/follow.ts";
import { addMute } from "../filters/mutes.ts";
import { blockAccount } from "../remote/blocks.ts";
import { blockDomain } from "../domainBlocks/domainBlocks.ts";
import { bookmarkPost } from "../bookmarks/bookmarks.ts";
import { isHttpUrl } from "../text/urls.ts";
import { addToList, listTitled } from "../lists/lists.ts";
import { type ImportOptions, isAccountAddress } from "./csvFile.ts";
import { IMPORT_JOB, type ImportJob } from "./start.ts";

/** Rows per job: small enough that other work (deliveries, other imports) runs in between. */
export const IMPORT_BATCH = 50;

/** What looking up an account address gave: the account, or why not. */
export type Resolved = { found: number } | { notFound: string } | { refused: string };

/** Looks up `user@domain` (members of this camp and accounts elsewhere alike). */
export type AccountResolver = (address: string) => Promise<Resolved>;

/** Looks up a post by its address (ours, one already stored, or one fetched from its server). */
export type PostResolver = (url: string) => Promise<Resolved>;

/** How an import finds what its rows name, and the camp's own domain (which a member cannot block). */
export interface ImportLookups {
  account: AccountResolver;
  post: PostResolver;
  localDomain: string;
}

interface Outcome {
  result: ImportResult;
  detail: string;
}

/** The job handler that processes the next batch of an import's rows. */
export function importHandler(db: Db, log: Logger, lookups: ImportLookups): JobHandler {
  return {
    async run(payload) {
      const { importId } = payload as ImportJob;
      const job = await db.selectFrom("imports").select(["account_id", "kind"]).where("id", "=", importId).executeTakeFirst();
      if (!job) return;
      const rows = await db.selectFrom("import_rows").select(["row_no", "target", "options"])
        .where("import_id", "=", importId).where("result", "is", null).orderBy("row_no").limit(IMPORT_BATCH).execute();
      for (const row of rows) {
        const options = JSON.parse(row.options) as ImportOptions;
        const outcome = job.kind === "domain_blocks" ? await importDomainBlock(db, job.account_id, row.target, lookups.localDomain)
          : job.kind === "bookmarks" ? await importBookmark(db, lookups.post, job.account_id, row.target)
          : await importRow(db, lookups.account, job.account_id, job.kind, row.target, options);
        await db.updateTable("import_rows").set({ result: outcome.result, detail: outcome.detail.slice(0, 300) })
          .where("import_id", "=", importId).where("row_no", "=", row.row_no).execute();
      }
      if (rows.length === IMPORT_BATCH) {
        await enqueue(db, IMPORT_JOB, payload, { dedupeKey: `${IMPORT_JOB} ${importId} ${rows[rows.length - 1]!.row_no}` });
        return;
      }
      await db.updateTable("imports").set({ finished_at: now() }).where("id", "=", importId).where("finished_at", "is", null).execute();
      log.info("import: finished", { importId, kind: job.kind });
    },
  };
}

/** A domain row: blocked for the member (again, harmlessly); a malformed domain or the camp's own fails alone. */
async function importDomainBlock(db: Db, accountId: number, target: string, localDomain: string): Promise<Outcome> {
  try {
    return { result: "done", detail: `Blocked ${await blockDomain(db, accountId, target, localDomain)}.` };
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    return { result: "failed", detail: error.message };
  }
}

/** A post's address: saved when it is found and the member may see it (saving again changes nothing). */
async function importBookmark(db: Db, resolve: PostResolver, accountId: number, target: string): Promise<Outcome> {
  if (!isHttpUrl(target)) return { result: "failed", detail: "This is not a post's address like https://example.social/@someone/1234." };
  const resolved = await resolve(target);
  if ("notFound" in resolved) return { result: "not_found", detail: resolved.notFound };
  if ("refused" in resolved) return { result: "refused", detail: resolved.refused };
  try {
    await bookmarkPost(db, accountId, resolved.found);
    return { result: "done", detail: "Saved." };
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    return { result: "not_found", detail: error.message };
  }
}

async function importRow(db: Db, resolve: AccountResolver, accountId: number, kind: Exclude<ImportKind, "domain_blocks" | "bookmarks">, target: string, options: ImportOptions): Promise<Outcome> {
  if (!isAccountAddress(target)) return { result: "failed", detail: "This is not an account address like someone@example.social." };
  if (kind === "lists" && !options.list) return { result: "failed", detail: "This row names no list: a list's name comes first, then the address." };
  const resolved = await resolve(target);
  if ("notFound" in resolved) return { result: "not_found", detail: resolved.notFound };
  if ("refused" in resolved) return { result: "refused", detail: resolved.refused };
  const targetId = resolved.found;
  try {
    switch (kind) {
      case "follows": {
        const state = (await followState(db, accountId, targetId)) ?? (await follow(db, accountId, targetId));
        if (options.showBoosts === false) await addMute(db, accountId, targetId, "hide_boosts");
        return state === "accepted" ? { result: "followed", detail: "" } : { result: "pending", detail: "Waiting for them to accept." };
      }
      case "blocks":
        await blockAccount(db, accountId, targetId);
        return { result: "done", detail: "Blocked." };
      case "mutes":
        await addMute(db, accountId, targetId, "mute");
        return { result: "done", detail: "Muted." };
      case "lists": {
        const listId = await listTitled(db, accountId, options.list!);
        const state = (await followState(db, accountId, targetId)) ?? (await follow(db, accountId, targetId));
        await addToList(db, accountId, listId, targetId, { orRequested: true });
        return state === "accepted"
          ? { result: "done", detail: `On the list “${options.list}”.` }
          : { result: "pending", detail: `On the list “${options.list}”; waiting for them to accept your follow.` };
      }
    }
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    return { result: "refused", detail: error.message };
  }
}
