/**
 * Kith's archives (the operator's backups and a member's export) as plain POSIX (ustar) tar files,
 * so any `tar -tf` can list them and `tar -xf` can unpack them by hand. Only regular files and
 * folders; names are checked on the way in and out. Shared by the CLI and the domain, so it lives
 * apart from both and imports nothing of ours.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import { dirname, join } from "node:path";

const BLOCK = 512;
const CHUNK = 1024 * 1024;

export interface TarEntry {
  /** Name inside the archive, with forward slashes, like `media/ab12.png`. */
  name: string;
  /** The file on disk whose bytes go in. */
  source: string;
  size: number;
}

/** Thrown when an archive is not a tar file we can read, or holds a name we refuse to unpack. */
export class TarError extends Error {}

/**
 * Writes the entries to `path` as a tar file and flushes it to disk, a megabyte at a time, so
 * archives of any size stream through little memory; the event loop stays free between chunks.
 * Entries may be produced lazily (an async iterable); `onEntry` hears of each one written.
 */
export async function writeTar(path: string, entries: Iterable<TarEntry> | AsyncIterable<TarEntry>, onEntry?: (entry: TarEntry) => void | Promise<void>): Promise<void> {
  const out = await open(path, "wx", 0o600);
  try {
    const buffer = Buffer.alloc(CHUNK);
    for await (const entry of entries) {
      await out.write(header(entry.name, entry.size));
      const input = await open(entry.source, "r");
      try {
        let left = entry.size;
        while (left > 0) {
          const { bytesRead } = await input.read(buffer, 0, Math.min(CHUNK, left), null);
          if (bytesRead === 0) throw new Error(`${entry.source} shrank while it was being archived.`);
          await out.write(buffer.subarray(0, bytesRead));
          left -= bytesRead;
        }
      } finally {
        await input.close();
      }
      const pad = (BLOCK - (entry.size % BLOCK)) % BLOCK;
      if (pad) await out.write(Buffer.alloc(pad));
      await onEntry?.(entry);
    }
    await out.write(Buffer.alloc(BLOCK * 2));
    await out.sync();
  } finally {
    await out.close();
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

function header(name: string, size: number): Buffer {
  if (Buffer.byteLength(name) > 100) throw new TarError(`the file name ${name} is too long for the archive.`);
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, "utf8");
  block.write("0000644\0", 100, "ascii");
  block.write("0000000\0", 108, "ascii");
  block.write("0000000\0", 116, "ascii");
  block.write(size.toString(8).padStart(11, "0") + "\0", 124, "ascii");
  block.write(Math.floor(Date.now() / 1000).toString(8).padStart(11, "0") + "\0", 136, "ascii");
  block.write("        ", 148, "ascii");
  block.write("0", 156, "ascii");
  block.write("ustar\0", 257, "ascii");
  block.write("00", 263, "ascii");
  block.write(checksum(block).toString(8).padStart(6, "0") + "\0 ", 148, "ascii");
  return block;
}

function checksum(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  return sum;
}

/** True when the file starts with a valid ustar header. */
export function looksLikeTar(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const block = Buffer.alloc(BLOCK);
    return readSync(fd, block, 0, BLOCK, 0) === BLOCK && validHeader(block);
  } finally {
    closeSync(fd);
  }
}

function validHeader(block: Buffer): boolean {
  const stored = parseInt(block.toString("ascii", 148, 156).replace(/[\0 ]/g, ""), 8);
  return block.toString("ascii", 257, 262) === "ustar" && stored === checksum(block);
}

/**
 * Unpacks `archive` into `dest`. `accept(name)` must approve every regular file's name; anything
 * else (links, devices, names with `..`) makes it refuse the whole archive.
 */
export function extractTar(archive: string, dest: string, accept: (name: string) => boolean): string[] {
  const fd = openSync(archive, "r");
  const names: string[] = [];
  try {
    const block = Buffer.alloc(BLOCK);
    const buffer = Buffer.alloc(CHUNK);
    let position = 0;
    for (;;) {
      if (readSync(fd, block, 0, BLOCK, position) !== BLOCK) throw new TarError("the archive ends in the middle of a file: it is cut short.");
      position += BLOCK;
      if (block.every((b) => b === 0)) return names;
      if (!validHeader(block)) throw new TarError("the archive has a damaged header.");
      const prefix = block.toString("utf8", 345, 500).replace(/\0.*$/s, "");
      const base = block.toString("utf8", 0, 100).replace(/\0.*$/s, "");
      const name = prefix ? `${prefix}/${base}` : base;
      const type = block.toString("ascii", 156, 157);
      const size = parseInt(block.toString("ascii", 124, 136).replace(/[\0 ]/g, "") || "0", 8);
      if (name.split("/").some((part) => part === "..") || name.startsWith("/")) throw new TarError(`the archive holds an unsafe name: ${name}`);
      if (type === "5") continue;
      if (type !== "0" && type !== "\0") throw new TarError(`the archive holds ${name}, which is not a plain file.`);
      if (!accept(name)) throw new TarError(`the archive holds ${name}, which does not belong in a Kith backup.`);
      const target = join(dest, name);
      mkdirSync(dirname(target), { recursive: true });
      const out = openSync(target, "wx", 0o600);
      try {
        let left = size;
        while (left > 0) {
          const read = readSync(fd, buffer, 0, Math.min(CHUNK, left), position);
          if (read === 0) throw new TarError("the archive ends in the middle of a file: it is cut short.");
          writeAll(out, buffer.subarray(0, read));
          position += read;
          left -= read;
        }
        fsyncSync(out);
      } finally {
        closeSync(out);
      }
      position += (BLOCK - (size % BLOCK)) % BLOCK;
      names.push(name);
    }
  } finally {
    closeSync(fd);
  }
}
