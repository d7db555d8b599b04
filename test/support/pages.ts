/** Reading what a page says and what the database holds, for assertions that read like the story. */
import { sql } from "kysely";
import type { Db } from "../../src/db/open.ts";
import type { Database } from "../../src/db/schema.ts";

/** The visible text of an HTML page, tags dropped and entities decoded, whitespace collapsed. */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

/** The message in the page's error box or field error, where a refused form says what went wrong. */
export function errorMessageOf(html: string): string | null {
  const match = html.match(/<p class="(?:error|field-error)"[^>]*>([\s\S]*?)<\/p>/) ?? html.match(/<p role="alert">([\s\S]*?)<\/p>/);
  return match ? textOf(match[1]!) : null;
}

/** The text inside the element with this id, e.g. the invite link the admin page shows once. */
export function textById(html: string, id: string): string | null {
  const match = html.match(new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)<`));
  return match ? textOf(match[1]!) : null;
}

/** How many rows a table holds now, to prove a refused request wrote nothing. */
export async function countRows(db: Db, table: keyof Database): Promise<number> {
  const row = await db.selectFrom(table).select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Row counts of every table a form in the member story might touch. */
export async function snapshot(db: Db): Promise<Record<string, number>> {
  const tables = ["accounts", "members", "sessions", "invites", "password_resets", "media"] as const;
  return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await countRows(db, t)] as const)));
}

/** The path part of a link the server printed or showed, so a test client can follow it. */
export const pathOf = (url: string): string => new URL(url).pathname;
