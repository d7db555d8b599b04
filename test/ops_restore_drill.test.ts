/**
 * `kith backup --verify`: the restore drill unpacks the newest backup (local or off-site) into a
 * temporary folder, runs integrity_check, compares row counts and a sample of media hashes with
 * the live camp, and reports; it fails when the backup lacks media its database names or a media
 * file differs from the live one, and it records the outcome for the status page.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeTar } from "../src/archive/tar.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { runKith, tempDir } from "./support/kith.ts";
import { solidPng } from "./support/png.ts";
import { offsiteEnv } from "./support/rclone.ts";

setDefaultTimeout(30_000);

let camp: TestCamp;
let backups: string;
beforeAll(async () => {
  camp = await testCamp();
  await camp.addMember("olga", "operator");
  const olga = await camp.loggedIn("olga");
  for (const color of [[200, 40, 90], [20, 140, 90]] as const) {
    const image = new Blob([solidPng(10, 10, [...color])], { type: "image/png" });
    expect((await olga.post("/posts", { source: "Pictures", audience: "camp", image, alt: "A square" })).status).toBe(303);
  }
  backups = tempDir();
  expect((await runKith(["backup", "--keep", "3", `${backups}/`], { KITH_DATA: camp.dataDir })).code).toBe(0);
});
afterAll(() => camp.close());

const drill = (source: string, env: Record<string, string> = {}) => runKith(["backup", "--verify", source], { KITH_DATA: camp.dataDir, ...env });
const status = () => JSON.parse(readFileSync(join(camp.dataDir, "backup-status.json"), "utf8")).verify;
const mediaFiles = () => (readdirSync(camp.config.mediaDir, { recursive: true }) as string[]).filter((n) => statSync(join(camp.config.mediaDir, n)).isFile());

test("a good backup passes: integrity, row counts side by side, sampled media identical; nothing left behind", async () => {
  const run = await drill(`${backups}/`);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(run.stdout).toContain("ok      integrity_check of the restored database");
  expect(run.stdout).toContain("ok      posts: 2 in the backup, 2 live");
  expect(run.stdout).toContain("ok      members: 1 in the backup, 1 live");
  expect(run.stdout).toMatch(/ok +all \d+ media file\(s\) the database names are in the backup/);
  expect(mediaFiles().length).toBeGreaterThan(1);
  expect(run.stdout).toContain(`ok      ${mediaFiles().length} sampled media file(s) match the live camp byte for byte`);
  expect(run.stdout).toContain("The restore drill passed: this backup restores.");
  expect(status()).toMatchObject({ ok: true });
  expect(readdirSync(camp.dataDir).filter((n) => n.startsWith(".verify"))).toEqual([]);
});

test("it checks the off-site copy the same way, after fetching and decrypting it", async () => {
  const env = await offsiteEnv();
  const remote = `folder:${tempDir("kith-offsite-")}`;
  expect((await runKith(["backup", "--to", remote], { KITH_DATA: camp.dataDir, ...env })).code).toBe(0);
  const run = await drill(remote, env);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(new RegExp(`Restore drill on ${remote}/kith-\\d{8}-\\d{6}\\.tar`));
  expect(run.stdout).toContain("The restore drill passed");
});

test("a live media file that no longer matches its backup fails the drill", async () => {
  const [victim] = mediaFiles();
  const original = readFileSync(join(camp.config.mediaDir, victim!));
  writeFileSync(join(camp.config.mediaDir, victim!), Buffer.concat([original, Buffer.from("bit rot")]));
  try {
    const run = await drill(`${backups}/`);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`PROBLEM 1 media file(s) differ from the live camp's (${victim})`);
    expect(status()).toMatchObject({ ok: false });
    expect(status().summary).toContain("differ from the live camp's");
  } finally {
    writeFileSync(join(camp.config.mediaDir, victim!), original);
  }
});

test("a backup missing media its database names fails the drill; a folder with no backups is refused", async () => {
  const folder = tempDir();
  const full = join(backups, readdirSync(backups)[0]!);
  const unpacked = tempDir();
  expect(Bun.spawnSync(["tar", "-xf", full, "-C", unpacked, "kith.sqlite"]).exitCode).toBe(0);
  const db = join(unpacked, "kith.sqlite");
  writeTar(join(folder, "kith-20261203-000000.tar"), [{ name: "kith.sqlite", source: db, size: statSync(db).size }]);
  const run = await drill(`${folder}/`);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/PROBLEM \d+ uploaded file\(s\) the backup's database names are not in it/);

  const none = await drill(`${tempDir()}/`);
  expect(none.code).toBe(1);
  expect(none.stderr).toContain("there are no backups (kith-DATE.tar) in");
});
