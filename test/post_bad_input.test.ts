/**
 * Bad input to posts and reactions: each refusal has a clear message and the right status, and
 * nothing is half-written (row counts of every table a post touches stay the same, no stray files).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { sql } from "kysely";
import { testCamp, type TestCamp, type TestClient } from "./support/camp.ts";
import { countRows, errorMessageOf, textOf } from "./support/pages.ts";
import { postAs } from "./support/posts.ts";
import { pngOfSize, solidPng } from "./support/png.ts";
import { MAX_POST_CHARS } from "../src/domain/posts/limits.ts";

let camp: TestCamp;
let ann: TestClient;
let bob: TestClient;
let annId = 0;
let bobId = 0;

const TABLES = ["posts", "post_edits", "mentions", "pending_mentions", "post_tags", "media", "likes", "notifications", "jobs"] as const;
async function counts() {
  return Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await countRows(camp.db, t)] as const)));
}
const mediaFiles = () => (existsSync(camp.config.mediaDir) ? readdirSync(camp.config.mediaDir).length : 0);

/** Sends the request and checks status, message and that nothing changed. */
async function refused(send: () => Promise<Response>, status: number, message: RegExp) {
  const before = await counts();
  const files = mediaFiles();
  const response = await send();
  expect(response.status).toBe(status);
  const html = await response.text();
  expect(errorMessageOf(html) ?? textOf(html)).toMatch(message);
  expect(await counts()).toEqual(before);
  expect(mediaFiles()).toBe(files);
  return html;
}

function images(files: Uint8Array[], extra: Record<string, string> = {}) {
  const fields: Record<string, string | Blob> = { source: "pictures", audience: "camp", ...extra };
  return async (client: TestClient) => {
    const data = new FormData();
    data.append("_csrf", client.csrf ?? "");
    for (const [k, v] of Object.entries(fields)) data.append(k, v);
    files.forEach((f, i) => { data.append("image", new Blob([Uint8Array.from(f)]), `f${i}.png`); data.append("alt", `image ${i}`); });
    return client.request("/posts", { method: "POST", body: data });
  };
}

beforeAll(async () => {
  camp = await testCamp();
  annId = await camp.addMember("ann");
  bobId = await camp.addMember("bob");
  ann = await camp.loggedIn("ann");
  bob = await camp.loggedIn("bob");
  await ann.get("/");
});

afterAll(() => camp.close());

describe("writing", () => {
  test("an empty post (or only spaces) is refused with 422", async () => {
    await refused(() => ann.post("/posts", { source: "   \n ", audience: "camp" }), 422, /Write something/);
  });

  test(`a post over ${MAX_POST_CHARS} characters is refused and says the limit and the length`, async () => {
    await refused(() => ann.post("/posts", { source: "a".repeat(MAX_POST_CHARS + 1), audience: "camp" }), 422, new RegExp(`${MAX_POST_CHARS} characters; this one has ${MAX_POST_CHARS + 1}`));
  });

  test(`exactly ${MAX_POST_CHARS} characters is fine, counting an emoji as one`, async () => {
    const response = await ann.post("/posts", { source: "🌲" + "a".repeat(MAX_POST_CHARS - 1), audience: "camp" });
    expect(response.status).toBe(303);
  });

  test("the refused text comes back in the form so nothing typed is lost", async () => {
    const html = await refused(() => ann.post("/posts", { source: "x".repeat(MAX_POST_CHARS + 5), contentWarning: "spoilers", audience: "camp" }), 422, /at most/);
    expect(html).toContain('value="spoilers"');
  });

  test("an unknown audience is refused", async () => {
    await refused(() => ann.post("/posts", { source: "hi", audience: "everyone" }), 422, /Choose who can see/);
  });

  test("a direct post that mentions nobody is refused (it would reach no one)", async () => {
    await refused(() => ann.post("/posts", { source: "just me", audience: "direct" }), 422, /mention someone/);
  });

  test("five images are refused: at most four", async () => {
    await refused(() => images(Array.from({ length: 5 }, () => solidPng()))(ann), 422, /at most 4 images/);
  });

  test("an image over 8 MB is refused with 413 and nothing is kept, not even the good images beside it", async () => {
    await refused(() => images([solidPng(), pngOfSize(8 * 1024 * 1024 + 1)])(ann), 413, /at most 8 MB/);
  });

  test("a file that is not an image is refused, whatever its name claims", async () => {
    await refused(() => images([new TextEncoder().encode("<html><script>alert(1)</script></html>")])(ann), 422, /not a PNG, JPEG, GIF or WebP/);
  });

  test("with htmx, a refused post comes back as the form fragment with the message, not a whole page", async () => {
    const response = await ann.request("/posts", {
      method: "POST",
      headers: { "HX-Request": "true", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: ann.csrf!, source: "", audience: "camp" }),
    });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).not.toContain("<html");
    expect(html).toContain('<form method="post" action="/posts"');
    expect(errorMessageOf(html)).toMatch(/Write something/);
  });
});

