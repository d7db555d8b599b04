/**
 * `bun run build` makes one executable that carries its templates, static files and migrations:
 * copied alone into an empty folder, it starts, prints the setup link and serves the pages.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { copyFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import packageJson from "../package.json" with { type: "json" };
import { freePort } from "./support/camp.ts";
import { becomeOperator } from "./support/http.ts";
import { REPO, SETUP_LINK, startKith, tempDir, type RunningKith } from "./support/kith.ts";
import { textOf } from "./support/pages.ts";

const buildDir = tempDir("kith-build-");
const emptyFolder = tempDir("kith-binary-");
let server: RunningKith | undefined;

/** The `build` script's own command, with only the output file moved out of the shared dist/. */
function buildCommand(outfile: string): string[] {
  const words = packageJson.scripts.build.split(/\s+/);
  expect(words.slice(0, 3)).toEqual(["bun", "build", "--compile"]);
  words[words.indexOf("--outfile") + 1] = outfile;
  return [process.execPath, ...words.slice(1)];
}

beforeAll(() => {
  const built = join(buildDir, "kith");
  const build = Bun.spawnSync(buildCommand(built), { cwd: REPO, stdout: "pipe", stderr: "pipe" });
  if (build.exitCode !== 0) throw new Error(`build failed: ${build.stderr.toString()}`);
  copyFileSync(built, join(emptyFolder, "kith"));
  rmSync(buildDir, { recursive: true, force: true });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  rmSync(emptyFolder, { recursive: true, force: true });
});

test("the binary, alone in an empty folder, sets up a camp there and serves its pages", async () => {
  expect(readdirSync(emptyFolder)).toEqual(["kith"]);
  expect(statSync(join(emptyFolder, "kith")).mode & 0o111).not.toBe(0);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  // No flags but the port: the data folder is ./data beside the binary, the default.
  server = startKith(["./kith", "--port", String(port)], { cwd: emptyFolder });
  const [, link] = await server.waitFor(SETUP_LINK);
  expect(link).toStartWith(`http://localhost:${port}/setup/`);
  expect(readdirSync(join(emptyFolder, "data"))).toContain("kith.sqlite");

  const visitor = await fetch(`${origin}/`);
  expect(visitor.status).toBe(200);
  expect(textOf(await visitor.text())).toContain("joining is by invitation");
  const about = await fetch(`${origin}/about`);
  expect(about.status).toBe(200);
  expect(await about.text()).toContain("<title>About Our camp");
  const css = await fetch(`${origin}/static/style.css`);
  expect(css.headers.get("content-type")).toContain("text/css");
  expect(await css.text()).toContain(":root");
  const htmx = await fetch(`${origin}/static/htmx.min.js`);
  expect(htmx.headers.get("content-type")).toContain("javascript");
  expect((await htmx.text()).length).toBeGreaterThan(10_000);

  const operator = await becomeOperator(origin, link!, "a long operator password");
  expect(textOf(await (await operator.get("/admin?notice=welcome")).text())).toContain("You are the operator");
  expect(await server.stop()).toBe(0);
  server = undefined;
}, 30_000);
