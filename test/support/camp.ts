/**
 * A real camp for tests: a fresh data folder with a real SQLite file, the real app,
 * a log we can read, and clients that keep cookies and send the CSRF token like a browser.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, type App } from "../../src/app.ts";
import { loadConfig, type Config } from "../../src/config.ts";
import { migrateToLatest, openStore, type Db, type Store } from "../../src/db/open.ts";
import { createLogger } from "../../src/log.ts";
import { insertMember, prepareMember } from "../../src/domain/members/accounts.ts";
import type { Role } from "../../src/db/schema.ts";
import { listen, type RunningServer } from "../../src/server.ts";

export const PASSWORD = "correct horse battery";

export interface TestCamp {
  app: App;
  db: Db;
  store: Store;
  config: Config;
  logs: string[];
  dataDir: string;
  /** Creates a member directly in the database and returns their account id. */
  addMember(handle: string, role?: Role): Promise<number>;
  /** A client with its own cookie jar, like one browser. */
  client(): TestClient;
  /** A client already logged in as the given member. */
  loggedIn(handle: string): Promise<TestClient>;
  /** Serves the app on loopback; the camp's origin then answers for real. */
  serve(): Promise<RunningServer>;
  close(): Promise<void>;
}

/** A free TCP port on loopback, so a camp's domain can name its port before it listens. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function testCamp(options: { env?: Record<string, string>; port?: number; domain?: string } = {}): Promise<TestCamp> {
  const dataDir = mkdtempSync(join(tmpdir(), "kith-test-"));
  const port = options.port ?? (await freePort());
  const config = loadConfig({ data: dataDir, port: String(port), domain: options.domain ?? `127.0.0.1:${port}` }, options.env ?? {});
  const store = await openStore(config.dbFile);
  await migrateToLatest(store.db);
  const logs: string[] = [];
  const log = createLogger("debug", (line) => logs.push(line));
  const app = createApp({ db: store.db, config, log });
  let server: RunningServer | null = null;

  const camp: TestCamp = {
    app,
    db: store.db,
    store,
    config,
    logs,
    dataDir,
    async addMember(handle, role = "member") {
      const prepared = await prepareMember({ handle, displayName: handle[0]!.toUpperCase() + handle.slice(1), password: PASSWORD });
      return insertMember(store.db, prepared, role, null);
    },
    client: () => new TestClient(app, config.origin),
    async loggedIn(handle) {
      const client = camp.client();
      const response = await client.post("/login", { handle, password: PASSWORD });
      if (response.status !== 303) throw new Error(`login as ${handle} failed with ${response.status}`);
      return client;
    },
    async serve() {
      server = await listen(app, "127.0.0.1", port);
      return server;
    },
    async close() {
      await server?.stop();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return camp;
}

/** Sends requests through app.request with a cookie jar, and the CSRF token in every form it posts. */
export class TestClient {
  readonly cookies = new Map<string, string>();
  /** The address the server sees this client coming from (for rate limits per address). */
  address = "127.0.0.1";

  constructor(
    private readonly app: App,
    private readonly origin: string,
  ) {}

  get csrf(): string | undefined {
    return this.cookies.get("kith_csrf");
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await this.app.request(new URL(path, this.origin).toString(), { ...init, headers, redirect: "manual" }, { ip: this.address });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const [name, ...rest] = pair!.split("=");
      const expired = attributes.some((a) => /max-age=0/i.test(a) || /expires=Thu, 01 Jan 1970/i.test(a));
      if (expired) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), rest.join("="));
    }
    return response;
  }

  /** A GET that first makes sure the client holds a CSRF cookie, as a browser would after any page. */
  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { headers });
  }

  /** Posts a form with the CSRF token added (unless `_csrf` is given, even as empty). */
  async post(path: string, fields: Record<string, string | Blob> = {}, options: { multipart?: boolean } = {}): Promise<Response> {
    if (!this.csrf) await this.get("/about");
    const all = { _csrf: this.csrf ?? "", ...fields };
    let body: BodyInit;
    if (options.multipart || Object.values(all).some((v) => (v as unknown) instanceof Blob)) {
      const form = new FormData();
      for (const [k, v] of Object.entries(all)) form.append(k, v);
      body = form;
    } else {
      body = new URLSearchParams(all as Record<string, string>);
    }
    return this.request(path, { method: "POST", body });
  }
}
