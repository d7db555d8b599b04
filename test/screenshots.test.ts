/**
 * scripts/screenshots.ts (which makes docs/screenshots/ for the README) still runs: it writes every
 * page at both widths in both schemes, each a real PNG of the width it claims.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { SCHEMES, WIDTHS, writeScreenshots } from "../scripts/screenshots.ts";

const out = mkdtempSync(join(tmpdir(), "kith-shots-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

test("the screenshot script writes Home, Camp, a thread, a profile and compose at 1280 and 375 px, light and dark", async () => {
  const files = await writeScreenshots(out);
  const expected = ["home", "camp", "thread", "profile", "compose"].flatMap((page) => WIDTHS.flatMap((w) => SCHEMES.map((s) => `${page}-${w}-${s}.png`)));
  expect(files.map((f) => basename(f)).sort()).toEqual(expected.sort());
  for (const file of files) {
    const png = readFileSync(file);
    expect(png.subarray(1, 4).toString("latin1"), file).toBe("PNG");
    const width = png.readUInt32BE(16);
    const claimed = Number(basename(file).split("-")[1]);
    // Compose is a shot of the form alone, so narrower than the window.
    if (basename(file).startsWith("compose")) expect(width).toBeLessThanOrEqual(claimed);
    else expect(width).toBe(claimed);
  }
}, 120_000);
