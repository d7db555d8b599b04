/**
 * `kith backup` while a camp serves and members post, restored into a fresh folder that passes
 * PRAGMA integrity_check and serves the same posts and images; `kith restore` refusing corrupt,
 * foreign, too-new and unsafe files and a running server, changing nothing when it refuses;
 * a full disk during a backup leaving nothing behind; dated backups pruned to the newest N.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { createHash } from "node:crypto";
import { chownSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeTar } from "../src/archive/tar.ts";
import { PASSWORD, testCamp, type TestCamp } from "./support/camp.ts";
import { HttpVisitor } from "./support/http.ts";
import { runKith, tempDir, type RunningKith } from "./support/kith.ts";
import { keepPosting, startCamp, startCampWithOperator } from "./support/ops.ts";
import { solidPng } from "./support/png.ts";

const running: RunningKith[] = [];
const camps: TestCamp[] = [];
afterEach(async () => {
  for (const kith of running.splice(0)) await kith.stop().catch(() => {});
  for (const camp of camps.splice(0)) await camp.close();
});

const kithOn = (data: string, ...args: string[]) => runKith(args, { KITH_DATA: data });
const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
const integrity = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.query("pragma integrity_check").get();
  } finally {
    db.close();
  }
};
const rows = (file: string, sql: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.query(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
};

describe("backup while serving, restore into a fresh folder", () => {
  test("the restored camp is intact and serves the same posts and images", async () => {
    const original = tempDir();
    const camp = await startCampWithOperator(original);
    running.push(camp.kith);
    const png = solidPng(12, 12, [200, 40, 90]);
    const withImage = await camp.operator.post("/posts", { source: "Picture day", audience: "camp", image: new Blob([png], { type: "image/png" }), alt: "A pink square" });
    expect(withImage.status).toBe(303);
    const imagePostId = Number(withImage.headers.get("location")!.match(/#post-(\d+)$/)![1]);

    // The operator keeps posting while the backup runs.
    const acknowledged: number[] = [];
    let stop = false;
    const posting = keepPosting(camp.operator, "olga", acknowledged, () => stop);
    while (acknowledged.length < 10) await Bun.sleep(5);
    const before = [...acknowledged];
    const file = join(tempDir(), "camp.tar");
    const backup = await kithOn(original, "backup", file);
    const during = acknowledged.length - before.length;
    stop = true;
    await posting;
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain("(the database and 1 media file)");
    expect(during).toBeGreaterThan(0);

    const fresh = tempDir();
    const restore = await kithOn(fresh, "restore", file);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain(`Restored ${file} into ${fresh}`);
    expect(integrity(join(fresh, "kith.sqlite"))).toEqual({ integrity_check: "ok" });

    // Every post acknowledged before the backup began is in it, word for word as on the original.
    const restoredPosts = rows(join(fresh, "kith.sqlite"), "select id, source, html from posts order by id");
    const originalPosts = new Map(rows(join(original, "kith.sqlite"), "select id, source, html from posts").map((p) => [p.id, p]));
    const restoredIds = new Set(restoredPosts.map((p) => p.id));
    for (const id of [imagePostId, ...before]) expect(restoredIds.has(id)).toBe(true);
    for (const post of restoredPosts) expect(post).toEqual(originalPosts.get(post.id)!);

    const copy = await startCamp(fresh);
    running.push(copy.kith);
    expect(copy.setupLink).toBeNull();
    const olga = new HttpVisitor(copy.origin);
    expect((await olga.post("/login", { handle: "olga", password: PASSWORD })).status).toBe(303);
    for (const id of [imagePostId, before[0]!, before.at(-1)!]) {
      const [there, here] = await Promise.all([camp.operator.get(`/posts/${id}`), olga.get(`/posts/${id}`)]);
      expect(here.status).toBe(200);
      const source = String(originalPosts.get(id)!.source);
      expect(await here.text()).toContain(source);
      expect(await there.text()).toContain(source);
    }
    const page = await (await olga.get(`/posts/${imagePostId}`)).text();
    const imageUrl = page.match(/\/media\/[0-9a-f]{32}\.png/)![0];
    const image = await olga.get(imageUrl);
    expect(image.status).toBe(200);
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(new Uint8Array((await (await camp.operator.get(imageUrl)).arrayBuffer())));
  }, 30_000);
});

describe("kith restore refuses, and changes nothing", () => {
  /** A camp in a data folder with one member, and a fingerprint of its data to prove it untouched. */
  async function campWith(handle: string) {
    const camp = await testCamp();
    camps.push(camp);
    await camp.addMember(handle);
    return camp;
  }

  async function backupOf(camp: TestCamp): Promise<string> {
    const file = join(tempDir(), "backup.tar");
    expect((await kithOn(camp.dataDir, "backup", file)).code).toBe(0);
    return file;
  }

  /** Unpacks a backup with the system's tar, lets `change` edit it, and packs it again. */
  function alteredBackup(file: string, change: (folder: string) => void): string {
    const folder = tempDir();
    expect(Bun.spawnSync(["tar", "-xf", file, "-C", folder]).exitCode).toBe(0);
    change(folder);
    const altered = join(tempDir(), "altered.tar");
    expect(Bun.spawnSync(["tar", "--format=ustar", "-cf", altered, "-C", folder, "kith.sqlite"]).exitCode).toBe(0);
    return altered;
  }

  async function expectRefused(target: TestCamp, file: string, message: string) {
    const dbBefore = sha(target.config.dbFile);
    const entriesBefore = readdirSync(target.dataDir).sort();
    const run = await kithOn(target.dataDir, "restore", file);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain("Nothing was changed.");
    expect(sha(target.config.dbFile)).toBe(dbBefore);
    expect(readdirSync(target.dataDir).sort()).toEqual(entriesBefore);
  }

  test("a file that is not a backup at all", async () => {
    const target = await campWith("sam");
    const junk = join(tempDir(), "holiday.jpg");
    writeFileSync(junk, Buffer.alloc(4096, 7));
    await expectRefused(target, junk, "is not a Kith backup");
  });

  test("a backup cut short", async () => {
    const target = await campWith("sam");
    const whole = await backupOf(await campWith("dora"));
    const cut = join(tempDir(), "cut.tar");
    writeFileSync(cut, readFileSync(whole).subarray(0, 20_000));
    await expectRefused(target, cut, "cut short");
  });

  test("a backup whose database is damaged", async () => {
    const target = await campWith("sam");
    const damaged = alteredBackup(await backupOf(await campWith("dora")), (folder) => {
      const db = join(folder, "kith.sqlite");
      const bytes = readFileSync(db);
      bytes.fill(0x5a, 8192, bytes.length - 8192);
      writeFileSync(db, bytes);
    });
    await expectRefused(target, damaged, "its database is damaged");
  });

  test("a SQLite database that is not a camp's", async () => {
    const target = await campWith("sam");
    const foreign = join(tempDir(), "recipes.sqlite");
    const db = new Database(foreign, { create: true });
    db.exec("create table recipes (name text); insert into recipes values ('soup')");
    db.close();
    await expectRefused(target, foreign, "is not a Kith camp's database");
  });

  test("a backup from a newer Kith", async () => {
    const target = await campWith("sam");
    const newer = alteredBackup(await backupOf(await campWith("dora")), (folder) => {
      const db = new Database(join(folder, "kith.sqlite"));
      db.exec("insert into kysely_migration (name, timestamp) values ('999_from_the_future', '2099-01-01T00:00:00.000Z')");
      db.close();
    });
    await expectRefused(target, newer, "made by a newer Kith (it has migrations 999_from_the_future)");
  });

  test("an archive that tries to write outside the data folder", async () => {
    const target = await campWith("sam");
    const payload = join(tempDir(), "payload");
    writeFileSync(payload, "owned");
    const evil = join(tempDir(), "evil.tar");
    await writeTar(evil, [{ name: "../escaped.txt", source: payload, size: 5 }]);
    await expectRefused(target, evil, "unsafe name: ../escaped.txt");
    expect(existsSync(join(target.dataDir, "..", "escaped.txt"))).toBe(false);
  });

  test("while a server is running on the data", async () => {
    const data = tempDir();
    const server = await startCamp(data);
    running.push(server.kith);
    const file = await backupOf(await campWith("dora"));
    const before = sha(join(data, "kith.sqlite"));
    const run = await kithOn(data, "restore", file);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`another Kith process (pid ${server.kith.pid}) is using ${data}, so the restore cannot start`);
    expect(sha(join(data, "kith.sqlite"))).toBe(before);
  });

  test("and when it succeeds, the data it replaced is kept", async () => {
    const target = await campWith("sam");
    const file = await backupOf(await campWith("dora"));
    // Like a stopped server: nothing holds the database open while it is replaced.
    await target.store.close();
    const run = await kithOn(target.dataDir, "restore", file);
    expect(run.code).toBe(0);
    const kept = readdirSync(target.dataDir).find((name) => name.startsWith("before-restore-"))!;
    expect(run.stdout).toContain(`The data it replaced is kept in ${join(target.dataDir, kept)}`);
    const handles = (file: string) => rows(file, "select handle from accounts order by id").map((r) => r.handle);
    expect(handles(target.config.dbFile)).toEqual(["dora"]);
    expect(handles(join(target.dataDir, kept, "kith.sqlite"))).toEqual(["sam"]);
    expect(readdirSync(target.dataDir).filter((name) => name.startsWith(".restore-"))).toEqual([]);
  });
});

