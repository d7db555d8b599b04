/**
 * Off-site backups through real rclone: a folder remote and `rclone serve webdav` on loopback.
 * Backups are encrypted at rest and keep the newest N; an off-site copy restores into a fresh
 * folder with posts, keys and media intact; each bad input (a remote that does not exist, wrong
 * credentials, a full remote (a WebDAV endpoint answering 507), a wrong passphrase, a tar that is not a Kith backup, a backup from a newer Kith, a
 * connection dropped mid-upload) gives a clear message, a non-zero exit and loses nothing, and no
 * unfinished upload is ever listed as a backup. `kith doctor` reports the newest copy's age.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { Database } from "bun:sqlite";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeTar } from "../src/archive/tar.ts";
import { keysOf } from "../src/federation/keys.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { runKith, startKith, REPO, tempDir } from "./support/kith.ts";
import { solidPng } from "./support/png.ts";
import { offsiteEnv, PASSPHRASE, remoteFiles, serveFullWebdav, serveWebdav, type WebdavServer } from "./support/rclone.ts";

setDefaultTimeout(60_000);

let camp: TestCamp;
let env: Record<string, string>;
let webdav: WebdavServer;
const TIMED = /^kith-\d{8}-\d{6}\.tar$/;

beforeAll(async () => {
  camp = await testCamp();
  const olga = await camp.addMember("olga", "operator");
  await keysOf(camp.db, olga);
  const client = await camp.loggedIn("olga");
  const posted = await client.post("/posts", { source: "Picture day", audience: "camp", image: new Blob([solidPng(12, 12, [200, 40, 90])], { type: "image/png" }), alt: "A pink square" });
  expect(posted.status).toBe(303);
  expect((await client.post("/posts", { source: "Hello from the camp", audience: "public" })).status).toBe(303);
  webdav = await serveWebdav();
  env = await offsiteEnv({ davPort: webdav.port });
});
afterAll(async () => {
  await webdav?.kill();
  await camp?.close();
});

const kith = (data: string, args: string[], extra: Record<string, string> = {}) => runKith(args, { KITH_DATA: data, ...env, ...extra });
const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");
const rows = (file: string, sql: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.query(sql).all();
  } finally {
    db.close();
  }
};
/** Backups (by their plain names) complete in a remote folder; anything else there is not one. */
const completeIn = async (remote: string) => (await remoteFiles(remote, env)).filter((n) => /^kith-\d{8}-\d{6}\.tar\.bin$/.test(n)).map((n) => n.slice(0, -4));
const nextSecond = () => Bun.sleep(1100 - (Date.now() % 1000));

/** Every file under a folder with its hash, keyed by its path inside. */
function hashes(folder: string): Record<string, string> {
  if (!existsSync(folder)) return {};
  return Object.fromEntries((readdirSync(folder, { recursive: true }) as string[])
    .filter((n) => statSync(join(folder, n)).isFile()).sort().map((n) => [n, sha(join(folder, n))]));
}

