/**
 * The camp runs under plain Node 20+ with better-sqlite3: bundle with the package's own
 * `build:node` script (into a private folder, so parallel runs do not clash), start it with
 * `node`, complete the setup over HTTP and load the pages; then serve the same data under Bun, so
 * the database and password hashes are proven to work under both runtimes.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import packageJson from "../package.json" with { type: "json" };
import { freePort } from "./support/camp.ts";
import { becomeOperator, HttpVisitor } from "./support/http.ts";
import { REPO, SETUP_LINK, startKith, tempDir, type RunningKith } from "./support/kith.ts";
import { pathOf, textById, textOf } from "./support/pages.ts";
import { solidPng } from "./support/png.ts";

const NODE = Bun.which("node");
// Inside the repository, so Node finds better-sqlite3 and @hono/node-server in node_modules.
mkdirSync(join(REPO, "dist"), { recursive: true });
const outDir = mkdtempSync(join(REPO, "dist", ".node-test-"));
const data = tempDir("kith-node-");
const OPERATOR_PASSWORD = "a long operator password";
let server: RunningKith | undefined;

/** The `build:node` script's own command, with only the output file moved. */
function buildCommand(outfile: string): string[] {
  const words = packageJson.scripts["build:node"].split(/\s+/);
  expect(words.slice(0, 2)).toEqual(["bun", "build"]);
  const at = words.indexOf("--outfile");
  words[at + 1] = outfile;
  return [process.execPath, ...words.slice(1)];
}

beforeAll(async () => {
  const outfile = join(outDir, "main.js");
  const build = Bun.spawnSync(buildCommand(outfile), { cwd: REPO, stdout: "pipe", stderr: "pipe" });
  if (build.exitCode !== 0) throw new Error(`build:node failed: ${build.stderr.toString()}`);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  rmSync(outDir, { recursive: true, force: true });
  rmSync(data, { recursive: true, force: true });
});

test("node is 20 or later", () => {
  expect(NODE).not.toBeNull();
  const version = Bun.spawnSync([NODE!, "--version"]).stdout.toString().trim();
  expect(Number(version.match(/^v(\d+)\./)?.[1])).toBeGreaterThanOrEqual(20);
});

test("the Node bundle serves the camp: setup over HTTP, then its pages", async () => {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  server = startKith([NODE!, join(outDir, "main.js"), "serve", "--port", String(port), "--data", data], { cwd: REPO });
  const [, link] = await server.waitFor(SETUP_LINK);
  // The process serving us really is Node (so the driver seam picked better-sqlite3).
  expect(readFileSync(`/proc/${server.pid}/comm`, "utf8").trim()).toBe("node");

  const operator = await becomeOperator(origin, link!, OPERATOR_PASSWORD);
  const saved = await operator.post("/admin", { name: "Node Camp", description: "Served by Node.", rules: "Be kind.", about: "", supportUrl: "" });
  expect(saved.status).toBe(303);

  for (const [path, expected] of [["/", "Node Camp"], ["/about", "Served by Node."], ["/about", "Be kind."], ["/admin/invites", "Invites"], ["/members", "@olga"]] as const) {
    const response = await operator.get(path);
    expect(response.status, path).toBe(200);
    expect(textOf(await response.text()), path).toContain(expected);
  }
  const css = await operator.get("/static/style.css");
  expect(css.headers.get("content-type")).toContain("text/css");
  expect(await css.text()).toContain(":root");

  const invite = await operator.post("/admin/invites", { note: "Node friend", days: "7" });
  expect(invite.status).toBe(201);
  const inviteLink = textById(await invite.text(), "new-invite-link")!;

  // A friend joins, uploads an avatar (multipart through Node's HTTP server) and sees it served.
  const friend = new HttpVisitor(origin);
  expect((await friend.post(pathOf(inviteLink), { handle: "sam", displayName: "Sam", password: "sam's long password" })).status).toBe(303);
  const png = solidPng(12, 12);
  expect((await friend.post("/settings/avatar", { avatar: new File([png], "me.png", { type: "image/png" }) })).status).toBe(303);
  const avatar = (await (await friend.get("/settings")).text()).match(/src="(\/media\/[0-9a-f]{32}\.png)"/)?.[1];
  expect(avatar).toBeDefined();
  const served = await friend.get(avatar!);
  expect(served.headers.get("content-type")).toBe("image/png");
  expect(new Uint8Array(await served.arrayBuffer())).toEqual(png);
  expect(server.output()).toContain('"message":"serving"');
  expect(await server.stop()).toBe(0);
  server = undefined;
}, 30_000);

test("the same data folder then serves under Bun: the operator made under Node logs in", async () => {
  const port = await freePort();
  server = startKith([process.execPath, "src/main.ts", "serve", "--port", String(port), "--data", data], { cwd: REPO });
  await server.waitFor(/"message":"serving"/);
  const operator = new HttpVisitor(`http://127.0.0.1:${port}`);
  const login = await operator.post("/login", { handle: "olga", password: OPERATOR_PASSWORD });
  expect(login.status).toBe(303);
  expect(textOf(await (await operator.get("/admin/invites")).text())).toContain("Node friend");
  expect(await server.stop()).toBe(0);
  server = undefined;
}, 30_000);
