/**
 * Images uploaded before the post that carries them (how apps work: upload, describe, then post
 * with the media ids). An upload is the owner's until a post claims it; then it is that post's.
 */
import type { Kysely } from "kysely";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { MAX_ALT, MAX_ATTACHMENTS, charCount } from "../posts/limits.ts";
import { MAX_IMAGE_BYTES, prepareImage, storeImageFiles } from "./store.ts";

function checkAlt(alt: string): string {
  const trimmed = alt.trim();
  if (charCount(trimmed) > MAX_ALT) refuse("invalid", `The description can be at most ${MAX_ALT} characters.`, "description");
  return trimmed;
}

/** Checks, strips and stores an uploaded image; returns the new media id. Nothing is kept when a check fails. */
export async function storeUpload(db: Db, mediaDir: string, ownerId: number, bytes: Uint8Array, alt: string): Promise<number> {
  const description = checkAlt(alt);
  const image = prepareImage(bytes, MAX_IMAGE_BYTES, "file");
  return storeImageFiles(mediaDir, [image], async ([storageKey]) => {
    const row = await db.insertInto("media").values({
      owner_id: ownerId, storage_key: storageKey!, mime: image.mime, bytes: image.bytes.length, alt: description, created_at: now(),
    }).returning("id").executeTakeFirstOrThrow();
    return row.id;
  });
}

/** One of the owner's uploads (attached or not), or null. */
export async function findUpload(db: Db, ownerId: number, id: number) {
  return (await db.selectFrom("media").select(["id", "post_id", "mime", "storage_key", "remote_url", "alt", "width", "height"])
    .where("id", "=", id).where("owner_id", "=", ownerId).where("storage_key", "is not", null).executeTakeFirst()) ?? null;
}

/** Changes the description of an upload not yet posted. */
export async function describeUpload(db: Db, ownerId: number, id: number, alt: string): Promise<void> {
  const description = checkAlt(alt);
  const upload = await findUpload(db, ownerId, id);
  if (!upload) return refuse("not_found", "That upload does not exist.");
  if (upload.post_id !== null) refuse("invalid", "That image is already part of a post.");
  await db.updateTable("media").set({ alt: description }).where("id", "=", id).execute();
}

/** Checks that these uploads are the author's and not yet posted, before a post claims them. */
export async function checkUploads(db: Db, ownerId: number, ids: number[], alsoAttached: number): Promise<void> {
  if (ids.length + alsoAttached > MAX_ATTACHMENTS) refuse("invalid", `A post can have at most ${MAX_ATTACHMENTS} images.`, "media_ids");
  if (ids.length === 0) return;
  const rows = await db.selectFrom("media").select("id").where("id", "in", ids).where("owner_id", "=", ownerId)
    .where("post_id", "is", null).where("storage_key", "is not", null).execute();
  if (rows.length !== new Set(ids).size) refuse("invalid", "An attached image was not found, is someone else's or is already part of a post.", "media_ids");
}

/** Gives the uploads to the post, after its other images; runs inside the post's transaction. */
export async function claimUploads(trx: Kysely<Database>, ownerId: number, postId: number, ids: number[], firstPosition: number): Promise<void> {
  for (const [i, id] of ids.entries()) {
    await trx.updateTable("media").set({ post_id: postId, position: firstPosition + i })
      .where("id", "=", id).where("owner_id", "=", ownerId).where("post_id", "is", null).execute();
  }
}
