/**
 * Every change to a post card shows on the next page load in every HTTP process: a real camp runs
 * with two HTTP processes (KITH_WORKERS=2) on one SQLite file, and a third process (this test) writes
 * through the domain, as the web, the client API, the inbox or moderation would, so neither server
 * process hears of the write in memory. Each page is asked for over fresh connections, which the
 * kernel spreads over both processes, before and after the write. Each process keeps the pages it
 * drew (src/web/pageCache.ts), so the asks before a write fill both caches, and the asks after it
 * prove each process noticed a write it did not make; the last test checks the caches did answer.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { openStore, type Store } from "../src/db/open.ts";
import { insertMember, prepareMember } from "../src/domain/members/accounts.ts";
import { createPost, type NewPostInput } from "../src/domain/posts/create.ts";
import { editPost } from "../src/domain/posts/edit.ts";
import { deletePost } from "../src/domain/posts/delete.ts";
import { likePost, unlikePost } from "../src/domain/posts/likes.ts";
import { boostPost } from "../src/domain/posts/boost.ts";
import { updateProfile } from "../src/domain/members/profile.ts";
import { setAvatar } from "../src/domain/media/store.ts";
import { suspendMember } from "../src/domain/members/moderation.ts";
import { blockAccount } from "../src/domain/remote/blocks.ts";
import { addMute } from "../src/domain/filters/mutes.ts";
import { PASSWORD } from "./support/camp.ts";
import { HttpVisitor } from "./support/http.ts";
import { tempDir } from "./support/kith.ts";
import { startCampWithOperator, type CampProcess } from "./support/ops.ts";
import { solidPng } from "./support/png.ts";
import { cardOf } from "./support/posts.ts";

/** Asks of each page: enough fresh connections that both processes answer (checked at the end). */
const ASKS = 8;

let data: string;
let camp: CampProcess;
let store: Store;
let place: { mediaDir: string; domain: string };
const ids: Record<string, number> = {};
const readers: Record<string, HttpVisitor> = {};

async function member(handle: string): Promise<number> {
  return insertMember(store.db, await prepareMember({ handle, displayName: handle[0]!.toUpperCase() + handle.slice(1), password: PASSWORD }), "member", null);
}

async function loggedIn(handle: string): Promise<HttpVisitor> {
  const visitor = new HttpVisitor(camp.origin);
  const login = await visitor.post("/login", { handle, password: PASSWORD });
  expect(login.status).toBe(303);
  return visitor;
}

const post = (author: string, input: Partial<NewPostInput> & { source: string }) =>
  createPost(store.db, place, ids[author]!, { contentWarning: "", audience: "camp", ...input });

/** The page as `reader` gets it, asked ASKS times over new connections; every answer must agree. */
async function pageOf(reader: string, path: string): Promise<string> {
  const bodies = new Set<string>();
  for (let i = 0; i < ASKS; i++) {
    const response = await readers[reader]!.request(path, { headers: { connection: "close" } });
    expect(response.status).toBe(200);
    // The relative times are the only thing that may differ between two answers a moment apart.
    bodies.add((await response.text()).replace(/<time [^>]*>[^<]*<\/time>/g, "<time>"));
  }
  expect(bodies.size).toBe(1);
  return [...bodies][0]!;
}

beforeAll(async () => {
  data = tempDir("kith-card-cache-");
  camp = await startCampWithOperator(data, { KITH_WORKERS: "2", KITH_LOG_LEVEL: "debug" });
  store = await openStore(join(data, "kith.sqlite"));
  place = { mediaDir: join(data, "media"), domain: `127.0.0.1:${camp.port}` };
  for (const handle of ["ada", "bo", "cy", "dee", "eve", "fay"]) ids[handle] = await member(handle);
  for (const handle of ["bo", "cy"]) readers[handle] = await loggedIn(handle);
}, 60_000);

afterAll(async () => {
  await store?.close();
  await camp?.kith.stop();
});

