/**
 * The `kith` command as an operator uses it, in a real child process sharing the data folder of a
 * running camp: invite and reset links that work, the member list, backups, migrations, and clear
 * refusals with a non-zero exit for anything wrong.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, PASSWORD, testCamp, type TestCamp } from "./support/camp.ts";
import { becomeOperator } from "./support/http.ts";
import { REPO, runKith, SETUP_LINK, startKith, tempDir } from "./support/kith.ts";
import { pathOf } from "./support/pages.ts";

let camp: TestCamp;
/** Runs `kith` against the camp's own data folder and domain, as the operator would on the server. */
const kith = (...args: string[]) => runKith(args, { KITH_DATA: camp.dataDir, KITH_DOMAIN: camp.config.domain });

beforeEach(async () => {
  camp = await testCamp();
  await camp.addMember("olga", "operator");
});
afterEach(() => camp.close());

describe("kith invite", () => {
  test("prints a single-use URL that lets a friend join", async () => {
    const run = await kith("invite", "--note", "Sam from the wall", "--days", "3");
    expect(run.code).toBe(0);
    const url = run.stdout.trim();
    expect(url).toMatch(new RegExp(`^${camp.config.origin.replaceAll(".", "\\.")}/join/[A-Za-z0-9_-]{43}$`));
    expect(run.stderr).toContain("Single use; expires");
    const invite = await camp.db.selectFrom("invites").selectAll().executeTakeFirstOrThrow();
    expect(invite.note).toBe("Sam from the wall");
    expect(Math.round((invite.expires_at - invite.created_at) / 86_400_000)).toBe(3);

    const friend = camp.client();
    expect((await friend.post(pathOf(url), { handle: "sam", displayName: "Sam", password: "a long enough password" })).status).toBe(303);
    expect((await camp.client().post(pathOf(url), { handle: "kim", displayName: "Kim", password: "a long enough password" })).status).toBe(410);
  });

  test("bad --days values are refused with a clear message and no invite", async () => {
    for (const days of ["0", "91", "abc", "-1"]) {
      const run = await kith("invite", "--days", days);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/kith: (--days must be a whole number|An invite lasts from 1 to 90 days)/);
      expect(run.stdout).toBe("");
    }
    expect(await camp.db.selectFrom("invites").select("id").execute()).toEqual([]);
  });
});

describe("kith members", () => {
  test("lists every member with role and state", async () => {
    const samId = await camp.addMember("sam");
    await camp.addMember("kim", "moderator");
    await camp.db.updateTable("accounts").set({ suspended_at: Date.now() }).where("id", "=", samId).execute();
    const run = await kith("members");
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n").map((l) => l.split(/\s+/));
    expect(lines).toEqual([
      ["@olga", "operator", "active", "Olga"],
      ["@sam", "member", "suspended", "Sam"],
      ["@kim", "moderator", "active", "Kim"],
    ]);
  });

  test("says how to start on a camp with no members", async () => {
    const run = await runKith(["members"], { KITH_DATA: tempDir() });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("No members yet");
  });
});

describe("kith reset-link", () => {
  test("prints a one-time URL that sets a new password", async () => {
    await camp.addMember("sam");
    const run = await kith("reset-link", "@sam");
    expect(run.code).toBe(0);
    const url = run.stdout.trim();
    expect(url).toStartWith(`${camp.config.origin}/reset/`);
    expect((await camp.client().post(pathOf(url), { password: "a brand new password" })).status).toBe(303);
    expect((await camp.client().post("/login", { handle: "sam", password: "a brand new password" })).status).toBe(303);
    expect((await camp.client().post(pathOf(url), { password: "yet another password" })).status).toBe(410);
  });

  test("refuses an unknown handle with a non-zero exit and a clear message", async () => {
    const run = await kith("reset-link", "nobody");
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('kith: No member has the handle "nobody".');
    expect(run.stdout).toBe("");
    expect(await camp.db.selectFrom("password_resets").select("token_hash").execute()).toEqual([]);
  });

  test("needs a handle", async () => {
    const run = await kith("reset-link");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"reset-link" needs HANDLE');
  });
});