describe("replying", () => {
  test("replying to a deleted post is refused with 404", async () => {
    const id = await postAs(camp, bobId, { source: "going away" });
    await bob.post(`/posts/${id}/delete`);
    await refused(() => ann.post("/posts", { source: "wait!", audience: "camp", in_reply_to: String(id) }), 404, /deleted or is not visible/);
  });

  test("replying to a post one may not see is refused with 404, the same as a missing one", async () => {
    const secret = await postAs(camp, bobId, { source: "only for @bob's eyes", audience: "followers" });
    await refused(() => ann.post("/posts", { source: "peek", audience: "camp", in_reply_to: String(secret) }), 404, /not visible/);
    await refused(() => ann.post("/posts", { source: "peek", audience: "camp", in_reply_to: "987654" }), 404, /not visible/);
  });

  test("a forged reply id that is not a number is refused with 404", async () => {
    await refused(() => ann.post("/posts", { source: "x", audience: "camp", in_reply_to: "1 or 1=1" }), 404, /not visible/);
  });

  test("a reply to a camp-only post is camp-only even when the form asks for public", async () => {
    const root = await postAs(camp, bobId, { source: "camp talk", audience: "camp" });
    const response = await ann.post("/posts", { source: "agreed", audience: "public", in_reply_to: String(root) });
    expect(response.status).toBe(303);
    const reply = await camp.db.selectFrom("posts").select(["audience", "in_reply_to_id", "thread_root_id"]).orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(reply).toEqual({ audience: "camp", in_reply_to_id: root, thread_root_id: root });
  });
});

describe("reactions", () => {
  test("liking twice is refused with 409 and leaves exactly one like", async () => {
    const id = await postAs(camp, bobId, { source: "like me" });
    expect((await ann.post(`/posts/${id}/like`, { next: "/" })).status).toBe(303);
    await refused(() => ann.post(`/posts/${id}/like`, { next: "/" }), 409, /already like/);
    const likes = await camp.db.selectFrom("likes").select(sql<number>`count(*)`.as("n")).where("post_id", "=", id).executeTakeFirstOrThrow();
    expect(Number(likes.n)).toBe(1);
  });

  test("unliking what one has not liked is refused with 409", async () => {
    const id = await postAs(camp, bobId, { source: "never liked" });
    await refused(() => ann.post(`/posts/${id}/unlike`, { next: "/" }), 409, /not liked/);
  });

  test("boosting twice is refused; a followers-only post cannot be boosted at all", async () => {
    const id = await postAs(camp, bobId, { source: "boost me", audience: "public" });
    expect((await ann.post(`/posts/${id}/boost`, { next: "/" })).status).toBe(303);
    await refused(() => ann.post(`/posts/${id}/boost`, { next: "/" }), 409, /already boosted/);
    const narrow = await postAs(camp, annId, { source: "mine, followers only", audience: "followers" });
    await refused(() => ann.post(`/posts/${narrow}/boost`, { next: "/" }), 403, /cannot be boosted/);
  });

  test("a forged post id in a like form is 404, with or without htmx", async () => {
    await refused(() => ann.post("/posts/99999/like", { next: "/" }), 404, /deleted or is not visible/);
    await refused(() => ann.request("/posts/99999/like", {
      method: "POST", headers: { "HX-Request": "true", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: ann.csrf!, next: "/" }),
    }), 404, /not visible/);
  });

  test("the next field cannot send a plain form to another site", async () => {
    const id = await postAs(camp, bobId, { source: "redirect test" });
    const response = await ann.post(`/posts/${id}/like`, { next: "https://evil.example/" });
    expect(response.headers.get("location")).toBe("/");
  });
});

describe("editing", () => {
  test("widening the audience without the explicit confirmation is refused and changes nothing", async () => {
    const id = await postAs(camp, annId, { source: "camp only thoughts", audience: "camp" });
    await refused(() => ann.post(`/posts/${id}/edit`, { source: "camp only thoughts", audience: "public" }), 422, /Tick "Yes, show it to more people"/);
    const post = await camp.db.selectFrom("posts").select(["audience", "edited_at"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(post).toEqual({ audience: "camp", edited_at: null });
  });

  test("with the confirmation the audience widens, and the old version is kept in the history", async () => {
    const id = await postAs(camp, annId, { source: "first words", audience: "camp" });
    const response = await ann.post(`/posts/${id}/edit`, { source: "second words", audience: "public", confirmWiden: "yes" });
    expect(response.status).toBe(303);
    const post = await camp.db.selectFrom("posts").select(["audience", "source", "html"]).where("id", "=", id).executeTakeFirstOrThrow();
    expect(post.audience).toBe("public");
    expect(post.html).toContain("second words");
    const edits = await camp.db.selectFrom("post_edits").select(["source", "audience"]).where("post_id", "=", id).execute();
    expect(edits).toEqual([{ source: "first words", audience: "camp" }]);
    expect(textOf(await (await ann.get(`/posts/${id}/history`)).text())).toContain("first words");
  });

  test("narrowing needs no confirmation", async () => {
    const id = await postAs(camp, annId, { source: "public words", audience: "public" });
    expect((await ann.post(`/posts/${id}/edit`, { source: "public words", audience: "followers" })).status).toBe(303);
  });

  test("nobody but the author can edit or delete a post", async () => {
    const id = await postAs(camp, annId, { source: "ann's own" });
    await refused(() => bob.post(`/posts/${id}/edit`, { source: "bob was here", audience: "camp" }), 403, /Only the author/);
    await refused(() => bob.post(`/posts/${id}/delete`), 403, /Only the author/);
  });
});
