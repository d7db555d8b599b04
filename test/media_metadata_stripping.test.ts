/**
 * Location and camera metadata is removed from photos before they are stored: JPEG (Exif, XMP,
 * IPTC, comments), PNG (eXIf, tEXt, iTXt, zTXt, tIME) and WebP (EXIF, XMP), byte-exact around the
 * image data, for post attachments and avatars alike.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stripMetadata } from "../src/domain/media/strip.ts";
import { Refusal } from "../src/domain/errors.ts";
import { hasPlantedMetadata, jpegWithMetadata, pngWithMetadata, webpWithMetadata } from "./support/images.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";

describe("the segment filter", () => {
  test("JPEG: APP1 (Exif and XMP), APP13 (IPTC) and comments go; APP0, the colour profile and the scan stay", () => {
    const { file, expected } = jpegWithMetadata();
    expect(hasPlantedMetadata(file)).toBe(true);
    expect(stripMetadata(file, "image/jpeg")).toEqual(expected);
  });

  test("JPEG: scan data containing marker-like bytes after SOS is copied untouched", () => {
    const scan = new Uint8Array([0xff, 0x00, 0xff, 0xe1, 0x00, 0x10, 0xff, 0xd0, 0x01]);
    const { file, expected } = jpegWithMetadata(scan);
    expect(stripMetadata(file, "image/jpeg")).toEqual(expected);
  });

  test("PNG: text, Exif and time chunks go and the result is the clean image byte for byte", () => {
    const { file, expected } = pngWithMetadata();
    expect(hasPlantedMetadata(file)).toBe(true);
    expect(stripMetadata(file, "image/png")).toEqual(expected);
  });

  test("WebP: EXIF and XMP chunks go, the VP8X flags stop announcing them and the RIFF size is right", () => {
    const { file, expected } = webpWithMetadata();
    const stripped = stripMetadata(file, "image/webp");
    expect(stripped).toEqual(expected);
    expect(new DataView(stripped.buffer).getUint32(4, true)).toBe(stripped.length - 8);
  });

  test("a cut-short file is refused rather than stored with its metadata", () => {
    const { file } = jpegWithMetadata();
    expect(() => stripMetadata(file.subarray(0, 30), "image/jpeg")).toThrow(Refusal);
    const png = pngWithMetadata().file;
    expect(() => stripMetadata(png.subarray(0, png.length - 20), "image/png")).toThrow(Refusal);
  });
});

describe("uploads through the pages", () => {
  let camp: TestCamp;
  beforeAll(async () => {
    camp = await testCamp();
    await camp.addMember("ann");
  });
  afterAll(() => camp.close());

  const storedFiles = () => readdirSync(camp.config.mediaDir).map((name) => readFileSync(join(camp.config.mediaDir, name)));

  test("post attachments are stored without their metadata, with their alt text", async () => {
    const ann = await camp.loggedIn("ann");
    const uploads = [pngWithMetadata(), jpegWithMetadata(), webpWithMetadata()];
    const types = ["image/png", "image/jpeg", "image/webp"];
    const form: Record<string, string | Blob> = { source: "three photos", audience: "camp" };
    const response = await ann.request("/posts", {
      method: "POST",
      body: (() => {
        const data = new FormData();
        data.append("_csrf", ann.csrf ?? "");
        for (const [k, v] of Object.entries(form)) data.append(k, v);
        uploads.forEach((u, i) => { data.append("image", new Blob([Uint8Array.from(u.file)], { type: types[i] }), `photo${i}`); data.append("alt", `photo number ${i + 1}`); });
        return data;
      })(),
    });
    expect(response.status).toBe(303);
    const media = await camp.db.selectFrom("media").select(["storage_key", "alt", "position", "bytes"]).where("post_id", "is not", null).orderBy("position").execute();
    expect(media.map((m) => m.alt)).toEqual(["photo number 1", "photo number 2", "photo number 3"]);
    for (const [i, m] of media.entries()) {
      const stored = readFileSync(join(camp.config.mediaDir, m.storage_key!));
      expect(Uint8Array.from(stored)).toEqual(Uint8Array.from(uploads[i]!.expected));
      expect(m.bytes).toBe(stored.length);
    }
  });

  test("avatars go through the same stripping", async () => {
    const ann = await camp.loggedIn("ann");
    const response = await ann.post("/settings/avatar", { avatar: new Blob([pngWithMetadata().file], { type: "image/png" }) });
    expect(response.status).toBe(303);
    expect(storedFiles().some(hasPlantedMetadata)).toBe(false);
  });
});
