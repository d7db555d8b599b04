/** Image files with location and camera metadata in them, built byte by byte, for the stripping tests. */
import { solidPng } from "./png.ts";

const GPS_TEXT = "GPSLatitude 52.3676 N GPSLongitude 4.9041 E Make Canon Model EOS";

function segment(marker: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  out.set([0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff]);
  out.set(body, 4);
  return out;
}

const bytes = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]): Uint8Array<ArrayBuffer> => Uint8Array.from(Buffer.concat(parts));

/** The segments of a JPEG: the kept ones, and the whole file with metadata segments in between. */
export function jpegWithMetadata(scan: Uint8Array = new Uint8Array([0x12, 0x34, 0x56])) {
  const soi = new Uint8Array([0xff, 0xd8]);
  const app0 = segment(0xe0, bytes("JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
  const exif = segment(0xe1, bytes(`Exif\0\0${GPS_TEXT}`));
  const xmp = segment(0xe1, bytes(`http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>${GPS_TEXT}</x:xmpmeta>`));
  const icc = segment(0xe2, bytes("ICC_PROFILE\0\x01\x01colour"));
  const iptc = segment(0xed, bytes(`Photoshop 3.0\u00008BIM${GPS_TEXT}`));
  const comment = segment(0xfe, bytes(`Shot on ${GPS_TEXT}`));
  const dqt = segment(0xdb, new Uint8Array(65));
  const sof = segment(0xc0, new Uint8Array([8, 0, 8, 0, 8, 1, 1, 0x11, 0]));
  const sos = segment(0xda, new Uint8Array([1, 1, 0, 0, 0x3f, 0]));
  const eoi = new Uint8Array([0xff, 0xd9]);
  return {
    file: concat(soi, app0, exif, icc, xmp, iptc, comment, dqt, sof, sos, scan, eoi),
    expected: concat(soi, app0, icc, dqt, sof, sos, scan, eoi),
  };
}

/** Inserts Exif and XMP segments with GPS data right after the SOI of a real JPEG. */
export function addJpegMetadata(jpeg: Uint8Array): Uint8Array {
  const exif = segment(0xe1, bytes(`Exif\0\0${GPS_TEXT}`));
  const iptc = segment(0xed, bytes(`Photoshop 3.0\u00008BIM${GPS_TEXT}`));
  return concat(jpeg.subarray(0, 2), exif, iptc, jpeg.subarray(2));
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  // The CRC is not checked by the stripper; browsers ignore bad CRCs on ancillary chunks we drop anyway.
  const out = new Uint8Array(12 + data.length);
  new DataView(out.buffer).setUint32(0, data.length);
  out.set(bytes(type), 4);
  out.set(data, 8);
  return out;
}

/** A real PNG with tEXt, iTXt, zTXt, eXIf and tIME chunks added before its image data. */
export function pngWithMetadata() {
  const clean = solidPng();
  const ihdrEnd = 8 + 25;
  const meta = concat(
    pngChunk("tEXt", bytes(`Comment\0${GPS_TEXT}`)),
    pngChunk("iTXt", bytes(`XML:com.adobe.xmp\0\0\0\0\0${GPS_TEXT}`)),
    pngChunk("zTXt", bytes(`Raw profile\0\0${GPS_TEXT}`)),
    pngChunk("eXIf", bytes(`MM\0*${GPS_TEXT}`)),
    pngChunk("tIME", new Uint8Array([7, 234, 11, 22, 1, 2, 3])),
  );
  return { file: concat(clean.subarray(0, ihdrEnd), meta, clean.subarray(ihdrEnd)), expected: Uint8Array.from(clean) };
}

function riffChunk(type: string, data: Uint8Array): Uint8Array {
  const padded = data.length % 2 ? concat(data, new Uint8Array(1)) : data;
  const out = new Uint8Array(8 + padded.length);
  out.set(bytes(type));
  new DataView(out.buffer).setUint32(4, data.length, true);
  out.set(padded, 8);
  return out;
}

function riff(chunks: Uint8Array[]): Uint8Array {
  const body = concat(...chunks);
  const head = new Uint8Array(12);
  head.set(bytes("RIFF"));
  new DataView(head.buffer).setUint32(4, 4 + body.length, true);
  head.set(bytes("WEBP"), 8);
  return concat(head, body);
}

/** An extended WebP whose VP8X flags announce EXIF and XMP, with both chunks present. */
export function webpWithMetadata() {
  const vp8x = (flags: number) => riffChunk("VP8X", new Uint8Array([flags, 0, 0, 0, 7, 0, 0, 7, 0, 0]));
  const image = riffChunk("VP8L", new Uint8Array([0x2f, 7, 0xc0, 1, 0x10, 0x8d, 0x24, 0x49]));
  const exif = riffChunk("EXIF", bytes(`MM\0*${GPS_TEXT}`));
  const xmp = riffChunk("XMP ", bytes(`<x:xmpmeta>${GPS_TEXT}</x:xmpmeta>`));
  return { file: riff([vp8x(0x08 | 0x04 | 0x10), image, exif, xmp]), expected: riff([vp8x(0x10), image]) };
}

/** True when the bytes still carry any of the planted location or camera text. */
export const hasPlantedMetadata = (file: Uint8Array): boolean => Buffer.from(file).includes("GPSLatitude");
