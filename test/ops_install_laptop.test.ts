/**
 * `./install.sh` on a laptop, for real, in a copy of this checkout: it builds dist/kith, starts a
 * camp in the background on loopback, prints the setup link that works; running it again upgrades
 * in place and keeps the data; `--stop` stops it. It runs offline once npm ci has been done (npm
 * is replaced by a stand-in that fails). In CI, .ci/run also starts a camp from the clone itself
 * with ./install.sh, and the last test reaches that one.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, existsSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, PASSWORD } from "./support/camp.ts";
import { becomeOperator, HttpVisitor } from "./support/http.ts";
import { REPO, SETUP_LINK, tempDir } from "./support/kith.ts";

let checkout: string;
let port: number;
let path: string;

/** Runs install.sh in the copy, with npm unavailable, and returns what it printed. */
function install(...args: string[]) {
  const child = Bun.spawnSync(["./install.sh", ...args], { cwd: checkout, env: { ...process.env, PATH: path } });
  return { code: child.exitCode, stdout: child.stdout.toString(), stderr: child.stderr.toString() };
}

const pidOf = () => Number(readFileSync(join(checkout, "data", "kith.pid"), "utf8"));
const localOrigin = () => `http://127.0.0.1:${port}`;

beforeAll(async () => {
  checkout = tempDir("kith-checkout-");
  const files = Bun.spawnSync(["git", "ls-files", "-co", "--exclude-standard"], { cwd: REPO }).stdout.toString().split("\n").filter(Boolean);
  // tar keeps modification times, so the copied lock file is no newer than the installed packages.
  const pack = Bun.spawn(["tar", "-cf", "-", "-T", "-"], { cwd: REPO, stdin: new Blob([files.filter((f) => existsSync(join(REPO, f))).join("\n")]), stdout: "pipe" });
  const unpack = Bun.spawn(["tar", "-xf", "-"], { cwd: checkout, stdin: pack.stdout });
  expect(await unpack.exited).toBe(0);
  symlinkSync(join(REPO, "node_modules"), join(checkout, "node_modules"));
  const stand_ins = tempDir("kith-no-npm-");
  writeFileSync(join(stand_ins, "npm"), '#!/bin/sh\necho "npm was run ($*), but install.sh must work offline after npm ci" >&2\nexit 97\n');
  chmodSync(join(stand_ins, "npm"), 0o755);
  path = `${stand_ins}:${process.env.PATH}`;
  port = await freePort();
});

afterAll(() => {
  if (existsSync(join(checkout, "data", "kith.pid"))) install("--stop");
});

describe("./install.sh (laptop mode)", () => {
  test("--dry-run builds and starts nothing", () => {
    const run = install("--dry-run", "--port", String(port));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("would run: ");
    expect(run.stdout).toMatch(/would run: \S+\/dist\/kith serve --data \S+\/data --port \d+/);
    expect(existsSync(join(checkout, "dist", "kith"))).toBe(false);
    expect(existsSync(join(checkout, "data"))).toBe(false);
  });

  test("builds, starts a camp in the background and prints a setup link that works", async () => {
    const run = install("--port", String(port));
    expect(run.stderr).not.toContain("npm was run");
    expect(run.code).toBe(0);
    expect(existsSync(join(checkout, "dist", "kith"))).toBe(true);
    const link = run.stdout.match(SETUP_LINK)![1]!;
    expect(link).toStartWith(`http://localhost:${port}/setup/`);
    expect(run.stdout).toContain("./install.sh --stop");
    const page = await fetch(`${localOrigin()}${new URL(link).pathname}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="password"');
    await becomeOperator(localOrigin(), link, PASSWORD);
  }, 60_000);

  test("running it again rebuilds and restarts in place, and keeps the data", async () => {
    const before = pidOf();
    const run = install("--port", String(port));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Stopping the camp (pid ${before})`);
    expect(run.stdout).toContain("it already has an operator");
    expect(run.stdout).not.toMatch(SETUP_LINK);
    expect(pidOf()).not.toBe(before);
    const olga = new HttpVisitor(localOrigin());
    expect((await olga.post("/login", { handle: "olga", password: PASSWORD })).status).toBe(303);
  }, 60_000);

  test("--stop stops it, and says so when nothing runs", async () => {
    const pid = pidOf();
    const run = install("--stop");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Stopping the camp (pid ${pid})`);
    expect(run.stdout).toContain("Stopped.");
    expect(existsSync(join(checkout, "data", "kith.pid"))).toBe(false);
    await expect(fetch(`${localOrigin()}/healthz`)).rejects.toThrow();
    const again = install("--stop");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("No camp from this folder is running.");
    expect(existsSync(join(checkout, "data", "kith.sqlite"))).toBe(true);
  });

  test("refuses a bad port", () => {
    const run = install("--port", "70000");
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("--port must be a number from 1 to 65535");
  });
});

describe("the camp CI started with ./install.sh on the fresh clone", () => {
  test.skipIf(process.env.KITH_CI_CAMP !== "1")("answers on localhost:8080 with a working setup link", async () => {
    const log = readFileSync(join(REPO, "kith.log"), "utf8");
    const link = log.match(SETUP_LINK)![1]!;
    expect(link).toStartWith("http://localhost:8080/setup/");
    const health = await fetch("http://127.0.0.1:8080/healthz");
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok" });
    const page = await fetch(`http://127.0.0.1:8080${new URL(link).pathname}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="password"');
  });
});
