/**
 * fly.toml and the Dockerfile, read as Fly and Docker would read them: one machine, the data folder
 * on a volume, the server reachable from Fly's proxy, a health check on /healthz, a graceful stop,
 * and an image built with the very commands install.sh uses on a server.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../src/config.ts";
import { REPO } from "./support/kith.ts";

interface FlyConfig {
  app: string;
  kill_signal: string;
  build: { dockerfile: string };
  env: Record<string, string>;
  mounts: { source: string; destination: string };
  http_service: {
    internal_port: number;
    auto_stop_machines: string | boolean;
    min_machines_running: number;
    checks: { path: string; method: string }[];
  };
}

const fly = Bun.TOML.parse(readFileSync(join(REPO, "fly.toml"), "utf8")) as FlyConfig;
const dockerfile = readFileSync(join(REPO, "Dockerfile"), "utf8");
const installSh = readFileSync(join(REPO, "install.sh"), "utf8");

describe("fly.toml", () => {
  test("keeps the SQLite file on the mounted volume", () => {
    expect(fly.mounts.destination).toBe("/data");
    expect(fly.env.KITH_DATA).toBe(fly.mounts.destination);
    expect(loadConfig({}, fly.env).dbFile).toBe("/data/kith.sqlite");
  });

  test("listens where Fly's proxy sends requests, behind that proxy", () => {
    const config = loadConfig({}, fly.env);
    expect(config.host).toBe("0.0.0.0");
    expect(config.port).toBe(fly.http_service.internal_port);
    expect(config.trustProxy).toBe(true);
    expect(config.origin).toBe(`https://${fly.app}.fly.dev`);
  });

  test("runs exactly one machine that stays up, with an http health check on /healthz", () => {
    expect(fly.http_service.min_machines_running).toBe(1);
    expect(fly.http_service.auto_stop_machines).toBe("off");
    expect(fly.http_service.checks).toHaveLength(1);
    expect(fly.http_service.checks[0]).toMatchObject({ path: "/healthz", method: "GET" });
  });

  test("stops the machine with SIGTERM, which the server handles gracefully", () => {
    expect(fly.kill_signal).toBe("SIGTERM");
    expect(fly.build.dockerfile).toBe("Dockerfile");
  });
});

describe("Dockerfile", () => {
  const runLines = [...dockerfile.matchAll(/^RUN (.+)$/gm)].map((m) => m[1]!);

  test("builds with Bun from npm using the same commands as install.sh in server mode", () => {
    const npmCi = runLines.find((line) => line.startsWith("npm ci"))!;
    const [installStep, bunStep] = npmCi.split(" && ");
    expect(installSh).toContain(`run ${installStep}\n`);
    expect(installSh).toContain(`run ${bunStep}\n`);
    expect(runLines).toContain("deploy/build.sh");
    expect(installSh).toContain(`run "$DEPLOY/build.sh"`);
  });

  test("runs dist/kith serve with its data on the volume fly.toml mounts", () => {
    expect(dockerfile).toMatch(/^CMD \["\/app\/dist\/kith", "serve"\]$/m);
    expect(dockerfile).toContain(`KITH_DATA=${fly.mounts.destination}`);
    expect(dockerfile).toMatch(/^COPY --from=build \/app\/dist\/kith \/app\/dist\/kith$/m);
  });
});
