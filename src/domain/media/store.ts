/**
 * Storing uploaded images: checked for type and size, written to the media folder under
 * a random name, then recorded. If recording fails the file is removed: no half-writes.
 */
import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Db } from "../../db/open.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { EXTENSION, sniffImageType } from "./images.ts";

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

/** Writes the bytes under a fresh name and runs `record` with it; removes the file if `record` throws. */
export async function storeImageFile<T>(
  mediaDir: string,
  bytes: Uint8Array,
  mime: keyof typeof EXTENSION,
  record: (storageKey: string) => Promise<T>,
): Promise<T> {
  const storageKey = `${randomBytes(16).toString("hex")}.${EXTENSION[mime]}`;
  await mkdir(mediaDir, { recursive: true });
  const path = join(mediaDir, storageKey);
  await writeFile(path, bytes);
  try {
    return await record(storageKey);
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
}

/** Sets a member's avatar; the previous avatar row stays for history but is no longer shown. */
export async function setAvatar(db: Db, mediaDir: string, accountId: number, bytes: Uint8Array): Promise<void> {
  const mime = checkImage(bytes, MAX_AVATAR_BYTES, "avatar");
  await storeImageFile(mediaDir, bytes, mime, (storageKey) =>
    db.transaction().execute(async (trx) => {
      const media = await trx
        .insertInto("media")
        .values({ owner_id: accountId, storage_key: storageKey, mime, bytes: bytes.length, created_at: now() })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx.updateTable("accounts").set({ avatar_media_id: media.id }).where("id", "=", accountId).execute();
    }),
  );
}

export async function findStoredMedia(db: Db, storageKey: string) {
  return db.selectFrom("media").select(["storage_key", "mime", "owner_id", "post_id"]).where("storage_key", "=", storageKey).executeTakeFirst();
}
