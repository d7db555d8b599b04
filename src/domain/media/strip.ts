/**
 * Removing location and camera metadata from uploaded photos before they are stored. We drop whole
 * metadata segments and chunks and never touch pixel data, so nothing is re-encoded:
 * JPEG: APP1 (Exif, XMP), APP13 (IPTC/Photoshop) and COM segments; colour profiles (APP2) stay.
 * PNG: eXIf, tEXt, iTXt, zTXt and tIME chunks. WebP: EXIF and XMP chunks, with the VP8X flags fixed.
 * A file whose structure does not parse is refused rather than stored with its metadata.
 */
import { refuse } from "../errors.ts";
import type { ImageType } from "./images.ts";

const DAMAGED = "That image file is damaged or cut short; export it again and retry.";

const JPEG_DROPPED = new Set([0xe1, 0xed, 0xfe]);

function stripJpeg(bytes: Uint8Array): Uint8Array {
  const kept: Uint8Array[] = [bytes.subarray(0, 2)];
  let at = 2;
  while (at < bytes.length) {
    if (bytes[at] !== 0xff) return refuse("invalid", DAMAGED, "image");
    const marker = bytes[at + 1]!;
    if (marker === 0xff) { at += 1; continue; } // fill byte
    // Markers without a length: TEM and RST0-7.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { kept.push(bytes.subarray(at, at + 2)); at += 2; continue; }
    if (marker === 0xd9) { kept.push(bytes.subarray(at, at + 2)); break; }
    if (at + 4 > bytes.length) return refuse("invalid", DAMAGED, "image");
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    const end = at + 2 + length;
    if (length < 2 || end > bytes.length) return refuse("invalid", DAMAGED, "image");
    if (marker === 0xda) { kept.push(bytes.subarray(at)); break; } // start of scan: the rest is image data
    if (!JPEG_DROPPED.has(marker)) kept.push(bytes.subarray(at, end));
    at = end;
  }
  return concat(kept);
}

const PNG_DROPPED = new Set(["eXIf", "tEXt", "iTXt", "zTXt", "tIME"]);

function stripPng(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kept: Uint8Array[] = [bytes.subarray(0, 8)];
  let at = 8;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) return refuse("invalid", DAMAGED, "image");
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const end = at + 12 + length;
    if (end > bytes.length) return refuse("invalid", DAMAGED, "image");
    if (!PNG_DROPPED.has(type)) kept.push(bytes.subarray(at, end));
    at = end;
    if (type === "IEND") break;
  }
  return concat(kept);
}

const WEBP_DROPPED = new Set(["EXIF", "XMP "]);
const VP8X_EXIF = 0x08;
const VP8X_XMP = 0x04;

function stripWebp(bytes: Uint8Array): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kept: Uint8Array[] = [];
  let at = 12;
  while (at < bytes.length) {
    if (at + 8 > bytes.length) return refuse("invalid", DAMAGED, "image");
    const type = String.fromCharCode(...bytes.subarray(at, at + 4));
    const size = view.getUint32(at + 4, true);
    const end = at + 8 + size + (size % 2);
    if (at + 8 + size > bytes.length) return refuse("invalid", DAMAGED, "image");
    if (!WEBP_DROPPED.has(type)) {
      const chunk = bytes.slice(at, Math.min(end, bytes.length));
      if (type === "VP8X" && chunk.length > 8) chunk[8] = chunk[8]! & ~(VP8X_EXIF | VP8X_XMP);
      kept.push(chunk);
    }
    at = end;
  }
  const body = concat(kept);
  const out = new Uint8Array(12 + body.length);
  out.set(bytes.subarray(0, 12));
  new DataView(out.buffer).setUint32(4, 4 + body.length, true);
  out.set(body, 12);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) { out.set(part, at); at += part.length; }
  return out;
}

/** The same image without its metadata. GIFs carry no camera or location data and pass as they are. */
export function stripMetadata(bytes: Uint8Array, type: ImageType): Uint8Array {
  switch (type) {
    case "image/jpeg": return stripJpeg(bytes);
    case "image/png": return stripPng(bytes);
    case "image/webp": return stripWebp(bytes);
    default: return bytes;
  }
}