describe("a folder remote", () => {
  test("backups are encrypted at rest, the newest N are kept, and one restores into a fresh folder intact", async () => {
    const folder = tempDir("kith-offsite-");
    const remote = `folder:${folder}/kith`;
    for (let i = 0; i < 3; i++) {
      await nextSecond();
      const run = await kith(camp.dataDir, ["backup", "--to", remote, "--keep", "2"]);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Encrypted copy uploaded to folder:.*\/kith\/kith-\d{8}-\d{6}\.tar\./);
      if (i === 2) expect(run.stdout).toContain("Removed old off-site backup");
    }
    const kept = await completeIn(remote);
    expect(kept).toHaveLength(2);
    expect(readdirSync(join(folder, "kith")).sort()).toEqual(kept.map((n) => `${n}.bin`));
    // Nothing readable at rest: no tar header, no SQLite header, no post text.
    const stored = readFileSync(join(folder, "kith", `${kept[1]}.bin`));
    for (const plain of ["ustar", "SQLite format 3", "Picture day", "PRIVATE KEY"]) expect(stored.includes(plain)).toBe(false);
    // The camp's own data folder holds no leftover of the upload.
    expect(readdirSync(camp.dataDir).filter((n) => n.startsWith("."))).toEqual([]);

    const fresh = tempDir();
    const restored = await kith(fresh, ["restore", `${remote}/${kept[1]}`]);
    expect(restored.stderr).toBe("");
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`Restored ${remote}/${kept[1]} into ${fresh} (the database and 1 media file).`);
    const [live, copy] = [camp.config.dbFile, join(fresh, "kith.sqlite")];
    expect(rows(copy, "pragma integrity_check")).toEqual([{ integrity_check: "ok" }]);
    for (const table of ["posts", "accounts", "members", "account_keys", "media"]) {
      expect(rows(copy, `select * from ${table} order by rowid`)).toEqual(rows(live, `select * from ${table} order by rowid`));
    }
    expect(rows(copy, "select count(*) as n from account_keys")).toEqual([{ n: 1 }]);
    expect(hashes(join(fresh, "media"))).toEqual(hashes(camp.config.mediaDir));
    expect(Object.keys(hashes(camp.config.mediaDir)).length).toBeGreaterThan(0);
    expect(readdirSync(fresh).filter((n) => n.startsWith(".restore"))).toEqual([]);
  });

  test("kith backup DIR/ --to writes the local copy and pushes the same backup, and doctor reports its age", async () => {
    const local = tempDir();
    const remote = `folder:${tempDir("kith-offsite-")}`;
    await nextSecond();
    const run = await kith(camp.dataDir, ["backup", `${local}/`, "--to", remote]);
    expect(run.code).toBe(0);
    const [name] = readdirSync(local);
    expect(name).toMatch(TIMED);
    expect(await completeIn(remote)).toEqual([name!]);

    const doctor = await kith(camp.dataDir, ["doctor"], { KITH_OFFSITE: remote });
    expect(doctor.stdout).toMatch(new RegExp(`ok +newest off-site backup ${remote}/${name!.replace(/\./g, "\\.")} \\(0 hours old, 1 kept\\)`));
    const status = JSON.parse(readFileSync(join(camp.dataDir, "backup-status.json"), "utf8"));
    expect(status.offsite).toMatchObject({ target: remote, lastSuccessName: name, lastError: null });
    expect(status.local.file).toBe(join(local, name!));
  });

  test("doctor fails when the newest off-site copy is over two days old, or there is none", async () => {
    const folder = tempDir("kith-offsite-");
    const remote = `folder:${folder}`;
    const empty = await kith(camp.dataDir, ["doctor"], { KITH_OFFSITE: remote });
    expect(empty.code).toBe(1);
    expect(empty.stdout).toContain(`PROBLEM there is no complete off-site backup at ${remote} yet`);
    writeFileSync(join(folder, "kith-20200101-000000.tar.bin"), "an old copy");
    const stale = new Date(Date.now() - 3 * 24 * 3_600_000).toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
    writeFileSync(join(folder, `kith-${stale}.tar.bin`), "a three-day-old copy");
    const old = await kith(camp.dataDir, ["doctor"], { KITH_OFFSITE: remote });
    expect(old.code).toBe(1);
    expect(old.stdout).toMatch(new RegExp(`PROBLEM the newest off-site backup, ${remote}/kith-${stale}\\.tar, is 7[12] hours old`));
  });
});

