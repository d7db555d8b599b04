/**
 * Images attached to a post: at most four, each a real image within the size limit, with its
 * location and camera metadata stripped, and with the alt text its author wrote.
 */
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { now } from "../clock.ts";
import { refuse } from "../errors.ts";
import { MAX_ALT, MAX_ATTACHMENTS, charCount } from "../posts/limits.ts";
import { MAX_IMAGE_BYTES, prepareImage, type CheckedImage } from "./store.ts";

export interface AttachmentUpload {
  bytes: Uint8Array;
  alt: string;
}

export interface CheckedAttachment extends CheckedImage {
  alt: string;
}

/** Checks every upload before anything is written; the first problem refuses them all. */
export function checkAttachments(uploads: AttachmentUpload[]): CheckedAttachment[] {
  if (uploads.length > MAX_ATTACHMENTS) {
    refuse("invalid", `A post can have at most ${MAX_ATTACHMENTS} images; you attached ${uploads.length}. Remove some and try again.`, "image");
  }
  return uploads.map((upload, i) => {
    const alt = upload.alt.trim();
    if (charCount(alt) > MAX_ALT) refuse("invalid", `The description of image ${i + 1} can be at most ${MAX_ALT} characters.`, "image");
    return { ...prepareImage(upload.bytes, MAX_IMAGE_BYTES, "image"), alt };
  });
}

/** Records stored attachments of a post in order; runs inside the post's transaction. */
export async function insertAttachments(
  trx: Kysely<Database>,
  ownerId: number,
  postId: number,
  attachments: CheckedAttachment[],
  storageKeys: string[],
): Promise<void> {
  if (attachments.length === 0) return;
  const at = now();
  await trx.insertInto("media").values(attachments.map((a, position) => ({
    owner_id: ownerId, post_id: postId, position, storage_key: storageKeys[position]!, mime: a.mime,
    bytes: a.bytes.length, alt: a.alt, created_at: at,
  }))).execute();
}
