/**
 * `./install.sh --upgrade --binary FILE` on a laptop camp that is serving: it stops the camp, backs
 * it up, swaps the binary and migrates. A new binary whose migration wrecks the data and which then
 * fails to start, or one that never answers /healthz within 30 seconds, is rolled back: the previous
 * binary and the backup taken just before are put back, and the camp serves its old data again. A good new binary stays, with the previous one kept.
 * The "binaries" are small scripts: the old one runs this checkout's kith, the broken one fails.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Database } from "bun:sqlite";
import { freePort, PASSWORD } from "./support/camp.ts";
import { becomeOperator, HttpVisitor } from "./support/http.ts";
import { REPO, SETUP_LINK, startKith, tempDir } from "./support/kith.ts";

setDefaultTimeout(90_000);

let root: string;
let port: number;
let postId: number;

/** A kith "binary": a script that runs this checkout's src/main.ts under the test's Bun. */
const wrapper = (version: string) => `#!/bin/sh\n# kith ${version}\ncd "${REPO}" && exec "${process.execPath}" src/main.ts "$@"\n`;

/** A broken build: prints usage, wipes the posts in its "migration", then cannot start. */
const BROKEN = `#!/bin/sh
case "$1" in
  --help) echo "Usage: kith (a broken build)"; exit 0 ;;
  migrate)
    shift
    while [ $# -gt 0 ]; do [ "$1" = --data ] && data="$2"; shift; done
    exec "${process.execPath}" -e 'const { Database } = require("bun:sqlite"); new Database(process.argv[1] + "/kith.sqlite").run("delete from posts")' "$data" ;;
  serve) echo "kith: cannot start: this build is broken" >&2; exit 1 ;;
esac
exit 2
`;

function writeScript(path: string, text: string) {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
}

/** Runs install.sh in the copy (without blocking, so the first camp's console output keeps flowing). */
async function install(...args: string[]) {
  const child = Bun.spawn(["./install.sh", ...args, "--port", String(port)], { cwd: root, stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

const posts = () => {
  const db = new Database(join(root, "data", "kith.sqlite"), { readonly: true });
  try {
    return db.query("select source from posts order by id").all();
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  root = tempDir("kith-upgrade-");
  cpSync(join(REPO, "install.sh"), join(root, "install.sh"));
  cpSync(join(REPO, "deploy"), join(root, "deploy"), { recursive: true });
  writeScript(join(root, "broken-kith"), BROKEN);
  writeScript(join(root, "good-kith"), wrapper("v2"));
  mkdirSync(join(root, "dist"));
  writeScript(join(root, "dist", "kith"), wrapper("v1"));

  // The camp as install.sh would have left it: dist/kith serving data/ in the background.
  port = await freePort();
  const camp = startKith([join(root, "dist", "kith"), "serve", "--data", join(root, "data"), "--port", String(port), "--domain", `localhost:${port}`], { cwd: root });
  await camp.waitFor(/"message":"serving"/);
  const operator = await becomeOperator(`http://127.0.0.1:${port}`, camp.output().match(SETUP_LINK)![1]!, PASSWORD);
  const posted = await operator.post("/posts", { source: "Written before the upgrade", audience: "camp" });
  postId = Number(posted.headers.get("location")!.match(/#post-(\d+)$/)![1]);
});

afterAll(async () => {
  await install("--stop");
});

test("a new binary that wrecks the data and fails to start is rolled back: old binary, old data, serving", async () => {
  const run = await install("--upgrade", "--binary", join(root, "broken-kith"));
  expect(run.code).toBe(1);
  expect(run.stdout).toContain("Backing up to");
  expect(run.stderr).toContain("the new version did not answer /healthz within 30 seconds; rolling back.");
  expect(run.stderr).toMatch(/the upgrade failed and was rolled back: the camp runs the previous version on the data from just before \(\S+\/backups\/before-upgrade-\d{8}-\d{6}\.tar\)/);
  expect(run.stderr).toContain(`See why the new one failed: ${root}/kith.log.1`);
  expect(readFileSync(join(root, "kith.log.1"), "utf8")).toContain("this build is broken");

  expect(readFileSync(join(root, "dist", "kith"), "utf8")).toBe(wrapper("v1"));
  expect(posts()).toEqual([{ source: "Written before the upgrade" }]);
  // What the broken migration left is kept aside by the restore, not lost.
  expect(readdirSync(join(root, "data")).some((n) => n.startsWith("before-restore-"))).toBe(true);

  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(health.status).toBe(200);
  const olga = new HttpVisitor(`http://127.0.0.1:${port}`);
  expect((await olga.post("/login", { handle: "olga", password: PASSWORD })).status).toBe(303);
  const page = await olga.get(`/posts/${postId}`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("Written before the upgrade");
});

test("a new binary that starts but never answers /healthz is given 30 seconds, then rolled back", async () => {
  writeScript(join(root, "silent-kith"), `#!/bin/sh\ncase "$1" in\n  serve) exec sleep 600 ;;\nesac\nexit 0\n`);
  const started = Date.now();
  const run = await install("--upgrade", "--binary", join(root, "silent-kith"));
  expect(run.code).toBe(1);
  expect(Date.now() - started).toBeGreaterThanOrEqual(30_000);
  expect(run.stderr).toContain("the upgrade failed and was rolled back");
  expect(readFileSync(join(root, "dist", "kith"), "utf8")).toBe(wrapper("v1"));
  expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  expect(posts()).toEqual([{ source: "Written before the upgrade" }]);
});

test("a good new binary stays, serving the same data, with the previous one kept beside it", async () => {
  const run = await install("--upgrade", "--binary", join(root, "good-kith"));
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`Upgraded: the camp answers /healthz on port ${port} with the new version.`);
  expect(readFileSync(join(root, "dist", "kith"), "utf8")).toBe(wrapper("v2"));
  expect(readFileSync(join(root, "dist", "kith.previous"), "utf8")).toBe(wrapper("v1"));
  expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  expect(posts()).toEqual([{ source: "Written before the upgrade" }]);
  expect(existsSync(join(root, "backups"))).toBe(true);
});

test("refuses a --binary that does not run, before touching anything", async () => {
  writeScript(join(root, "not-kith"), "#!/bin/sh\nexit 3\n");
  const run = await install("--upgrade", "--binary", join(root, "not-kith"));
  expect(run.code).toBe(1);
  expect(run.stderr).toContain("does not run (kith --help fails); nothing was changed.");
  expect(readFileSync(join(root, "dist", "kith"), "utf8")).toBe(wrapper("v2"));
});
