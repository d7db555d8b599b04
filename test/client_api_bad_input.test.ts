/**
 * Bad input to the client API gets the status and `{"error": ...}` body Mastodon gives, a log line,
 * and no half-written rows: a 1 MB status, an unknown visibility, paging parameters that are not
 * ids, media of the wrong type or size, someone else's media, a reply to a post one may not see.
 */
import { afterAll, beforeAll, expect, test, setDefaultTimeout } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { tokenFor } from "./support/clientApi.ts";
import { pngOfSize, solidPng } from "./support/png.ts";
import { postAs } from "./support/posts.ts";

// Logging in (scrypt) and hundreds of requests take several seconds on a busy machine.
setDefaultTimeout(30_000);

let camp: TestCamp;
let alice: string;
let bob: string;
let bobId: number;

beforeAll(async () => {
  camp = await testCamp();
  await camp.addMember("alice");
  bobId = await camp.addMember("bob");
  alice = await tokenFor(camp, "alice");
  bob = await tokenFor(camp, "bob");
}, 60_000);
afterAll(() => camp.close());

const call = (token: string, path: string, init: RequestInit = {}) =>
  camp.client().request(path, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });
const postJson = (token: string, path: string, body: unknown) => call(token, path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
const count = async (table: "posts" | "media") => Number((await camp.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const files = () => (existsSync(camp.config.mediaDir) ? readdirSync(camp.config.mediaDir).length : 0);
const answer = async (response: Response) => [response.status, await response.json()];

test("a 1 MB status is 422 with Mastodon's validation body, and nothing is written", async () => {
  const before = await count("posts");
  const response = await postJson(alice, "/api/v1/statuses", { status: "x".repeat(1024 * 1024), visibility: "public" });
  expect(response.status).toBe(422);
  expect((await response.json() as { error: string }).error).toStartWith("Validation failed: Posts can be at most 5000 characters");
  expect(await count("posts")).toBe(before);
  expect(camp.logs.some((l) => l.includes("api: refused"))).toBe(true);
});

test("an unknown visibility, or direct with local_only, is 422 and writes nothing", async () => {
  const before = await count("posts");
  expect(await answer(await postJson(alice, "/api/v1/statuses", { status: "hi", visibility: "friends" })))
    .toEqual([422, { error: "Validation failed: Visibility is not included in the list" }]);
  const direct = await postJson(alice, "/api/v1/statuses", { status: "hi @bob", visibility: "direct", local_only: true });
  expect(direct.status).toBe(422);
  expect(await count("posts")).toBe(before);
});

test("an empty status without media is 422", async () => {
  expect((await postJson(alice, "/api/v1/statuses", { status: "  " })).status).toBe(422);
});

test("paging parameters that are not ids are 400 with an error body", async () => {
  for (const query of ["max_id=abc", "since_id=-1", "min_id=1e9", "limit=lots"]) {
    const response = await call(alice, `/api/v1/timelines/home?${query}`);
    expect(response.status).toBe(400);
    expect(Object.keys(await response.json() as object)).toEqual(["error"]);
  }
});

test("since_id and min_id keep only newer posts; max_id only older ones", async () => {
  const ids: string[] = [];
  for (const n of [1, 2, 3]) ids.push((await (await postJson(alice, "/api/v1/statuses", { status: `paging ${n}` })).json() as { id: string }).id);
  const newer = await (await call(alice, `/api/v1/timelines/home?since_id=${ids[0]}`)).json() as { id: string }[];
  expect(newer.map((s) => s.id)).toEqual([ids[2]!, ids[1]!]);
  const older = await (await call(alice, `/api/v1/timelines/home?max_id=${ids[2]}&limit=1`)).json() as { id: string }[];
  expect(older.map((s) => s.id)).toEqual([ids[1]!]);
});

test("a media upload of the wrong type or size is 422, and no row or file is left", async () => {
  const before = await count("media");
  const filesBefore = files();
  const upload = (bytes: Uint8Array<ArrayBuffer>, type: string) => {
    const form = new FormData();
    form.append("file", new Blob([bytes], { type }), "upload");
    return call(alice, "/api/v2/media", { method: "POST", body: form });
  };
  const text = await upload(new TextEncoder().encode("not an image at all"), "image/png");
  expect(text.status).toBe(422);
  expect((await text.json() as { error: string }).error).toStartWith("Validation failed: File content type is invalid");
  const big = await upload(pngOfSize(9 * 1024 * 1024), "image/png");
  expect(big.status).toBe(422);
  expect((await big.json() as { error: string }).error).toContain("8 MB");
  const empty = await call(alice, "/api/v2/media", { method: "POST", body: new FormData() });
  expect(await answer(empty)).toEqual([422, { error: "Validation failed: File can't be blank" }]);
  expect(await count("media")).toBe(before);
  expect(files()).toBe(filesBefore);
});

test("a post may not use someone else's upload, nor an upload twice", async () => {
  const form = new FormData();
  form.append("file", new Blob([solidPng()], { type: "image/png" }), "a.png");
  const media = await (await call(alice, "/api/v2/media", { method: "POST", body: form })).json() as { id: string };
  const before = await count("posts");
  expect((await postJson(bob, "/api/v1/statuses", { status: "mine now", media_ids: [media.id] })).status).toBe(422);
  expect(await count("posts")).toBe(before);
  expect((await postJson(alice, "/api/v1/statuses", { status: "first", media_ids: [media.id] })).status).toBe(200);
  expect((await postJson(alice, "/api/v1/statuses", { status: "again", media_ids: [media.id] })).status).toBe(422);
});

test("replying to, reading or favouriting a post one may not see is 404 Record not found", async () => {
  const secret = await postAs(camp, bobId, { source: "followers only", audience: "followers" });
  const before = await count("posts");
  expect(await answer(await postJson(alice, "/api/v1/statuses", { status: "reply", in_reply_to_id: String(secret) }))).toEqual([404, { error: "Record not found" }]);
  expect(await answer(await call(alice, `/api/v1/statuses/${secret}`))).toEqual([404, { error: "Record not found" }]);
  expect((await call(alice, `/api/v1/statuses/${secret}/favourite`, { method: "POST" })).status).toBe(404);
  expect((await call(alice, `/api/v1/statuses/${secret}/context`)).status).toBe(404);
  expect(await count("posts")).toBe(before);
});

test("an unknown endpoint is a JSON 404", async () => {
  expect(await answer(await call(alice, "/api/v1/no_such_thing"))).toEqual([404, { error: "Record not found" }]);
});

test("a broken JSON body reads as no parameters and is refused, not a crash", async () => {
  const response = await call(alice, "/api/v1/statuses", { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
  expect(response.status).toBe(422);
  expect(camp.logs.some((l) => l.includes("api: body could not be parsed"))).toBe(true);
});

test("a poll with one option or a past closing time is 422; a vote for an option that is not there, or on a post one may not see, is refused", async () => {
  const before = await count("posts");
  expect((await postJson(alice, "/api/v1/statuses", { status: "one?", poll: { options: ["only"], expires_in: 3600 } })).status).toBe(422);
  expect((await postJson(alice, "/api/v1/statuses", { status: "late?", poll: { options: ["a", "b"], expires_in: -60 } })).status).toBe(422);
  expect(await count("posts")).toBe(before);
  const poll = await (await postJson(alice, "/api/v1/statuses", { status: "tea or coffee?", poll: { options: ["tea", "coffee"], expires_in: 3600 } })).json() as { id: string; poll: { id: string } };
  const vote = (token: string, choices: unknown) => postJson(token, `/api/v1/polls/${poll.poll.id}/votes`, { choices });
  expect((await vote(bob, [5])).status).toBe(422);
  expect((await vote(bob, ["x"])).status).toBe(422);
  expect((await vote(bob, [0, 1])).status).toBe(422);
  const secret = await postAs(camp, bobId, { source: "private poll", audience: "followers", poll: { options: ["a", "b"], multiple: false, closesAt: Date.now() + 3_600_000 } });
  expect(await answer(await postJson(alice, `/api/v1/polls/${secret}/votes`, { choices: [0] }))).toEqual([404, { error: "Record not found" }]);
  expect((await call(alice, `/api/v1/polls/${secret}`)).status).toBe(404);
  const votes = await camp.db.selectFrom("poll_votes").select("poll_id").execute();
  expect(votes).toEqual([]);
});
