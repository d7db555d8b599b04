/**
 * Streams stay fast as the camp grows: Home reads posts through the posts_author index (one range
 * per followed account), never by scanning the posts table; and rendering a page of posts costs the
 * same number of queries whether it holds 5 posts or 40 (no query per post).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { CompiledQuery, Kysely, SqliteDialect } from "kysely";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { follows, idsOf, postAs } from "./support/posts.ts";
import { homeIdsQuery, homeStream, tagStream, profileStream } from "../src/domain/timelines/streams.ts";
import type { Database } from "../src/db/schema.ts";
import { likePost } from "../src/domain/posts/likes.ts";
import { boostPost } from "../src/domain/posts/boost.ts";
import { searchIdsQuery } from "../src/domain/search/posts.ts";
import { addToList, createList, deleteList } from "../src/domain/lists/lists.ts";
import { followedTagIdsQuery, followTag, unfollowTag } from "../src/domain/tags/follow.ts";
import { searchTerms } from "../src/domain/search/terms.ts";

let camp: TestCamp;
const members: number[] = [];

beforeAll(async () => {
  camp = await testCamp();
  for (let i = 0; i < 12; i++) members.push(await camp.addMember(`m${i}`));
  for (const other of members.slice(1, 6)) await follows(camp, members[0]!, other);
  // Many posts, written straight into the table: the plan, not the content, is under test.
  const now = Date.now();
  await camp.db.transaction().execute(async (trx) => {
    for (let batch = 0; batch < 40; batch++) {
      await trx.insertInto("posts").values(Array.from({ length: 250 }, (_, i) => ({
        author_id: members[(batch * 250 + i) % members.length]!, audience: "camp" as const, source: "x", html: "<p>x</p>", created_at: now,
      }))).execute();
    }
  });
  await camp.db.insertInto("muted_words").values(members.flatMap((account_id) => Array.from({ length: 30 }, (_, i) => ({
    account_id, word: `word${i}`, action: i % 2 ? "hide" as const : "collapse" as const, created_at: now,
  })))).execute();
  await camp.store.sqlite.exec("ANALYZE");
  // Every insert also feeds the full-text index (a trigger): on a busy machine this takes longer than the default 5 s.
}, 60_000);
afterAll(() => camp.close());

async function planOf(query: { compile(): CompiledQuery }): Promise<string[]> {
  const compiled = query.compile();
  const result = await camp.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]));
  return result.rows.map((r) => r.detail);
}

describe("query plans", () => {
  test("Home reads posts only within an id window (by author or by id range), and scans no table of posts (or muted words)", async () => {
    const top = 10_001;
    for (const window of [168, 10_000]) {
      const plan = await planOf(homeIdsQuery(camp.db, members[0]!, top, top - window, 20));
      // Either one bounded range per followed person, or (when SQLite judges the window dense) the window's id range itself.
      const bounded = /^SEARCH posts USING ((COVERING )?INDEX posts_author \(author_id=\? AND id>\? AND id<\?\)|INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\))/;
      const postLines = plan.filter((line) => /^(SEARCH|SCAN) posts\b/.test(line));
      expect(postLines.length).toBeGreaterThan(0);
      expect(postLines.every((line) => bounded.test(line)), plan.join("\n")).toBe(true);
      expect(plan.filter((line) => /^SCAN (posts|authors|o|w|muted_words)\b/.test(line))).toEqual([]);
    }
  });

  test("Home with exclusive lists still reads posts only within its window, and the lists by their indexes", async () => {
    // Enough lists that SQLite's statistics make reading them by index the obvious plan, as in a real camp.
    const made: [number, number][] = [];
    for (const owner of members) {
      for (let i = 0; i < 10; i++) {
        const listId = await createList(camp.db, owner, { title: `list ${i}`, exclusive: i % 2 === 0 });
        made.push([owner, listId]);
      }
    }
    // Written straight into the table (the plan, not the follow rule, is under test); then one through the rule.
    await camp.db.insertInto("list_members").values(made.flatMap(([owner, list_id]) =>
      members.filter((m) => m !== owner && m !== members[1]).slice(0, 3).map((account_id) => ({ list_id, account_id })))).execute();
    const exclusive = made.find(([owner]) => owner === members[0])![1];
    await addToList(camp.db, members[0]!, exclusive, members[1]!);
    await camp.store.sqlite.exec("ANALYZE");
    try {
      for (const window of [168, 10_000]) {
        const plan = await planOf(homeIdsQuery(camp.db, members[0]!, 10_001, 10_001 - window, 20));
        expect(plan.filter((line) => /^SCAN (posts|authors|lists|list_members)\b/.test(line)), plan.join("\n")).toEqual([]);
      }
      const page = await homeStream(camp.db, members[0]!, null);
      expect(page.items.length).toBe(20);
      expect(page.items.some((item) => item.post.author.id === members[1])).toBe(false);
    } finally {
      for (const [owner, listId] of made) await deleteList(camp.db, owner, listId);
    }
  });

  test("Home's followed tags are read through each tag's index within the window, never the posts table", async () => {
    for (const tag of ["rare", "garden", "books"]) await followTag(camp.db, members[0]!, tag);
    try {
      for (const window of [168, 10_000]) {
        const plan = await planOf(followedTagIdsQuery(camp.db, members[0]!, 10_001, 10_001 - window, 20));
        expect(plan.some((line) => /^SEARCH post_tags USING COVERING INDEX post_tags_tag \(tag=\? AND post_id>\? AND post_id<\?\)/.test(line)), plan.join("\n")).toBe(true);
        expect(plan.filter((line) => /^SCAN (posts|authors|post_tags)\b/.test(line)), plan.join("\n")).toEqual([]);
      }
    } finally {
      for (const tag of ["rare", "garden", "books"]) await unfollowTag(camp.db, members[0]!, tag);
    }
  });

  test("Home widens its window until it holds a page, so sparse follows still fill it", async () => {
    const loner = await camp.addMember("loner");
    const early = await postAs(camp, members[11]!, { source: "long ago" });
    await follows(camp, loner, members[11]!);
    // Push the followed person's posts far back behind many posts of others.
    await camp.db.insertInto("posts").values(Array.from({ length: 3000 }, () => ({ author_id: members[10]!, source: "noise", html: "<p>noise</p>", created_at: Date.now() }))).execute();
    const page = await homeStream(camp.db, loner, null);
    expect(idsOf(page)[0]).toBe(early);
    expect(idsOf(page).length).toBe(20);
  });

  test("a tag page walks the tag's own index, not the posts table", async () => {
    const plans: string[][] = [];
    const watching = new Kysely<Database>({
      dialect: new SqliteDialect({ database: camp.store.sqlite }),
      log: (event) => {
        if (event.level !== "query" || !event.query.sql.includes("post_tags")) return;
        const statement = camp.store.sqlite.prepare(`explain query plan ${event.query.sql}`);
        plans.push((statement.all(event.query.parameters as unknown[]) as { detail: string }[]).map((r) => r.detail));
      },
    });
    await tagStream(watching, { kind: "member", accountId: members[0]! }, "rare", 5000);
    expect(plans.length).toBe(1);
    expect(plans[0]!.some((line) => /SEARCH post_tags USING COVERING INDEX post_tags_tag \(tag=\? AND post_id<\?\)/.test(line))).toBe(true);
    expect(plans[0]!.filter((line) => /^SCAN posts\b/.test(line))).toEqual([]);
  });

  test("search starts from the full-text index and reads posts only by id, with or without filters and a cursor", async () => {
    const viewer = { kind: "member" as const, accountId: members[0]! };
    const match = searchTerms("bread garden").match!;
    const window = { lower: 1000, upper: 9000 };
    for (const [filters, cursor] of [[{}, null], [{ tag: "rare", withImages: true, before: Date.now(), authorId: members[1]! }, { score: -1, createdAt: Date.now(), id: 5000 }]] as const) {
      const plan = await planOf(searchIdsQuery(camp.db, viewer, match, filters, window, cursor, 20));
      // M: the MATCH, and the window's rowid range, both answered by the index.
      expect(plan[0], plan.join("\n")).toMatch(/^SCAN posts_fts VIRTUAL TABLE INDEX \d+:M/);
      expect(plan.some((line) => /^SEARCH posts USING INTEGER PRIMARY KEY \(rowid=\?\)/.test(line)), plan.join("\n")).toBe(true);
      expect(plan.filter((line) => /^SCAN (posts|authors|post_tags|media)\b/.test(line))).toEqual([]);
    }
  });

  test("Home gives the newest posts of the followed authors, page by page", async () => {
    const page = await homeStream(camp.db, members[0]!, null);
    const expected = await camp.db.selectFrom("posts").select("id").where("author_id", "in", members.slice(0, 6)).orderBy("id", "desc").limit(20).execute();
    expect(idsOf(page)).toEqual(expected.map((r) => r.id));
  });
});

describe("queries per page", () => {
  /** Runs `load` on a connection that counts every query it sends. */
  async function queriesFor(load: (db: Kysely<Database>) => Promise<unknown>): Promise<number> {
    let count = 0;
    const counting = new Kysely<Database>({ dialect: new SqliteDialect({ database: camp.store.sqlite }), log: () => { count++; } });
    await load(counting);
    return count;
  }

  test("a page of 40 posts takes as many queries as a page of 5, with likes, boosts, replies and images about", async () => {
    const [me, a, b] = [members[0]!, members[1]!, members[2]!];
    for (let i = 0; i < 45; i++) {
      const id = await postAs(camp, i % 2 ? a : b, { source: `#counted post ${i} @m0`, audience: "public", inReplyToId: null });
      await likePost(camp.db, me, id);
      if (i % 3 === 0) await boostPost(camp.db, a, id).catch(() => undefined);
    }
    const viewer = { kind: "member" as const, accountId: me };
    for (const stream of [
      (db: Kysely<Database>, n: number) => homeStream(db, me, null, n),
      (db: Kysely<Database>, n: number) => tagStream(db, viewer, "counted", null, n),
      (db: Kysely<Database>, n: number) => profileStream(db, viewer, a, null, n),
    ]) {
      const small = await queriesFor((db) => stream(db, 5));
      const large = await queriesFor((db) => stream(db, 40));
      expect(large).toBe(small);
      expect(small).toBeLessThan(15);
    }
  });
});
