/**
 * Builds the benchmark's data set in a fresh data folder: the app's own migrations create the
 * SQLite file, then bulk inserts fill it. Also writes bench.json beside it: what the harness
 * needs to drive the camp (a session, the pages to ask for, the remote actors' signing keys).
 */
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { migrateToLatest, openStore } from "../../src/db/open.ts";
import { hashPassword } from "../../src/domain/members/passwords.ts";
import { hashToken, newToken } from "../../src/domain/tokens.ts";
import { writePeople, type Signer } from "./accounts.ts";
import { writeFollowGraph } from "./graph.ts";
import { writePosts } from "./posts.ts";
import { Random } from "./random.ts";
import type { Shape } from "./shape.ts";
import { BulkWriter } from "./writer.ts";

const DAY = 86_400_000;
export const BENCH_PASSWORD = "benchmark password";
export const META_FILE = "bench.json";

/** What the harness knows about a data set it built. */
export interface DatasetMeta {
  shape: Shape;
  /** Rows written, by table. */
  rows: Record<string, number>;
  generationMs: number;
  /** The member whose Home stream is measured, a live session for them, and an app's token for the client API. */
  viewer: { id: number; handle: string; sessionToken: string; apiToken: string };
  /** The busiest member, whose profile page is measured. */
  profileHandle: string;
  thread: { id: number; replies: number };
  memberHandles: string[];
  signers: Signer[];
  /** When the newest post was written (ms since the epoch). */
  end: number;
}

/** Builds the data set in `dataDir` (which must not hold a database yet). */
export async function generateDataset(dataDir: string, shape: Shape, seed = 6): Promise<DatasetMeta> {
  const file = join(dataDir, "kith.sqlite");
  if (existsSync(file)) throw new Error(`${file} exists already; the benchmark builds its data set in a fresh folder.`);
  mkdirSync(dataDir, { recursive: true });
  const started = performance.now();
  const store = await openStore(file);
  await migrateToLatest(store.db);
  // This connection only bulk-loads a throwaway file: durability per transaction buys nothing here.
  store.sqlite.exec("PRAGMA synchronous = OFF");

  const random = new Random(seed);
  const end = Date.now();
  const start = end - shape.years * 365 * DAY;
  const writer = new BulkWriter(store.sqlite);
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const people = await writePeople(writer, random, shape, start, passwordHash);
  writeFollowGraph(writer, random, people, shape, start);
  const posts = writePosts(writer, random, people, shape, start, end);

  const viewerIndex = Math.min(7, people.memberIds.length - 1);
  const viewer = { id: people.memberIds[viewerIndex]!, handle: people.memberHandles[viewerIndex]!, sessionToken: newToken(), apiToken: newToken() };
  writer.insert("sessions", ["id_hash", "account_id", "created_at", "expires_at"], [hashToken(viewer.sessionToken), viewer.id, end, end + 30 * DAY]);
  writer.insert("oauth_apps", ["id", "client_id", "client_secret_hash", "name", "redirect_uris", "scopes", "created_at"],
    [1, newToken(), hashToken(newToken()), "Benchmark app", "urn:ietf:wg:oauth:2.0:oob", "read write follow", end]);
  writer.insert("oauth_tokens", ["token_hash", "app_id", "account_id", "scopes", "created_at"], [hashToken(viewer.apiToken), 1, viewer.id, "read write follow", end]);
  writer.finish();
  store.sqlite.exec("update camp set name = 'Benchmark camp', description = 'A camp of a hundred friends, three years old.'");
  store.sqlite.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  await store.close();

  const meta: DatasetMeta = {
    shape,
    rows: writer.counts,
    generationMs: Math.round(performance.now() - started),
    viewer,
    profileHandle: people.memberHandles[0]!,
    thread: posts.busiestThread,
    memberHandles: people.memberHandles,
    signers: people.signers,
    end,
  };
  writeFileSync(join(dataDir, META_FILE), JSON.stringify(meta));
  return meta;
}
