/** Mastodon's MediaAttachment entity. Kith takes images only. */
import { absolute } from "./account.ts";

export interface MediaView {
  id: number;
  mime: string;
  url: string;
  alt: string;
  width: number | null;
  height: number | null;
}

/** `sign` turns a path on this camp into the link signed for the app's member (domain/media/appLinks.ts). */
export function mediaEntity(origin: string, m: MediaView, sign: (path: string) => string) {
  const url = absolute(origin, m.url.startsWith("/") ? sign(m.url) : m.url);
  const meta = m.width && m.height ? { original: { width: m.width, height: m.height, size: `${m.width}x${m.height}`, aspect: m.width / m.height } } : {};
  return {
    id: String(m.id),
    type: m.mime.startsWith("image/") ? "image" : "unknown",
    url,
    preview_url: url,
    remote_url: m.url.startsWith("/") ? null : m.url,
    text_url: null,
    meta,
    description: m.alt || null,
    blurhash: null,
  };
}