describe("a change to a post card shows on the next page load in every process", () => {
  test("edit", async () => {
    const id = await post("ada", { source: "First words about the garden" });
    expect(cardOf(await pageOf("bo", "/camp"), id)).toContain("First words about the garden");
    await editPost(store.db, place, ids.ada!, id, { source: "Second words about the orchard", contentWarning: "", audience: "camp", confirmWiden: false });
    const card = cardOf(await pageOf("bo", "/camp"), id)!;
    expect(card).toContain("Second words about the orchard");
    expect(card).not.toContain("First words");
  });

  test("delete", async () => {
    const id = await post("ada", { source: "Soon to be deleted" });
    expect(cardOf(await pageOf("bo", "/camp"), id)).not.toBeNull();
    await deletePost(store.db, ids.ada!, id);
    expect(cardOf(await pageOf("bo", "/camp"), id)).toBeNull();
  });

  test("like and unlike", async () => {
    const id = await post("ada", { source: "Likeable" });
    expect(cardOf(await pageOf("bo", "/camp"), id)).not.toContain("like</span>");
    await likePost(store.db, ids.cy!, id);
    expect(cardOf(await pageOf("bo", "/camp"), id)).toContain(`<span class="count">1 like</span>`);
    await unlikePost(store.db, ids.cy!, id);
    expect(cardOf(await pageOf("bo", "/camp"), id)).not.toContain("like</span>");
  });

  test("boost", async () => {
    const id = await post("ada", { source: "Worth passing on", audience: "public" });
    expect(cardOf(await pageOf("bo", `/posts/${id}`), id)).not.toContain("boost</span>");
    await boostPost(store.db, ids.cy!, id);
    expect(cardOf(await pageOf("bo", `/posts/${id}`), id)).toContain(`<span class="count">1 boost</span>`);
  });

  test("a reply: the conversation shows it, naming the post it answers", async () => {
    const id = await post("ada", { source: "Who wants soup?" });
    expect(await pageOf("bo", `/posts/${id}`)).not.toContain("Me, please");
    const reply = await post("cy", { source: "Me, please", inReplyToId: id });
    const card = cardOf(await pageOf("bo", `/posts/${id}`), reply)!;
    expect(card).toContain("Me, please");
    expect(card).toContain(`Replying to <a href="/posts/${id}">@ada</a>`);
  });

  test("an image's description", async () => {
    const id = await post("ada", { source: "A picture", images: [{ bytes: solidPng(), alt: "A green square" }] });
    expect(cardOf(await pageOf("bo", "/camp"), id)).toContain(`alt="A green square"`);
    // However the description changes (no form edits a posted image's; a remote Update replaces its rows), the card follows.
    await store.db.updateTable("media").set({ alt: "A square, green as moss" }).where("post_id", "=", id).execute();
    const card = cardOf(await pageOf("bo", "/camp"), id)!;
    expect(card).toContain(`alt="A square, green as moss"`);
    expect(card).not.toContain(`alt="A green square"`);
  });

  test("the author's display name and avatar", async () => {
    const id = await post("eve", { source: "Eve was here" });
    const before = cardOf(await pageOf("bo", "/camp"), id)!;
    expect(before).toContain("<strong>Eve</strong>");
    expect(before).not.toContain(`<img class="avatar"`);
    await updateProfile(store.db, ids.eve!, { displayName: "Eve of the Hills", bio: "" });
    expect(cardOf(await pageOf("bo", "/camp"), id)).toContain("<strong>Eve of the Hills</strong>");
    await setAvatar(store.db, place.mediaDir, ids.eve!, solidPng(16, 16));
    const { storage_key } = await store.db.selectFrom("accounts").innerJoin("media", "media.id", "accounts.avatar_media_id")
      .select("media.storage_key").where("accounts.id", "=", ids.eve!).executeTakeFirstOrThrow();
    expect(cardOf(await pageOf("bo", "/camp"), id)).toContain(`<img class="avatar" src="/media/${storage_key}"`);
  });

  test("the author's suspension", async () => {
    const id = await post("dee", { source: "Dee says hi" });
    expect(cardOf(await pageOf("bo", "/camp"), id)).not.toBeNull();
    const operator = await store.db.selectFrom("members").select("account_id").where("role", "=", "operator").executeTakeFirstOrThrow();
    await suspendMember(store.db, ids.dee!, { id: operator.account_id, role: "operator" });
    expect(cardOf(await pageOf("bo", "/camp"), id)).toBeNull();
  });

  // The audience gate hides an author's posts from the people the author blocks (src/domain/audience.ts).
  test("a block: the card leaves the blocked reader's page only", async () => {
    const id = await post("fay", { source: "Fay's first post" });
    expect(cardOf(await pageOf("bo", "/camp"), id)).not.toBeNull();
    expect(cardOf(await pageOf("cy", "/camp"), id)).not.toBeNull();
    await blockAccount(store.db, ids.fay!, ids.bo!);
    expect(cardOf(await pageOf("bo", "/camp"), id)).toBeNull();
    expect(cardOf(await pageOf("cy", "/camp"), id)).not.toBeNull();
  });

  test("a mute: the card leaves the muting reader's page only", async () => {
    const id = await post("ada", { source: "Ada muses" });
    expect(cardOf(await pageOf("cy", "/camp"), id)).not.toBeNull();
    await addMute(store.db, ids.cy!, ids.ada!, "mute");
    expect(cardOf(await pageOf("cy", "/camp"), id)).toBeNull();
    expect(cardOf(await pageOf("bo", "/camp"), id)).not.toBeNull();
  });
});

test("both HTTP processes answered the pages above, both drawing them and sending kept ones", () => {
  const lines = camp.kith.output().split("\n").filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { message: string; pid?: number; path?: string; cached?: boolean })
    .filter((line) => line.message === "request" && line.path !== undefined && (line.path === "/camp" || line.path.startsWith("/posts/")));
  expect(new Set(lines.map((line) => line.pid)).size).toBe(2);
  expect(new Set(lines.filter((line) => line.cached).map((line) => line.pid)).size).toBe(2);
  expect(new Set(lines.filter((line) => !line.cached).map((line) => line.pid)).size).toBe(2);
});
