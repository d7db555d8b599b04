/**
 * An app's timeline costs the same number of queries for 5 statuses as for 40, with likes, boosts,
 * replies, mentions, tags and images about: accounts, details and reply counts are loaded per page,
 * never per status.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { Kysely, SqliteDialect } from "kysely";
import type { Database } from "../src/db/schema.ts";
import { boostPost } from "../src/domain/posts/boost.ts";
import { likePost } from "../src/domain/posts/likes.ts";
import { homeStream } from "../src/domain/timelines/streams.ts";
import { itemsToStatuses } from "../src/web/api/entities/status.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { solidPng } from "./support/png.ts";
import { follows, postAs } from "./support/posts.ts";

setDefaultTimeout(30_000);

let camp: TestCamp;
let me: number;

beforeAll(async () => {
  camp = await testCamp();
  me = await camp.addMember("alice");
  const bob = await camp.addMember("bob");
  await follows(camp, me, bob);
  let previous: number | null = null;
  for (let i = 0; i < 45; i++) {
    const images = i % 5 === 0 ? [{ bytes: solidPng(), alt: `image ${i}` }] : [];
    const id: number = await postAs(camp, i % 2 ? me : bob, { source: `post ${i} #counted @alice`, audience: "public", inReplyToId: i % 3 ? previous : null, images });
    if (i % 4 === 0) await likePost(camp.db, me, id);
    if (i % 7 === 0 && i % 2 === 0) await boostPost(camp.db, me, id);
    previous = id;
  }
}, 60_000);
afterAll(() => camp.close());

async function queriesFor(limit: number): Promise<{ queries: number; statuses: number }> {
  let queries = 0;
  const counting = new Kysely<Database>({ dialect: new SqliteDialect({ database: camp.store.sqlite }), log: () => { queries++; } });
  // Home's own windowing is stream_query_plans.test.ts's subject: only the API's part is counted here.
  const page = await homeStream(camp.db, me, null, limit);
  const statuses = await itemsToStatuses(counting, camp.config.origin, me, page.items);
  return { queries, statuses: statuses.length };
}

test("a timeline of 40 statuses takes as many queries as one of 5", async () => {
  const small = await queriesFor(5);
  const large = await queriesFor(40);
  expect([small.statuses, large.statuses]).toEqual([5, 40]);
  expect(large.queries).toBe(small.queries);
});
