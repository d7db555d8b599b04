/**
 * Look and feel: each member's time zone (null until chosen or guessed by their browser; pages then
 * use UTC), and the camp's accent colour (a #rrggbb value, null for Kith's own) and logo (an image
 * in media, null for none).
 * Frozen in time: this file never imports application code.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("members").addColumn("time_zone", "text").execute();
  await db.schema.alterTable("camp").addColumn("accent_color", "text").execute();
  await db.schema.alterTable("camp").addColumn("logo_media_id", "integer", (col) => col.references("media.id").onDelete("set null")).execute();
}
