/** The benchmark's data set holds what BENCHMARKS.md promises, at a small scale: counts, graph, audiences, keys. */
import { contentVersion } from "../src/db/contentVersion.ts";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createSign, createVerify } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateDataset, META_FILE, type DatasetMeta } from "../bench/dataset/generate.ts";
import { shapeAt, withTotalPosts } from "../bench/dataset/shape.ts";
import { openStore, type Store } from "../src/db/open.ts";
import { tokenHolder } from "../src/domain/oauth/tokens.ts";
import { sessionMember } from "../src/domain/members/sessions.ts";

const shape = shapeAt(0.01);
let dataDir: string;
let meta: DatasetMeta;
let store: Store;

const one = (sql: string, ...params: unknown[]) => Number(Object.values(store.sqlite.prepare(sql).all(params)[0] as object)[0]);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "kith-bench-dataset-"));
  meta = await generateDataset(dataDir, shape);
  store = await openStore(join(dataDir, "kith.sqlite"));
});

afterAll(async () => {
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the benchmark data set", () => {
  test("has the promised numbers of members, remote actors, servers and posts", () => {
    expect(one("select count(*) from accounts a join members m on m.account_id = a.id where a.domain is null")).toBe(shape.members);
    expect(one("select count(*) from accounts where domain is not null")).toBe(shape.remoteActors);
    expect(one("select count(distinct domain) from accounts where domain is not null")).toBe(shape.remoteServers);
    expect(one("select count(*) from posts p join accounts a on a.id = p.author_id where a.domain is null")).toBe(shape.memberPosts);
    expect(one("select count(*) from posts p join accounts a on a.id = p.author_id where a.domain is not null")).toBe(shape.remotePosts);
    expect(meta.rows.posts).toBe(shape.memberPosts + shape.remotePosts);
  });

  test("every member follows the promised numbers of members and remote actors, never themselves", () => {
    const counts = store.sqlite.prepare(
      `select f.follower_id, sum(t.domain is null) as local, sum(t.domain is not null) as remote
         from follows f join accounts t on t.id = f.followee_id join members m on m.account_id = f.follower_id
        group by f.follower_id`,
    ).all([]) as { local: number; remote: number }[];
    expect(counts.length).toBe(shape.members);
    for (const row of counts) {
      expect(row.local).toBe(shape.memberFollowsMembers);
      expect(row.remote).toBe(shape.memberFollowsRemote);
    }
    expect(one("select count(*) from follows where follower_id = followee_id")).toBe(0);
    expect(one("select count(*) from follows f join accounts a on a.id = f.follower_id where a.domain is not null")).toBeGreaterThan(0);
  });

  test("spreads posts over three years with replies, boosts, likes, mentions and tags", () => {
    const span = one("select max(created_at) - min(created_at) from posts");
    expect(span).toBeGreaterThan(2.9 * 365 * 86_400_000);
    expect(one("select count(*) from posts where in_reply_to_id is not null")).toBeGreaterThan(0.1 * meta.rows.posts!);
    expect(one("select count(*) from posts where boost_of_id is not null")).toBeGreaterThan(0.03 * meta.rows.posts!);
    expect(one("select count(*) from likes")).toBeGreaterThan(0.5 * meta.rows.posts!);
    expect(one("select count(*) from mentions")).toBeGreaterThan(0);
    expect(one("select count(*) from post_tags")).toBeGreaterThan(0);
    // Ids grow with time, as in a live camp.
    expect(one("select count(*) from posts p join posts q on q.id = p.id + 1 where q.created_at < p.created_at")).toBe(0);
  });

  test("keeps most member posts camp-only and never lets a reply widen a camp-only conversation", () => {
    const memberPosts = "from posts p join accounts a on a.id = p.author_id where a.domain is null";
    const camp = one(`select count(*) ${memberPosts} and p.audience = 'camp'`);
    expect(camp / shape.memberPosts).toBeGreaterThan(0.5);
    for (const audience of ["public", "unlisted", "followers", "direct"]) {
      expect(one(`select count(*) ${memberPosts} and p.audience = ?`, audience)).toBeGreaterThan(0);
    }
    expect(one("select count(*) from posts r join posts p on p.id = r.in_reply_to_id where p.audience = 'camp' and r.audience <> 'camp'")).toBe(0);
    expect(one("select count(*) from posts p join accounts a on a.id = p.author_id where a.domain is not null and p.audience = 'camp'")).toBe(0);
  });

  test("threads hang together: every reply shares its parent's thread root", () => {
    expect(one("select count(*) from posts r join posts p on p.id = r.in_reply_to_id where r.thread_root_id <> coalesce(p.thread_root_id, p.id)")).toBe(0);
    expect(meta.thread.replies).toBeGreaterThan(0);
    expect(one("select count(*) from posts where thread_root_id = ?", meta.thread.id)).toBe(meta.thread.replies);
  });

  test("is consistent: foreign keys hold and the file passes the integrity check", () => {
    expect(store.sqlite.query("PRAGMA foreign_key_check")).toEqual([]);
    expect(store.sqlite.query("PRAGMA integrity_check")).toEqual([{ integrity_check: "ok" }]);
  });

  test("hands the harness a live session and API token for the viewer, and keys that match the stored remote actors", async () => {
    const viewer = await sessionMember(store.db, meta.viewer.sessionToken, await contentVersion(store.db));
    expect(viewer?.handle).toBe(meta.viewer.handle);
    expect((await tokenHolder(store.db, meta.viewer.apiToken))?.accountId).toBe(meta.viewer.id);
    expect(meta.signers.length).toBe(shape.signingActors);
    for (const signer of meta.signers.slice(0, 5)) {
      const row = store.sqlite.prepare("select public_key_pem, public_key_id from accounts where id = ?").all([signer.id])[0] as { public_key_pem: string; public_key_id: string };
      expect(row.public_key_id).toBe(signer.keyId);
      const signature = createSign("sha256").update("probe").sign(signer.privateKeyPem);
      expect(createVerify("sha256").update("probe").verify(row.public_key_pem, signature)).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(dataDir, META_FILE), "utf8")).viewer.handle).toBe(meta.viewer.handle);
  });
});

describe("the growth data set's shape", () => {
  test("keeps the camp and graph and changes only the number of posts", () => {
    const full = shapeAt(1);
    const small = withTotalPosts(full, 10_000);
    expect(small.memberPosts + small.remotePosts).toBe(10_000);
    expect({ ...small, memberPosts: 0, remotePosts: 0 }).toEqual({ ...full, memberPosts: 0, remotePosts: 0 });
    expect(full.memberPosts + full.remotePosts).toBe(500_000);
    expect(full.remoteActors).toBe(2000);
    expect(full.remoteServers).toBe(300);
  });
});
