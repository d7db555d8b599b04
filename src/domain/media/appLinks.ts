/**
 * Links to post images for apps. Apps load images with a plain GET, without the session cookie or
 * their token, while an image of a camp-only post is only for those who may see the post. So an
 * app gets the image's path signed for its member, valid for a day or two; the media route checks
 * the signature and then asks the audience gate as that member, at the time of the request.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Db } from "../../db/open.ts";
import { DAY, now } from "../clock.ts";

const keys = new WeakMap<Db, Promise<string>>();

function secret(db: Db): Promise<string> {
  let key = keys.get(db);
  if (!key) {
    key = db.selectFrom("client_api_secrets").select("secret").where("name", "=", "media_links").executeTakeFirstOrThrow().then((r) => r.secret);
    keys.set(db, key);
  }
  return key;
}

const signature = (key: string, path: string, viewerId: number, expires: number) =>
  createHmac("sha256", key).update(`${path}\n${viewerId}\n${expires}`).digest("base64url");

/** A signer for one request: the path with `as`, `expires` and `sig` added. Expiry is rounded to a day so links stay cacheable. */
export async function mediaLinkSigner(db: Db): Promise<(path: string, viewerId: number) => string> {
  const key = await secret(db);
  const expires = (Math.floor(now() / DAY) + 2) * DAY;
  return (path, viewerId) => `${path}?as=${viewerId}&expires=${expires}&sig=${signature(key, path, viewerId, expires)}`;
}

/** The member a signed media link was made for, or null when the link is not signed, forged or expired. */
export async function signedMediaViewer(db: Db, path: string, query: { as?: string; expires?: string; sig?: string }): Promise<number | null> {
  if (!query.as || !query.expires || !query.sig || !/^\d{1,15}$/.test(query.as) || !/^\d{1,15}$/.test(query.expires)) return null;
  const viewerId = Number(query.as);
  const expires = Number(query.expires);
  if (expires <= now()) return null;
  const expected = Buffer.from(signature(await secret(db), path, viewerId, expires));
  const given = Buffer.from(query.sig);
  return expected.length === given.length && timingSafeEqual(expected, given) ? viewerId : null;
}
