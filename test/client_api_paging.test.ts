/**
 * Paging as Mastodon's documentation gives it: `since_id` answers the newest items newer than the id,
 * `min_id` the items immediately newer than it (still newest first), `max_id` the older ones, and the
 * Link header's prev (min_id) and next (max_id) walk a stream in both directions with no gap and no
 * repeat. Checked on the camp stream, Home, an account's statuses, favourites and notifications.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { tokenFor } from "./support/clientApi.ts";

setDefaultTimeout(30_000);

let camp: TestCamp;
let alice: string, bob: string;
let aliceId: number;
/** Alice's 30 posts, oldest first. */
let posts: number[] = [];
/** Bob's notifications of alice's mentions, oldest first. */
let mentions: number[] = [];

async function call(token: string, path: string, method = "GET", body?: unknown) {
  const response = await camp.client().request(path, {
    method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() as any, link: response.headers.get("link") ?? "" };
}
const ids = (body: { id: string }[]) => body.map((s) => Number(s.id));
const newestFirst = (list: number[]) => [...list].reverse();

beforeAll(async () => {
  camp = await testCamp();
  aliceId = await camp.addMember("alice");
  await camp.addMember("bob");
  alice = await tokenFor(camp, "alice");
  bob = await tokenFor(camp, "bob");
  await call(bob, `/api/v1/accounts/${aliceId}/follow`, "POST");
  for (let i = 1; i <= 30; i++) posts.push(Number((await call(alice, "/api/v1/statuses", "POST", { status: `post ${i}` })).body.id));
  for (let i = 1; i <= 12; i++) await call(alice, "/api/v1/statuses", "POST", { status: `@bob note ${i}` });
  mentions = newestFirst(ids((await call(bob, "/api/v1/notifications?limit=80")).body));
}, 60_000);
afterAll(() => camp.close());

describe("since_id and min_id", () => {
  for (const [name, path] of [["the camp stream", "/api/v1/timelines/public?local=true"], ["an account's statuses", "/api/v1/accounts/ACCOUNT/statuses"], ["Home", "/api/v1/timelines/home"]] as const) {
    test(`${name}: since_id gives the newest after the id, min_id the ones right after it, both newest first`, async () => {
      const base = path.replace("ACCOUNT", String(aliceId));
      const sep = base.includes("?") ? "&" : "?";
      // Only alice's "post N" posts, below the 12 notes written after them: max_id cuts the notes off.
      const top = posts[29]! + 1;
      const since = await call(bob, `${base}${sep}since_id=${posts[4]}&max_id=${top}&limit=5`);
      expect(ids(since.body)).toEqual(newestFirst(posts.slice(25, 30)));
      const min = await call(bob, `${base}${sep}min_id=${posts[4]}&max_id=${top}&limit=5`);
      expect(ids(min.body)).toEqual(newestFirst(posts.slice(5, 10)));
      const between = await call(bob, `${base}${sep}min_id=${posts[4]}&max_id=${posts[7]}`);
      expect(ids(between.body)).toEqual(newestFirst(posts.slice(5, 7)));
      // min_id far below the top: the window right above it, found by reading down through several pages.
      const far = await call(bob, `${base}${sep}min_id=${posts[0]}&limit=3`);
      expect(ids(far.body)).toEqual(newestFirst(posts.slice(1, 4)));
      expect((await call(bob, `${base}${sep}since_id=999999`)).body).toEqual([]);
    });
  }

  test("following the Link header's prev from the oldest page climbs to the newest with no gap and no repeat", async () => {
    const seen: number[] = [];
    let page = await call(bob, `/api/v1/timelines/public?local=true&min_id=${posts[0]! - 1}&limit=7`);
    for (let guard = 0; page.body.length > 0 && guard < 20; guard++) {
      seen.push(...newestFirst(ids(page.body)));
      const prev = /<([^>]+)>; rel="prev"/.exec(page.link)![1]!;
      expect(new URL(prev).searchParams.get("min_id")).toBe(page.body[0].id);
      page = await call(bob, new URL(prev).pathname + new URL(prev).search);
    }
    expect(seen.slice(0, 30)).toEqual(posts);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(42);
  });

  test("notifications: since_id, min_id and max_id, with a type filter too", async () => {
    expect(ids((await call(bob, `/api/v1/notifications?since_id=${mentions[2]}&limit=4`)).body)).toEqual(newestFirst(mentions.slice(8, 12)));
    expect(ids((await call(bob, `/api/v1/notifications?min_id=${mentions[2]}&limit=4`)).body)).toEqual(newestFirst(mentions.slice(3, 7)));
    expect(ids((await call(bob, `/api/v1/notifications?max_id=${mentions[2]}`)).body)).toEqual(newestFirst(mentions.slice(0, 2)));
    expect((await call(bob, `/api/v1/notifications?min_id=${mentions[2]}&types[]=favourite`)).body).toEqual([]);
    expect(ids((await call(bob, `/api/v1/notifications?min_id=${mentions[2]}&types[]=mention&limit=2`)).body)).toEqual(newestFirst(mentions.slice(3, 5)));
  });

  test("favourites page by the favourite, min_id included", async () => {
    for (const id of posts.slice(0, 6)) await call(bob, `/api/v1/statuses/${id}/favourite`, "POST");
    const all = await call(bob, "/api/v1/favourites?limit=40");
    expect(ids(all.body)).toEqual(newestFirst(posts.slice(0, 6)));
    const likeIds = (await camp.db.selectFrom("likes").select("id").orderBy("id").execute()).map((r) => r.id);
    expect(ids((await call(bob, `/api/v1/favourites?min_id=${likeIds[1]}&limit=2`)).body)).toEqual(newestFirst(posts.slice(2, 4)));
    expect(ids((await call(bob, `/api/v1/favourites?since_id=${likeIds[1]}&limit=2`)).body)).toEqual(newestFirst(posts.slice(4, 6)));
  });
});
