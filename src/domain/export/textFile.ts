/** A text file written piece by piece through a small buffer: big JSON and CSV files never sit whole in memory. */
import { type FileHandle, open } from "node:fs/promises";

const FLUSH_AT = 256 * 1024;

export class TextFile {
  private pending: string[] = [];
  private pendingLength = 0;
  private bytes = 0;

  private constructor(private readonly handle: FileHandle) {}

  /** Creates the file (it must not exist yet). */
  static async create(path: string): Promise<TextFile> {
    return new TextFile(await open(path, "wx", 0o600));
  }

  /** Appends text; it reaches the disk once enough has gathered. */
  async write(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= FLUSH_AT) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.pending.length) return;
    const chunk = Buffer.from(this.pending.join(""));
    this.pending = [];
    this.pendingLength = 0;
    await this.handle.write(chunk);
    this.bytes += chunk.length;
  }

  /** Writes what is left, closes the file and returns its size in bytes. */
  async close(): Promise<number> {
    try {
      await this.flush();
    } finally {
      await this.handle.close();
    }
    return this.bytes;
  }
}
