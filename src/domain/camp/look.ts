/** The camp's look, chosen by the operator in Admin: an accent colour and a logo. */
import type { Db } from "../../db/open.ts";
import { MAX_AVATAR_BYTES, prepareImage, storeOwnedImage } from "../media/store.ts";
import { parseAccent } from "./accent.ts";

export interface LookChange {
  /** A hex colour, or empty for Kith's own. */
  accent: string;
  /** A new logo image, if one was uploaded. */
  logo: Uint8Array | null;
  removeLogo: boolean;
}

/**
 * Saves the accent colour and the logo together. The colour is checked first and the logo goes
 * through the same checks as avatars (type sniffed, at most 2 MB, metadata stripped), so a refusal
 * writes nothing; the logo's file is removed again if recording it fails.
 */
export async function setCampLook(db: Db, mediaDir: string, operatorId: number, change: LookChange): Promise<void> {
  const accent = parseAccent(change.accent);
  if (!change.logo) {
    await db.updateTable("camp").set({ accent_color: accent, ...(change.removeLogo ? { logo_media_id: null } : {}) }).where("id", "=", 1).execute();
    return;
  }
  const image = prepareImage(change.logo, MAX_AVATAR_BYTES, "logo");
  await storeOwnedImage(db, mediaDir, operatorId, image, async (trx, mediaId) => {
    await trx.updateTable("camp").set({ accent_color: accent, logo_media_id: mediaId }).where("id", "=", 1).execute();
  });
}

/** The logo's address, when the camp has one. */
export async function logoUrlOf(db: Db, logoMediaId: number | null): Promise<string | null> {
  if (logoMediaId === null) return null;
  const media = await db.selectFrom("media").select("storage_key").where("id", "=", logoMediaId).executeTakeFirst();
  return media?.storage_key ? `/media/${media.storage_key}` : null;
}