describe("kith restore run as root", () => {
  test.skipIf(process.getuid?.() !== 0)("hands the restored files to the data folder's owner, so the server's user can open them", async () => {
    const source = await testCamp();
    camps.push(source);
    const file = join(tempDir(), "backup.tar");
    expect((await kithOn(source.dataDir, "backup", file)).code).toBe(0);
    const data = tempDir();
    chownSync(data, 65534, 65534);
    expect((await kithOn(data, "restore", file)).code).toBe(0);
    for (const path of [join(data, "kith.sqlite"), join(data, "media")]) expect(statSync(path).uid).toBe(65534);
    // Restoring again keeps the data it replaces in a folder the owner can clear away.
    expect((await kithOn(data, "restore", file)).code).toBe(0);
    const kept = readdirSync(data).find((name) => name.startsWith("before-restore-"))!;
    for (const path of [join(data, kept), join(data, kept, "kith.sqlite"), join(data, "kith.sqlite")]) expect(statSync(path).uid).toBe(65534);
  });
});

const canMountTmpfs = Bun.spawnSync(["unshare", "--user", "--map-root-user", "--mount", "true"]).exitCode === 0;

describe("kith backup", () => {
  test.skipIf(!canMountTmpfs)("on a full disk: a clear message, and nothing left behind", async () => {
    const camp = await testCamp();
    camps.push(camp);
    for (const handle of ["ana", "ben", "cai", "dee"]) await camp.addMember(handle);
    const disk = tempDir();
    // A 64 KB disk of its own (a tmpfs in a private mount namespace), smaller than the database.
    const script = `mount -t tmpfs -o size=64k tmpfs "$1" && "$2" src/main.ts backup "$1/camp.tar"; echo "exit=$?"; ls -A "$1"`;
    const child = Bun.spawnSync(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh", disk, process.execPath], {
      cwd: join(import.meta.dir, ".."),
      env: { ...process.env, KITH_DATA: camp.dataDir },
    });
    const stdout = child.stdout.toString();
    expect(stdout).toContain("exit=1");
    expect(child.stderr.toString()).toContain("the backup did not fit: the disk holding");
    expect(child.stderr.toString()).toContain("is full. Nothing was written");
    // The listing after "exit=" is the disk's content: empty, no partial file under any name.
    expect(stdout.slice(stdout.indexOf("exit=1") + "exit=1".length).trim()).toBe("");
  });

  test("into a folder: dated names, keeping only the newest N", async () => {
    const camp = await testCamp();
    camps.push(camp);
    const folder = tempDir();
    for (const old of ["kith-20240101-030000.tar", "kith-20240102-030000.tar", "kith-20240103-030000.tar"]) writeFileSync(join(folder, old), "old");
    writeFileSync(join(folder, "notes.txt"), "not a backup, never removed");
    const run = await kithOn(camp.dataDir, "backup", "--keep", "2", `${folder}/`);
    expect(run.code).toBe(0);
    const left = readdirSync(folder).sort();
    expect(left).toHaveLength(3);
    expect(left[0]).toBe("kith-20240103-030000.tar");
    expect(left[1]).toMatch(/^kith-\d{8}-\d{6}\.tar$/);
    expect(left[2]).toBe("notes.txt");
    expect(statSync(join(folder, left[1]!)).size).toBeGreaterThan(10_000);
    expect(run.stdout).toContain("Removed old backup");
  });

  test("--keep without a folder, and a missing database, are refused", async () => {
    const camp = await testCamp();
    camps.push(camp);
    const keep = await kithOn(camp.dataDir, "backup", "--keep", "3", join(tempDir(), "one.tar"));
    expect(keep.code).toBe(2);
    expect(keep.stderr).toContain("--keep only works with a folder");
    const empty = await kithOn(tempDir(), "backup", join(tempDir(), "one.tar"));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("there is no camp database at");
  });
});
