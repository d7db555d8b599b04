/** The compiled `dist/kith` the harness measures: built with the project's own build script when missing or older than the sources. */
import { copyFileSync, existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const ROOT = new URL("..", import.meta.url).pathname;
export const BINARY = join(ROOT, "dist", "kith");
const SOURCES = ["src", "views", "static", "package.json", "package-lock.json"];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

/** Builds dist/kith with `bun run build` unless it exists and is newer than every source; says which it did. */
export function ensureBinary(): string {
  const sources = Math.max(...SOURCES.map((s) => newestMtime(join(ROOT, s))));
  if (existsSync(BINARY) && statSync(BINARY).mtimeMs >= sources) return "dist/kith is up to date with the sources";
  const build = Bun.spawnSync([process.execPath, "run", "build"], { cwd: ROOT, stdout: "pipe", stderr: "pipe" });
  if (build.exitCode !== 0) throw new Error(`bun run build failed:\n${build.stderr.toString()}${build.stdout.toString()}`);
  return existsSync(BINARY) ? "built dist/kith with `bun run build`" : "dist/kith missing after the build";
}

/**
 * Copies dist/kith into the work folder and returns the copy's path: others rebuild dist/kith
 * while they work, and a binary replaced mid-run would measure two different programs.
 */
export async function privateCopy(workDir: string): Promise<string> {
  const copy = join(workDir, "kith");
  for (let attempt = 0; ; attempt++) {
    try {
      copyFileSync(BINARY, copy);
      return copy;
    } catch (error) {
      // Someone else's build may be replacing it right now; it will be back in a moment.
      if (attempt >= 20) throw error;
      await Bun.sleep(500);
    }
  }
}