describe("over WebDAV on loopback, with a password", () => {
  test("a backup goes up and comes back; a wrong passphrase cannot restore it and changes nothing", async () => {
    await nextSecond();
    const run = await kith(camp.dataDir, ["backup", "--to", "dav:camp", "--keep", "3"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const [name] = (await completeIn("dav:camp")).slice(-1);
    expect(existsSync(join(webdav.folder, "camp", `${name}.bin`))).toBe(true);

    const fresh = tempDir();
    const wrong = await kith(fresh, ["restore", `dav:camp/${name}`], { KITH_BACKUP_PASSPHRASE_FILE: "", KITH_BACKUP_PASSPHRASE: "not the passphrase at all" });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`dav:camp/${name} could not be decrypted: the passphrase is wrong (or the copy is damaged). Nothing was changed.`);
    expect(readdirSync(fresh)).toEqual([]);

    const right = await kith(fresh, ["restore", `dav:camp/${name}`]);
    expect(right.code).toBe(0);
    expect(rows(join(fresh, "kith.sqlite"), "select source from posts order by id")).toEqual(rows(camp.config.dbFile, "select source from posts order by id"));
  });

  test("a remote that does not exist, and wrong credentials: clear messages, exit 1, status recorded for /readyz", async () => {
    const missing = await kith(camp.dataDir, ["backup", "--to", "nosuch:camp"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Uploading the backup to nosuch:camp failed: there is no rclone remote called "nosuch". Set it up with: rclone config');

    const badLogin = await offsiteEnv({ davPort: webdav.port, davPassword: "not the password" });
    const refused = await runKith(["backup", "--to", "dav:camp"], { KITH_DATA: camp.dataDir, ...badLogin });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('failed: the remote "dav" refused the login: check the user name, password or key');
    const status = JSON.parse(readFileSync(join(camp.dataDir, "backup-status.json"), "utf8"));
    expect(status.offsite.lastError).toContain("refused the login");

    const restore = await runKith(["restore", "dav:camp/kith-20200101-000000.tar"], { KITH_DATA: tempDir(), ...badLogin });
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain('the remote "dav" refused the login');

    const noPassphrase = await kith(camp.dataDir, ["backup", "--to", "dav:camp"], { KITH_BACKUP_PASSPHRASE_FILE: "" });
    expect(noPassphrase.code).toBe(1);
    expect(noPassphrase.stderr).toContain("off-site backups are encrypted, and no passphrase is set");
  });

  test("a full remote: a clear message and exit 1, while the local backup of the same run is kept", async () => {
    const full = serveFullWebdav();
    try {
      const local = tempDir();
      const run = await kith(camp.dataDir, ["backup", `${local}/`, "--to", "full:camp"], { RCLONE_CONFIG_FULL_TYPE: "webdav", RCLONE_CONFIG_FULL_URL: `http://127.0.0.1:${full.port}` });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('Uploading the backup to full:camp failed: the remote "full" is full: free space there (or keep fewer backups with --keep).');
      expect(readdirSync(local)).toEqual([expect.stringMatching(TIMED)]);
      expect(readdirSync(camp.dataDir).filter((n) => n.startsWith("."))).toEqual([]);
    } finally {
      full.stop();
    }
  });

  test("a backup name that is not there lists the ones that are", async () => {
    const run = await kith(tempDir(), ["restore", "dav:camp/kith-20000101-000000.tar"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/there is no backup kith-20000101-000000\.tar at dav:camp\. The backups there: kith-\d{8}-\d{6}\.tar/);
  });
});

describe("what is not a Kith backup, or too new, is refused after decrypting, and nothing changes", () => {
  /** Encrypts and uploads a local file as REMOTE/name, the way kith backup would. */
  async function upload(file: string, remote: string, name: string) {
    const { pushOffsite } = await import("../src/cli/offsite.ts");
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      await pushOffsite(remote, PASSPHRASE, file, name, null);
    } finally {
      for (const key of Object.keys(env)) if (!(key in saved)) delete process.env[key];
    }
  }

  async function expectRefused(name: string, remote: string, message: string) {
    const target = tempDir();
    writeFileSync(join(target, "marker"), "the data folder before");
    const run = await kith(target, ["restore", `${remote}/${name}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain("Nothing was changed.");
    expect(readdirSync(target).sort()).toEqual(["marker"]);
  }

  test("a tar of something else", async () => {
    const remote = `folder:${tempDir("kith-offsite-")}`;
    const source = join(tempDir(), "notes.txt");
    writeFileSync(source, "just some notes");
    const tar = join(tempDir(), "other.tar");
    writeTar(tar, [{ name: "notes.txt", source, size: statSync(source).size }]);
    await upload(tar, remote, "kith-20261201-000000.tar");
    await expectRefused("kith-20261201-000000.tar", remote, `${remote}/kith-20261201-000000.tar is not a usable Kith backup: the archive holds notes.txt, which does not belong in a Kith backup.`);
  });

  test("a backup made by a newer Kith", async () => {
    const remote = `folder:${tempDir("kith-offsite-")}`;
    const folder = tempDir();
    const file = join(folder, "kith.sqlite");
    expect((await kith(camp.dataDir, ["backup", join(folder, "camp.tar")])).code).toBe(0);
    expect(Bun.spawnSync(["tar", "-xf", join(folder, "camp.tar"), "-C", folder, "kith.sqlite"]).exitCode).toBe(0);
    const db = new Database(file);
    db.run("insert into kysely_migration (name, timestamp) values ('999_from_the_future', '2030-01-01T00:00:00.000Z')");
    db.close();
    const tar = join(folder, "future.tar");
    writeTar(tar, [{ name: "kith.sqlite", source: file, size: statSync(file).size }]);
    await upload(tar, remote, "kith-20261202-000000.tar");
    await expectRefused("kith-20261202-000000.tar", remote, "it was made by a newer Kith (it has migrations 999_from_the_future). Upgrade Kith first.");
  });
});

test("a connection dropped midway through the upload: exit 1, the previous backups stay, and no partial one is listed as complete", async () => {
  const server = await serveWebdav();
  const dropEnv = await offsiteEnv({ davPort: server.port });
  const data = tempDir();
  expect((await runKith(["migrate"], { KITH_DATA: data })).code).toBe(0);
  const first = await runKith(["backup", "--to", "dav:kith"], { KITH_DATA: data, ...dropEnv });
  expect(first.code).toBe(0);
  const before = (await remoteFiles("dav:kith", dropEnv));
  expect(before).toHaveLength(1);

  // Enough media that the upload, held to 256 KiB/s, is still running when the server goes away.
  mkdirSync(join(data, "media"), { recursive: true });
  writeFileSync(join(data, "media", "big.bin"), randomBytes(4 * 1024 * 1024));
  await nextSecond();
  const upload = startKith([process.execPath, "src/main.ts", "backup", "--to", "dav:kith"], { cwd: REPO, env: { KITH_DATA: data, ...dropEnv, RCLONE_BWLIMIT: "256k" } });
  const partial = () => readdirSync(join(server.folder, "kith")).find((n) => n.endsWith(".tar.partial.bin"));
  while (!partial() || statSync(join(server.folder, "kith", partial()!)).size < 256 * 1024) {
    if (await Promise.race([upload.exited.then(() => true), Bun.sleep(50).then(() => false)])) throw new Error(`the upload ended before the drop:\n${upload.output()}`);
  }
  await server.kill();
  expect(await upload.exited).toBe(1);
  expect(upload.output()).toContain('the remote "dav" could not be reached or the connection dropped');

  // Back online: only the first backup is complete; the cut-off upload is at most a .partial.
  const again = await serveWebdav(server.folder, server.port);
  try {
    const after = await remoteFiles("dav:kith", dropEnv);
    expect(after.filter((n) => !n.includes(".partial"))).toEqual(before);
    const doctor = await runKith(["doctor"], { KITH_DATA: data, KITH_OFFSITE: "dav:kith", ...dropEnv });
    expect(doctor.stdout).toContain(`newest off-site backup dav:kith/${before[0]!.slice(0, -4)}`);
    expect(JSON.parse(readFileSync(join(data, "backup-status.json"), "utf8")).offsite).toMatchObject({ lastSuccessName: before[0]!.slice(0, -4) });

    // The next good run finishes, and clears what the cut-off one left.
    await nextSecond();
    expect((await runKith(["backup", "--to", "dav:kith"], { KITH_DATA: data, ...dropEnv })).code).toBe(0);
    const later = await remoteFiles("dav:kith", dropEnv);
    expect(later).toHaveLength(2);
    expect(later.every((n) => /^kith-\d{8}-\d{6}\.tar\.bin$/.test(n))).toBe(true);
  } finally {
    await again.kill();
  }
});
