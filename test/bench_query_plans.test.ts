/**
 * The query plans the benchmark found slow stay fixed: on the benchmark's own data set, each query the
 * app runs for these pages is read through an index, never by scanning a whole table. The SQL is
 * captured from the app's functions as they run, then explained by SQLite.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Kysely, SqliteDialect, type CompiledQuery } from "kysely";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateDataset, type DatasetMeta } from "../bench/dataset/generate.ts";
import { shapeAt } from "../bench/dataset/shape.ts";
import { loadConfig } from "../src/config.ts";
import { openStore, type Db, type Store } from "../src/db/open.ts";
import type { Database } from "../src/db/schema.ts";
import { unreadCount } from "../src/domain/notifications/inbox.ts";
import { followCounts } from "../src/domain/follows/lists.ts";
import { loadThread } from "../src/domain/posts/thread.ts";
import { visibleReplyCounts } from "../src/domain/posts/details.ts";
import { homeStream } from "../src/domain/timelines/streams.ts";
import { keyOwner } from "../src/federation/fetchRemote.ts";
import { createLogger } from "../src/log.ts";

let dataDir: string;
let meta: DatasetMeta;
let store: Store;
let db: Db;
const captured: CompiledQuery[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "kith-bench-plans-"));
  meta = await generateDataset(dataDir, { ...shapeAt(0.01), signingActors: 5 });
  store = await openStore(join(dataDir, "kith.sqlite"));
  db = new Kysely<Database>({ dialect: new SqliteDialect({ database: store.sqlite }), log: (event) => void captured.push(event.query) });
});

afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs the app's code and returns SQLite's plan for every statement it ran whose SQL contains `text`. */
async function plansOf(text: string, run: () => Promise<unknown>): Promise<string[]> {
  captured.length = 0;
  await run();
  const statements = captured.filter((q) => q.sql.includes(text));
  expect(statements.length).toBeGreaterThan(0);
  return statements.map((q) =>
    (store.sqlite.prepare(`explain query plan ${q.sql}`).all(q.parameters) as { detail: string }[]).map((r) => r.detail).join("\n"));
}

const scans = (plan: string, table: string) => new RegExp(`^SCAN ${table}\\b`, "m").test(plan);

describe("query plans on the benchmark data set", () => {
  test("the unread count reads only unread notifications (migration 003)", async () => {
    const [plan] = await plansOf('"notifications"', () => unreadCount(db, meta.viewer.id));
    expect(plan).toMatch(/notifications USING (COVERING )?INDEX notifications_unread/);
  });

  test("a profile's follow counts read only follows' indexes and the index of suspended accounts (migration 015)", async () => {
    const [followers, following] = await plansOf('count(*) as "n" from "follows"', () => followCounts(db, meta.viewer.id));
    expect(followers).toMatch(/^SEARCH follows USING COVERING INDEX follows_followee \(followee_id=\? AND state=\?\)/m);
    expect(following).toMatch(/^SEARCH follows USING COVERING INDEX follows_follower \(follower_id=\? AND state=\?\)/m);
    for (const plan of [followers!, following!]) {
      expect(plan).toMatch(/accounts USING (COVERING )?INDEX accounts_suspended/);
      expect(plan).not.toMatch(/accounts USING INTEGER PRIMARY KEY/);
    }
  });

  test("an inbox request finds its signer's key by index (migration 004)", async () => {
    const config = loadConfig({ data: dataDir, port: "8999", domain: "127.0.0.1:8999" }, {});
    const signer = meta.signers[0]!;
    const plans = await plansOf('"accounts"', () => keyOwner({ db, config, log: createLogger("error") }, signer.keyId));
    expect(plans.some((p) => /accounts USING (COVERING )?INDEX accounts_public_key_id/.test(p))).toBe(true);
    for (const plan of plans) expect(scans(plan, "accounts")).toBe(false);
  });

  test("Home reads the followed people's recent posts by index, never every post", async () => {
    const plans = await plansOf('"posts"', () => homeStream(db, meta.viewer.id, null));
    for (const plan of plans) expect(scans(plan, "posts")).toBe(false);
  });

  test("a thread page reads its root and replies by index, never every post", async () => {
    const thread = () => loadThread(db, { kind: "member", accountId: meta.viewer.id }, meta.thread.id);
    for (const plan of await plansOf('"posts"', thread)) expect(scans(plan, "posts")).toBe(false);
    const [replies] = await plansOf('"thread_root_id" = ?', thread);
    expect(replies).toMatch(/posts USING (COVERING )?INDEX posts_thread/);
  });

  test("an app's reply counts read the replies of the page's posts by posts_reply, never every post", async () => {
    const page = await homeStream(db, meta.viewer.id, null);
    const ids = page.items.map((i) => i.post.id);
    const [plan] = await plansOf('"in_reply_to_id" in', () => visibleReplyCounts(db, { kind: "member", accountId: meta.viewer.id }, ids));
    expect(plan).toMatch(/^SEARCH posts USING (COVERING )?INDEX posts_reply/m);
  });
});
