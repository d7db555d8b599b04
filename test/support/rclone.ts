/**
 * Real rclone remotes on this machine for the off-site backup tests: a folder remote, and
 * `rclone serve webdav` on loopback with a user name and password. Remotes are defined in the
 * environment (RCLONE_CONFIG_NAME_*), as an operator's rclone.conf would define them.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "./camp.ts";
import { tempDir } from "./kith.ts";

export const WEBDAV_USER = "camp";
export const WEBDAV_PASSWORD = "webdav secret";
export const PASSPHRASE = "a long and good backup passphrase";

/** rclone's "obscured" form of a password, as its config file stores it. */
export async function obscure(password: string): Promise<string> {
  const child = Bun.spawn(["rclone", "obscure", "-"], { stdin: new Blob([password]), stdout: "pipe", stderr: "pipe" });
  const out = await new Response(child.stdout).text();
  if ((await child.exited) !== 0) throw new Error("rclone obscure failed");
  return out.trim();
}

/**
 * The environment for a kith (or rclone) child: an empty rclone config of its own, the remote
 * `folder` (type local), the webdav remote `dav` when given its port, and the passphrase file.
 */
export async function offsiteEnv(options: { davPort?: number; davPassword?: string; passphrase?: string } = {}): Promise<Record<string, string>> {
  const home = tempDir("kith-rclone-");
  writeFileSync(join(home, "rclone.conf"), "");
  const passphraseFile = join(home, "passphrase");
  writeFileSync(passphraseFile, `${options.passphrase ?? PASSPHRASE}\n`, { mode: 0o600 });
  const env: Record<string, string> = {
    RCLONE_CONFIG: join(home, "rclone.conf"),
    RCLONE_CONFIG_FOLDER_TYPE: "local",
    KITH_BACKUP_PASSPHRASE_FILE: passphraseFile,
    // A dropped connection should fail the test's upload at once rather than after minutes of retries.
    RCLONE_RETRIES: "1",
    RCLONE_LOW_LEVEL_RETRIES: "1",
    RCLONE_CONTIMEOUT: "5s",
  };
  if (options.davPort) {
    Object.assign(env, {
      RCLONE_CONFIG_DAV_TYPE: "webdav",
      RCLONE_CONFIG_DAV_URL: `http://127.0.0.1:${options.davPort}`,
      RCLONE_CONFIG_DAV_USER: WEBDAV_USER,
      RCLONE_CONFIG_DAV_PASS: await obscure(options.davPassword ?? WEBDAV_PASSWORD),
    });
  }
  return env;
}

export interface WebdavServer {
  port: number;
  folder: string;
  /** Kills the server at once, as a dropped network would end the connection. */
  kill(): Promise<void>;
}

/** `rclone serve webdav FOLDER` on 127.0.0.1 with a user name and password; resolves once it answers. */
export async function serveWebdav(folder = tempDir("kith-webdav-"), port?: number): Promise<WebdavServer> {
  mkdirSync(folder, { recursive: true });
  const listenOn = port ?? (await freePort());
  const child = Bun.spawn(["rclone", "serve", "webdav", folder, "--addr", `127.0.0.1:${listenOn}`, "--user", WEBDAV_USER, "--pass", WEBDAV_PASSWORD], {
    env: { ...process.env, RCLONE_CONFIG: "/dev/null" }, stdout: "ignore", stderr: "pipe",
  });
  for (let i = 0; ; i++) {
    const answer = await fetch(`http://127.0.0.1:${listenOn}/`).catch(() => null);
    if (answer) break;
    if (i > 200 || child.exitCode !== null) throw new Error(`rclone serve webdav did not start: ${await new Response(child.stderr).text()}`);
    await Bun.sleep(25);
  }
  return {
    port: listenOn,
    folder,
    kill: async () => {
      child.kill("SIGKILL");
      await child.exited;
    },
  };
}

/** File names in a remote folder (`rclone lsf`), sorted. */
export async function remoteFiles(remoteFolder: string, env: Record<string, string>): Promise<string[]> {
  const child = Bun.spawn(["rclone", "lsf", "--files-only", remoteFolder], { env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  if (code !== 0) throw new Error(`rclone lsf ${remoteFolder} failed: ${err}`);
  return out.split("\n").filter(Boolean).sort();
}

/**
 * A WebDAV server whose storage is full: it lists and makes folders, but answers every upload with
 * 507 Insufficient Storage, as a storage box over its quota does. Returns its port and a stop function.
 */
export function serveFullWebdav(): { port: number; stop: () => void } {
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const path = new URL(request.url).pathname;
      if (request.method === "PROPFIND") {
        if (/\.[a-z]+$/.test(path)) return new Response("", { status: 404 });
        const folder = `<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:response><d:href>${path}</d:href><d:propstat><d:prop><d:resourcetype><d:collection/></d:resourcetype></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response></d:multistatus>`;
        return new Response(folder, { status: 207, headers: { "content-type": "application/xml" } });
      }
      if (request.method === "MKCOL") return new Response("", { status: 201 });
      if (request.method === "PUT") {
        await request.arrayBuffer();
        return new Response("Insufficient Storage", { status: 507 });
      }
      if (request.method === "DELETE") return new Response("", { status: 204 });
      return new Response("", { status: 405 });
    },
  });
  return { port: server.port!, stop: () => server.stop(true) };
}
