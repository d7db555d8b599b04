/** Reading an exported archive back: unpack the tar into a folder and read its files. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { extractTar } from "../../src/archive/tar.ts";

export interface UnpackedArchive {
  names: string[];
  bytes(name: string): Buffer;
  json(name: string): Record<string, any>;
  text(name: string): string;
}

/** Unpacks archive bytes (as downloaded) and returns a reader over its files. */
export function unpackArchive(archive: Uint8Array): UnpackedArchive {
  const dir = mkdtempSync(join(tmpdir(), "kith-archive-"));
  const file = join(dir, "archive.tar");
  writeFileSync(file, archive);
  const names = extractTar(file, join(dir, "out"), () => true);
  const bytes = (name: string) => readFileSync(join(dir, "out", name));
  return { names, bytes, json: (name) => JSON.parse(bytes(name).toString("utf8")), text: (name) => bytes(name).toString("utf8") };
}