describe("kith backup", () => {
  test("writes an archive whose database opens as SQLite and holds the members", async () => {
    await camp.addMember("sam");
    const file = join(tempDir(), "camp-backup.tar");
    const run = await kith("backup", file);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Backup written to ${file}`);
    // Unpacked with the system's own tar, so the archive is proven readable without Kith.
    const unpacked = tempDir();
    expect(Bun.spawnSync(["tar", "-xf", file, "-C", unpacked]).exitCode).toBe(0);
    const copy = new Database(join(unpacked, "kith.sqlite"), { readonly: true });
    try {
      expect(copy.query("pragma integrity_check").get()).toEqual({ integrity_check: "ok" });
      const handles = copy.query("select handle from accounts order by id").all();
      expect(handles).toEqual([{ handle: "olga" }, { handle: "sam" }]);
    } finally {
      copy.close();
    }
  });

  test("refuses to overwrite an existing file, and leaves it as it was", async () => {
    const file = join(tempDir(), "precious.txt");
    writeFileSync(file, "do not lose me");
    const run = await kith("backup", file);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("already exists; choose a new file name");
    expect(readFileSync(file, "utf8")).toBe("do not lose me");
  });

  test("a quote in the file name is harmless", async () => {
    const file = join(tempDir(), "it's a backup.tar");
    const run = await kith("backup", file);
    expect(run.code).toBe(0);
    expect(statSync(file).size).toBeGreaterThan(0);
  });
});

describe("kith migrate", () => {
  test("creates the database in an empty data folder and applies every migration", async () => {
    const data = tempDir();
    const run = await runKith(["migrate", "--data", data]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("is up to date");
    const db = new Database(join(data, "kith.sqlite"), { readonly: true });
    try {
      const applied = db.query("select name from kysely_migration order by name").all() as { name: string }[];
      expect(applied.map((m) => m.name)).toContain("001_initial");
      expect(db.query("pragma journal_mode").get()).toEqual({ journal_mode: "wal" });
    } finally {
      db.close();
    }
    expect((await runKith(["migrate", "--data", data])).code).toBe(0);
    rmSync(data, { recursive: true, force: true });
  });
});

describe("bad command lines are refused with a clear message and a non-zero exit", () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    ["an unknown flag", ["--nope"], {}, /unknown flag --nope/],
    ["a flag of another command", ["members", "--note", "x"], {}, /unknown flag --note for "members"/],
    ["an unknown command", ["frobnicate"], {}, /unknown command "frobnicate"/],
    ["a flag without its value", ["invite", "--note"], {}, /--note needs a value/],
    ["extra arguments", ["members", "extra"], {}, /takes no arguments/],
    ["a port that is not a number", ["migrate", "--port", "eighty"], {}, /port must be a number from 1 to 65535, not "eighty"/],
    ["a port out of range", ["migrate", "--port", "70000"], {}, /port must be a number from 1 to 65535/],
    ["a bad KITH_PORT", ["migrate"], { KITH_PORT: "0" }, /port must be a number from 1 to 65535, not "0"/],
    ["a domain with a scheme", ["migrate", "--domain", "https://camp.example.org"], {}, /is not a host name/],
    ["a domain with a path", ["migrate"], { KITH_DOMAIN: "camp.example.org/kith" }, /is not a host name/],
    ["a domain with a bad port", ["migrate", "--domain", "camp.example.org:99999"], {}, /is not a host name|port/],
    ["a bad log level", ["migrate", "--log-level", "loud"], {}, /KITH_LOG_LEVEL must be one of/],
    ["a bad listen address", ["migrate", "--host", "not an address"], {}, /is not an address to listen on/],
  ];
  for (const [name, args, env, message] of cases) {
    test(name, async () => {
      const data = tempDir();
      const run = await runKith(args, { KITH_DATA: data, ...env });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^kith: /);
      expect(run.stderr).toMatch(message);
      expect(run.stdout).toBe("");
      expect(existsSync(join(data, "kith.sqlite"))).toBe(false);
      rmSync(data, { recursive: true, force: true });
    });
  }

  test("--help prints the usage and exits 0", async () => {
    const run = await runKith(["--help"]);
    expect(run.code).toBe(0);
    for (const command of ["serve", "invite", "members", "reset-link", "backup", "migrate", "KITH_DATA", "KITH_PORT", "KITH_HOST", "KITH_DOMAIN"]) {
      expect(run.stdout).toContain(command);
    }
    expect((await runKith(["invite", "--help"])).code).toBe(0);
  });
});

describe("kith serve", () => {
  test("prints the setup link on the console; a restart replaces it; none once there is an operator", async () => {
    const data = tempDir();
    const port = await freePort();
    const start = () => startKith([process.execPath, "src/main.ts", "--port", String(port), "--data", data], { cwd: REPO });
    const local = (link: string) => link.replace(`localhost:${port}`, `127.0.0.1:${port}`);

    const first = start();
    const [, firstLink] = await first.waitFor(SETUP_LINK);
    expect(firstLink).toStartWith(`http://localhost:${port}/setup/`);
    expect((await fetch(local(firstLink!))).status).toBe(200);
    expect(await first.stop()).toBe(0);

    const second = start();
    const [, secondLink] = await second.waitFor(SETUP_LINK);
    expect(secondLink).not.toBe(firstLink);
    expect((await fetch(local(firstLink!))).status).toBe(410);
    const operator = await becomeOperator(`http://127.0.0.1:${port}`, secondLink!, PASSWORD);
    expect((await operator.get("/admin")).status).toBe(200);
    expect(await second.stop()).toBe(0);

    const third = start();
    await third.waitFor(/"message":"serving"/);
    expect(await third.stop()).toBe(0);
    expect(third.output()).not.toContain("/setup/");
    rmSync(data, { recursive: true, force: true });
  }, 20_000);
});
