/**
 * Storing uploaded images: checked for type and size, written to the media folder under
 * a random name, then recorded. If recording fails the file is removed: no half-writes.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Transaction } from "kysely";
import type { Db } from "../../db/open.ts";
import type { Database } from "../../db/schema.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { EXTENSION, sniffImageType, type ImageType } from "./images.ts";
import { stripMetadata } from "./strip.ts";
import { recordEvent } from "../../jobs/events.ts";

export const MAX_IMAGE_BYTES = 8 * 1024 * 1024;
export const MAX_AVATAR_BYTES = 2 * 1024 * 1024;

export interface ImageUpload {
  bytes: Uint8Array;
  alt?: string;
}

/** Checks an upload and returns its real type, or refuses it with a reason. */
export function checkImage(bytes: Uint8Array, maxBytes: number, field: string) {
  if (bytes.length === 0) return refuse("invalid", "The file is empty.", field);
  if (bytes.length > maxBytes) {
    return refuse("too_large", `Images can be at most ${Math.round(maxBytes / 1024 / 1024)} MB; this one is ${(bytes.length / 1024 / 1024).toFixed(1)} MB.`, field);
  }
  const mime = sniffImageType(bytes);
  if (!mime) return refuse("invalid", "That file is not a PNG, JPEG, GIF or WebP image.", field);
  return mime;
}

/** An image that passed the checks, with its location and camera metadata removed. */
export interface CheckedImage {
  bytes: Uint8Array;
  mime: ImageType;
}

/** Checks an upload and strips its metadata; refuses it with a reason when it is not an image we take. */
export function prepareImage(bytes: Uint8Array, maxBytes: number, field: string): CheckedImage {
  const mime = checkImage(bytes, maxBytes, field);
  return { mime, bytes: stripMetadata(bytes, mime) };
}

/** Writes each image under a fresh name and runs `record` with the names; removes the files if `record` throws. */
export async function storeImageFiles<T>(
  mediaDir: string,
  images: CheckedImage[],
  record: (storageKeys: string[]) => Promise<T>,
): Promise<T> {
  await mkdir(mediaDir, { recursive: true });
  const keys = images.map((image) => `${randomBytes(16).toString("hex")}.${EXTENSION[image.mime]}`);
  const paths = keys.map((key) => join(mediaDir, key));
  try {
    await Promise.all(images.map((image, i) => writeFile(paths[i]!, image.bytes)));
    return await record(keys);
  } catch (error) {
    await Promise.all(paths.map((path) => rm(path, { force: true })));
    throw error;
  }
}

/**
 * Stores one checked image as media owned by `ownerId` (not attached to a post), and runs `link` with
 * its id in the same transaction; the file is removed again if either fails.
 */
export async function storeOwnedImage(
  db: Db,
  mediaDir: string,
  ownerId: number,
  image: CheckedImage,
  link: (trx: Transaction<Database>, mediaId: number) => Promise<void>,
): Promise<void> {
  await storeImageFiles(mediaDir, [image], ([storageKey]) =>
    db.transaction().execute(async (trx) => {
      const media = await trx
        .insertInto("media")
        .values({ owner_id: ownerId, storage_key: storageKey!, mime: image.mime, bytes: image.bytes.length, created_at: now() })
        .returning("id")
        .executeTakeFirstOrThrow();
      await link(trx, media.id);
    }),
  );
}

/** Sets a member's avatar; the previous avatar row stays for history but is no longer shown. */
export async function setAvatar(db: Db, mediaDir: string, accountId: number, bytes: Uint8Array): Promise<void> {
  const image = prepareImage(bytes, MAX_AVATAR_BYTES, "avatar");
  await storeOwnedImage(db, mediaDir, accountId, image, async (trx, mediaId) => {
    await trx.updateTable("accounts").set({ avatar_media_id: mediaId }).where("id", "=", accountId).execute();
    await recordEvent(trx, { type: "account.updated", accountId });
  });
}

/** A stored file by its name; files of suspended members are not found, like the rest of their content. */
export async function findStoredMedia(db: Db, storageKey: string) {
  return db
    .selectFrom("media")
    .innerJoin("accounts", "accounts.id", "media.owner_id")
    .select(["media.storage_key", "media.mime", "media.owner_id", "media.post_id"])
    .where("media.storage_key", "=", storageKey)
    .where("accounts.suspended_at", "is", null)
    .executeTakeFirst();
}
