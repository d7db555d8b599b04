/**
 * Docker cannot run here, so the Dockerfile's build stage is followed by hand, step by step as
 * written (its COPY lines copy, its RUN lines run in a shell), in an empty folder: npm answers from
 * its local cache only (npm_config_offline), so nothing is fetched. The binary it builds must then
 * start with the image's and fly.toml's settings and answer /healthz.
 */
import { afterAll, expect, test } from "bun:test";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { freePort } from "./support/camp.ts";
import { REPO, startKith, tempDir, type RunningKith } from "./support/kith.ts";

const dockerfile = readFileSync(join(REPO, "Dockerfile"), "utf8");
const fly = Bun.TOML.parse(readFileSync(join(REPO, "fly.toml"), "utf8")) as { env: Record<string, string> };
let server: RunningKith | null = null;
afterAll(async () => {
  await server?.stop();
});

/** The instructions of the first (build) stage, with line continuations joined. */
function buildStage(): { op: string; args: string }[] {
  const lines = dockerfile.replace(/\\\n\s*/g, " ").split("\n").filter((l) => l.trim() && !l.startsWith("#"));
  const stages = lines.join("\n").split(/^FROM /m).slice(1);
  return stages[0]!.split("\n").slice(1).filter((line) => line.trim()).map((line) => {
    const [op, ...rest] = line.trim().split(" ");
    return { op: op!, args: rest.join(" ") };
  });
}

/** The files `COPY . .` sends: the checkout minus .dockerignore's patterns (matched from the root, as Docker does). */
function contextFiles(): string[] {
  const patterns = readFileSync(join(REPO, ".dockerignore"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}(/.*)?$`));
  const files = Bun.spawnSync(["git", "ls-files", "-co", "--exclude-standard"], { cwd: REPO }).stdout.toString().split("\n").filter(Boolean);
  return files.filter((f) => existsSync(join(REPO, f)) && !patterns.some((re) => re.test(f)));
}

function copyIn(app: string, files: string[]): void {
  for (const file of files) {
    mkdirSync(dirname(join(app, file)), { recursive: true });
    copyFileSync(join(REPO, file), join(app, file));
  }
}

test("the Dockerfile's build steps make a binary that serves /healthz with fly.toml's settings", async () => {
  const app = tempDir("kith-image-");
  const steps = buildStage();
  expect(steps.map((s) => s.op)).toEqual(["WORKDIR", "COPY", "RUN", "COPY", "RUN"]);
  for (const step of steps) {
    if (step.op === "WORKDIR") continue;
    if (step.op === "COPY") {
      const sources = step.args.split(" ").slice(0, -1);
      copyIn(app, sources[0] === "." ? contextFiles() : sources);
      continue;
    }
    const run = Bun.spawnSync(["sh", "-c", step.args], { cwd: app, env: { ...process.env, npm_config_offline: "true" } });
    expect({ step: step.args, code: run.exitCode, stderr: run.exitCode ? run.stderr.toString() : "" }).toEqual({ step: step.args, code: 0, stderr: "" });
  }
  const binary = join(app, "dist", "kith");
  expect(dockerfile).toContain(`COPY --from=build /app/dist/kith /app/dist/kith`);
  expect(existsSync(binary)).toBe(true);

  // Run as the image would, with fly.toml's settings; only the data folder, port and (for this
  // test's loopback rule) the listening address differ.
  const port = await freePort();
  const data = tempDir();
  server = startKith([binary, "serve"], { cwd: tempDir(), env: { ...fly.env, KITH_DATA: data, KITH_PORT: String(port), KITH_HOST: "127.0.0.1" } });
  const [, link] = (await server.waitFor(/(https:\/\/\S+\/setup\/\S+)/)) as unknown as [string, string];
  expect(link).toStartWith(`https://${fly.env.KITH_DOMAIN}/setup/`);
  await server.waitFor(/"message":"serving"/);
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  expect(health.status).toBe(200);
  expect(existsSync(join(data, "kith.sqlite"))).toBe(true);
}, 120_000);
