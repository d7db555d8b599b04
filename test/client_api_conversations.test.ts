/**
 * Direct posts as Mastodon's conversations, driven by masto: one conversation per thread with the
 * other people in it and its newest direct post, newest first; nobody outside a conversation sees it;
 * paging by max_id. Also: an account's pinned statuses are an empty list (Kith has no pins).
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { createRestAPIClient, type mastodon } from "masto";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { tokenFor } from "./support/clientApi.ts";

setDefaultTimeout(30_000);

let camp: TestCamp;
const clients: Record<string, mastodon.rest.Client> = {};

beforeAll(async () => {
  camp = await testCamp();
  await camp.serve();
  for (const handle of ["alice", "bob", "carol", "dana"]) {
    await camp.addMember(handle);
    clients[handle] = createRestAPIClient({ url: camp.config.origin, accessToken: await tokenFor(camp, handle) });
  }
}, 60_000);
afterAll(() => camp.close());

test("a thread of direct posts is one conversation for each person in it, and none for anyone else", async () => {
  const { alice, bob, carol, dana } = clients as Record<string, mastodon.rest.Client>;
  const first = await alice!.v1.statuses.create({ status: "@bob dinner on Friday?", visibility: "direct" });
  const reply = await bob!.v1.statuses.create({ status: "@alice yes please", visibility: "direct", inReplyToId: first.id });
  const other = await carol!.v1.statuses.create({ status: "@dana the key is under the mat", visibility: "direct" });
  await alice!.v1.statuses.create({ status: "a camp post, not a conversation" });

  const bobs = await bob!.v1.conversations.list();
  expect(bobs).toHaveLength(1);
  expect(bobs[0]).toMatchObject({ id: first.id, unread: false, lastStatus: { id: reply.id } });
  expect(bobs[0]!.accounts.map((a) => a.acct)).toEqual(["alice"]);
  const alices = await alice!.v1.conversations.list();
  expect(alices.map((x) => [x.id, x.lastStatus?.id, x.accounts.map((a) => a.acct)])).toEqual([[first.id, reply.id, ["bob"]]]);

  const carols = await carol!.v1.conversations.list();
  expect(carols.map((x) => [x.id, x.accounts.map((a) => a.acct)])).toEqual([[other.id, ["dana"]]]);
  expect((await dana!.v1.conversations.list()).map((x) => x.lastStatus?.content)).toEqual([expect.stringContaining("under the mat")]);
});

test("conversations are newest first and page by max_id", async () => {
  const { alice, bob } = clients as Record<string, mastodon.rest.Client>;
  const newer = await bob!.v1.statuses.create({ status: "@alice and a new subject", visibility: "direct" });
  const page = await alice!.v1.conversations.list({ limit: 1 });
  expect(page.map((x) => x.lastStatus?.id)).toEqual([newer.id]);
  const older = await alice!.v1.conversations.list({ limit: 1, maxId: newer.id });
  expect(older.map((x) => x.accounts.map((a) => a.acct))).toEqual([["bob"]]);
  expect(Number(older[0]!.lastStatus!.id)).toBeLessThan(Number(newer.id));
});

test("an account's pinned statuses are an empty list", async () => {
  const { alice } = clients as Record<string, mastodon.rest.Client>;
  const me = await alice!.v1.accounts.verifyCredentials();
  expect(await alice!.v1.accounts.$select(me.id).statuses.list({ pinned: true })).toEqual([]);
  expect((await alice!.v1.accounts.$select(me.id).statuses.list()).length).toBeGreaterThan(0);
});
