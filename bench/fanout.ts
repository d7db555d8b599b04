/**
 * Fan-out: one member with thousands of remote followers on hundreds of servers posts one public
 * post; how long until every server's shared inbox has it, signature checked, and what happens to
 * the camp's memory meanwhile. The servers are the sink's ports (bench/sink.ts).
 */
import type { Database } from "bun:sqlite";
import { hashToken, newToken } from "../src/domain/tokens.ts";
import type { SinkStats } from "./sink.ts";

export interface Sink {
  ports: number[];
  stats(): Promise<SinkStats>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the sink process with one port per server and waits for its list of ports. */
export async function startSink(servers: number): Promise<Sink> {
  const child = Bun.spawn([process.execPath, new URL("./sink.ts", import.meta.url).pathname, String(servers)], { stdout: "pipe", stderr: "inherit" });
  const reader = child.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the fan-out sink exited before listing its ports");
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const { control, ports } = JSON.parse(text.split("\n")[0]!) as { control: number; ports: number[] };
  const base = `http://127.0.0.1:${control}`;
  return {
    ports,
    stats: async () => (await fetch(`${base}/stats`)).json() as Promise<SinkStats>,
    reset: async () => void (await fetch(`${base}/reset`)),
    async stop() {
      child.kill();
      await child.exited;
    },
  };
}

export interface Herald {
  accountId: number;
  handle: string;
  sessionToken: string;
}

/**
 * Writes the fan-out member ("herald"), a session for them, and `followers` remote actors spread
 * evenly over the sink's ports, all following the herald. Each server has one shared inbox.
 */
export function addFanoutAudience(sqlite: Database, ports: number[], followers: number, passwordHash: string): Herald {
  const at = Date.now();
  const handle = "herald";
  const sessionToken = newToken();
  sqlite.transaction(() => {
    sqlite.prepare("insert into accounts (handle, domain, display_name, created_at) values (?, null, 'Herald', ?)").run(handle, at);
    const accountId = Number((sqlite.prepare("select id from accounts where handle = ? and domain is null").get(handle) as { id: number }).id);
    sqlite.prepare("insert into members (account_id, password_hash, role, created_at) values (?, ?, 'member', ?)").run(accountId, passwordHash, at);
    sqlite.prepare("insert into sessions (id_hash, account_id, created_at, expires_at) values (?, ?, ?, ?)").run(hashToken(sessionToken), accountId, at, at + 86_400_000);
    const insertActor = sqlite.prepare(
      `insert into accounts (handle, domain, display_name, uri, url, inbox_uri, shared_inbox_uri, followers_uri, public_key_id, fetched_at, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) returning id`,
    );
    const insertFollow = sqlite.prepare("insert into follows (follower_id, followee_id, state, uri, created_at) values (?, ?, 'accepted', ?, ?)");
    for (let i = 0; i < followers; i++) {
      const domain = `127.0.0.1:${ports[i % ports.length]}`;
      const name = `reader${i}`;
      const uri = `http://${domain}/users/${name}`;
      const row = insertActor.get(name, domain, `Reader ${i}`, uri, `http://${domain}/@${name}`, `${uri}/inbox`, `http://${domain}/inbox`,
        `${uri}/followers`, `${uri}#main-key`, at, at) as { id: number };
      insertFollow.run(row.id, accountId, `${uri}#follow`, at);
    }
  })();
  const accountId = Number((sqlite.prepare("select id from accounts where handle = ? and domain is null").get(handle) as { id: number }).id);
  return { accountId, handle, sessionToken };
}

export interface FanoutRun {
  /** Milliseconds from sending the post form to the last server's verified delivery. */
  ms: number | null;
  delivered: number;
  servers: number;
  failed: number;
  lastFailure: string | null;
  rssBeforeMb: number;
  rssPeakMb: number;
  rssAfterMb: number;
}

/**
 * Posts one public post as the herald through the camp's own form, then watches the sink until
 * every server has it (or `timeoutMs` passes), sampling the camp's memory all the while.
 */
export async function fanOut(
  post: () => Promise<void>,
  sink: Sink,
  expectedServers: number,
  rssMb: () => number,
  timeoutMs = 120_000,
): Promise<FanoutRun> {
  await sink.reset();
  const rssBeforeMb = rssMb();
  let rssPeakMb = rssBeforeMb;
  const started = Date.now();
  await post();
  let stats = await sink.stats();
  while (stats.servers < expectedServers && Date.now() - started < timeoutMs) {
    await Bun.sleep(20);
    rssPeakMb = Math.max(rssPeakMb, rssMb());
    stats = await sink.stats();
  }
  const done = stats.servers >= expectedServers && stats.lastAt !== null;
  await Bun.sleep(1000);
  const rssAfterMb = rssMb();
  return {
    ms: done ? stats.lastAt! - started : null,
    delivered: stats.verified,
    servers: stats.servers,
    failed: stats.failed,
    lastFailure: stats.lastFailure,
    rssBeforeMb,
    rssPeakMb: Math.max(rssPeakMb, rssAfterMb),
    rssAfterMb,
  };
}
