/**
 * Two restores within one second each keep the data they replace in a folder of its own: the
 * second does not fail on (or overwrite) the first one's before-restore folder.
 */
import { expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { makeKeepFolder } from "../src/cli/restore.ts";
import { runKith, tempDir } from "./support/kith.ts";

test("the same second gives before-restore-STAMP, then -2, then -3", () => {
  const data = tempDir();
  const at = new Date("2026-12-03T02:00:00Z");
  const names = [makeKeepFolder(data, at), makeKeepFolder(data, at), makeKeepFolder(data, at)].map((f) => f.slice(data.length + 1));
  expect(names).toEqual(["before-restore-20261203-020000", "before-restore-20261203-020000-2", "before-restore-20261203-020000-3"]);
});

test("kith restore twice in a row, when this second's folder name is taken, keeps both replaced databases", async () => {
  const data = tempDir();
  expect((await runKith(["migrate"], { KITH_DATA: data })).code).toBe(0);
  const backup = join(tempDir(), "camp.tar");
  expect((await runKith(["backup", backup], { KITH_DATA: data })).code).toBe(0);

  // Whatever second the restores land in, its plain name is already taken, as by an earlier restore.
  const start = Date.now();
  for (let s = 0; s < 60; s++) makeKeepFolder(data, new Date(start + s * 1000));
  const first = await runKith(["restore", backup], { KITH_DATA: data });
  const second = await runKith(["restore", backup], { KITH_DATA: data });
  expect(first.stderr).toBe("");
  expect([first.code, second.code]).toEqual([0, 0]);
  const kept = [first, second].map((run) => run.stdout.match(/kept in (\S+);/)![1]!);
  expect(kept[0]).not.toBe(kept[1]);
  for (const folder of kept) {
    expect(folder).toMatch(/before-restore-\d{8}-\d{6}-\d+$/);
    expect(readFileSync(join(folder, "kith.sqlite")).subarray(0, 15).toString()).toBe("SQLite format 3");
  }
  expect(readdirSync(data).filter((n) => n.startsWith("before-restore-")).length).toBe(62);
  expect(existsSync(join(data, "kith.sqlite"))).toBe(true);
});
