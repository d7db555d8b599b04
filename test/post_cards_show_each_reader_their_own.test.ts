/**
 * A post card mixes what every reader sees alike (the text, the author, the counts) with what is one
 * reader's own: their liked, boosted and saved state, their own post's actions, their muted-word fold
 * and their CSRF token. Those never reach another reader's page, even when the same card was just
 * drawn for someone else, and a camp-only reply drawn for members never reaches a visitor.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { testCamp, type TestCamp, type TestClient } from "./support/camp.ts";
import { cardOf, postAs } from "./support/posts.ts";
import { likePost } from "../src/domain/posts/likes.ts";
import { boostPost } from "../src/domain/posts/boost.ts";
import { editPost } from "../src/domain/posts/edit.ts";

let camp: TestCamp;
const ids: Record<string, number> = {};
const readers: Record<string, TestClient> = {};
let shared: number;
let edited: number;
let campOnly: number;

async function page(reader: TestClient, path: string): Promise<string> {
  const response = await reader.get(path);
  expect(response.status).toBe(200);
  return response.text();
}

beforeAll(async () => {
  camp = await testCamp();
  for (const handle of ["ada", "bo", "cy"]) {
    ids[handle] = await camp.addMember(handle);
    readers[handle] = await camp.loggedIn(handle);
  }
  shared = await postAs(camp, ids.ada!, { source: "Soup on Sunday, all welcome", audience: "public" });
  edited = await postAs(camp, ids.ada!, { source: "A first draft", audience: "public" });
  await editPost(camp.db, { mediaDir: camp.config.mediaDir, domain: camp.config.domain }, ids.ada!, edited,
    { source: "A second draft", contentWarning: "", audience: "public", confirmWiden: false });
  campOnly = await postAs(camp, ids.cy!, { source: "Only for the camp: the key is under the mat", inReplyToId: shared });
  await likePost(camp.db, ids.bo!, shared);
  await boostPost(camp.db, ids.bo!, shared);
  expect((await readers.bo!.post(`/posts/${shared}/save`, { next: "/camp" })).status).toBe(303);
  expect((await readers.bo!.post("/filters/words", { word: "soup", action: "collapse" })).status).toBe(303);
});

afterAll(() => camp.close());

test("what one reader did to a post stays on their own page", async () => {
  // Bo's page is drawn first, then Cy's with the same cards.
  const bo = cardOf(await page(readers.bo!, "/camp"), shared)!;
  const cy = cardOf(await page(readers.cy!, "/camp"), shared)!;

  expect(bo).toContain(`aria-pressed="true">Unlike</button>`);
  expect(bo).toContain(`aria-pressed="true">Undo boost</button>`);
  expect(bo).toContain(`aria-pressed="true">Unsave</button>`);
  expect(bo).toContain(`<details class="muted-word">`);
  expect(cy).toContain(`aria-pressed="false">Like</button>`);
  expect(cy).toContain(`aria-pressed="false">Boost</button>`);
  expect(cy).toContain(`aria-pressed="false">Save</button>`);
  expect(cy).not.toContain("Unlike");
  expect(cy).not.toContain("Undo boost");
  expect(cy).not.toContain("Unsave");
  expect(cy).not.toContain("muted-word");
  // What is the same for both: the count of likes and boosts.
  for (const card of [bo, cy]) expect(card).toContain(`<span class="count">1 like</span>`);
});

test("each reader's CSRF token, and only theirs, is in their forms", async () => {
  const bo = await page(readers.bo!, "/camp");
  const cy = await page(readers.cy!, "/camp");
  const boToken = readers.bo!.csrf!;
  const cyToken = readers.cy!.csrf!;
  expect(boToken).not.toBe(cyToken);
  expect(cardOf(bo, shared)).toContain(`name="_csrf" value="${boToken}"`);
  expect(cardOf(cy, shared)).toContain(`name="_csrf" value="${cyToken}"`);
  expect(bo).not.toContain(cyToken);
  expect(cy).not.toContain(boToken);
});

test("the author's own actions appear on the author's page only", async () => {
  const cy = await page(readers.cy!, "/camp");
  const ada = await page(readers.ada!, "/camp");
  expect(cardOf(ada, shared)).toContain(`<a href="/posts/${shared}/edit">Edit</a>`);
  expect(cardOf(ada, edited)).toContain(`<a href="/posts/${edited}/history">edited</a>`);
  expect(cardOf(cy, shared)).toContain(`<a href="/posts/${shared}/report">Report</a>`);
  expect(cardOf(cy, shared)).not.toContain("/edit");
  expect(cardOf(cy, edited)).not.toContain("/history");
  expect(cardOf(cy, edited)).toContain(" · edited</span>");
});

test("a visitor never gets the camp-only reply the members' pages just showed", async () => {
  for (const reader of ["ada", "bo", "cy"]) expect(cardOf(await page(readers[reader]!, `/posts/${shared}`), campOnly)).toContain("the key is under the mat");
  const visitor = await page(camp.client(), `/posts/${shared}`);
  expect(cardOf(visitor, shared)).toContain("Soup on Sunday");
  expect(visitor).not.toContain("the key is under the mat");
  expect(cardOf(visitor, campOnly)).toBeNull();
});
