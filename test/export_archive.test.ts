/**
 * A member's archive, parsed back: outbox.json holds every post (camp-only ones too, marked),
 * likes.json every like, bookmarks.json every saved post the member may still see (never one
 * since deleted or narrowed), media_attachments/ every image byte for byte, actor.json the
 * profile, the CSVs the relations (lists and blocked domains too) in Mastodon's shapes, and
 * feeds.opml the feed sources. One export at a time; a link valid 7 days.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createPost } from "../src/domain/posts/create.ts";
import { likePost } from "../src/domain/posts/likes.ts";
import { boostPost } from "../src/domain/posts/boost.ts";
import { follow } from "../src/domain/follows/follow.ts";
import { blockAccount } from "../src/domain/remote/blocks.ts";
import { addMute } from "../src/domain/filters/mutes.ts";
import { addMutedWord } from "../src/domain/filters/words.ts";
import { setAvatar } from "../src/domain/media/store.ts";
import { exportHandler } from "../src/domain/export/build.ts";
import { bookmarkPost } from "../src/domain/bookmarks/bookmarks.ts";
import { deletePost } from "../src/domain/posts/delete.ts";
import { addToList, createList } from "../src/domain/lists/lists.ts";
import { blockDomain } from "../src/domain/domainBlocks/domainBlocks.ts";
import { insertSource } from "../src/domain/feeds/sources.ts";
import { readOpml } from "../src/domain/feeds/opml.ts";
import { parseCsv } from "../src/domain/import/csvFile.ts";
import { archiveLinks } from "../src/federation/archiveLinks.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { solidPng } from "./support/png.ts";
import { unpackArchive } from "./support/archives.ts";

setDefaultTimeout(30_000);

let camp: TestCamp;
let aliceId: number;
let bobId: number;
const posts: Record<string, number> = {};

/** Runs the queued export job the way the worker would. */
async function runExportJobs() {
  const deps = { db: camp.db, config: camp.config, log: { debug() {}, info() {}, warn() {}, error() {} } };
  const handler = exportHandler({ ...deps, ...camp.config }, archiveLinks(deps));
  const jobs = await camp.db.selectFrom("jobs").select(["id", "payload"]).where("kind", "=", "export").execute();
  for (const job of jobs) {
    await handler.run(JSON.parse(job.payload));
    await camp.db.deleteFrom("jobs").where("id", "=", job.id).execute();
  }
}

beforeAll(async () => {
  camp = await testCamp();
  aliceId = await camp.addMember("alice");
  bobId = await camp.addMember("bob");
  const carolId = await camp.addMember("carol");
  const place = { mediaDir: camp.config.mediaDir, domain: camp.config.domain };
  await setAvatar(camp.db, camp.config.mediaDir, aliceId, solidPng(12, 12, [200, 10, 10]));
  posts.public = await createPost(camp.db, place, aliceId, { source: "Hello, **world**", contentWarning: "", audience: "public", images: [{ bytes: solidPng(10, 10), alt: "ten" }] });
  posts.camp = await createPost(camp.db, place, aliceId, { source: "Just for the camp #tea", contentWarning: "spoiler", audience: "camp", images: [{ bytes: solidPng(11, 11, [1, 2, 3]), alt: "eleven" }] });
  posts.bobs = await createPost(camp.db, place, bobId, { source: "Bob writes", contentWarning: "", audience: "camp" });
  posts.reply = await createPost(camp.db, place, aliceId, { source: "@bob agreed", contentWarning: "", audience: "camp", inReplyToId: posts.bobs });
  await boostPost(camp.db, aliceId, posts.bobs);
  posts.boost = (await camp.db.selectFrom("posts").select("id").where("author_id", "=", aliceId).where("boost_of_id", "=", posts.bobs).executeTakeFirstOrThrow()).id;
  await likePost(camp.db, aliceId, posts.bobs);
  await follow(camp.db, aliceId, bobId);
  await follow(camp.db, carolId, aliceId);
  await blockAccount(camp.db, aliceId, await camp.addMember("dave"));
  await addMute(camp.db, aliceId, bobId, "hide_boosts");
  await addMutedWord(camp.db, aliceId, { word: "spoilers, all", action: "hide" });

  // Saved posts: Bob's (seen), a remote one (its own id), and two she may no longer see.
  const remote = await camp.db.insertInto("accounts").values({ handle: "rae", domain: "far.example", uri: "https://far.example/users/rae", created_at: Date.now() })
    .returning("id").executeTakeFirstOrThrow();
  posts.remote = (await camp.db.insertInto("posts").values({ author_id: remote.id, audience: "public", uri: "https://far.example/notes/1", html: "<p>far</p>", created_at: Date.now() })
    .returning("id").executeTakeFirstOrThrow()).id;
  posts.deleted = await createPost(camp.db, place, bobId, { source: "Soon gone", contentWarning: "", audience: "camp" });
  posts.narrowed = await createPost(camp.db, place, carolId, { source: "For my followers", contentWarning: "", audience: "followers" });
  await follow(camp.db, aliceId, carolId);
  for (const id of [posts.bobs, posts.remote, posts.deleted, posts.narrowed]) await bookmarkPost(camp.db, aliceId, id);
  await deletePost(camp.db, bobId, posts.deleted);
  // Carol's followers-only post is out of Alice's reach once she no longer follows Carol.
  await camp.db.deleteFrom("follows").where("follower_id", "=", aliceId).where("followee_id", "=", carolId).execute();

  const friends = await createList(camp.db, aliceId, { title: "Friends, close", exclusive: false });
  await addToList(camp.db, aliceId, friends, bobId);
  await createList(camp.db, aliceId, { title: "Empty", exclusive: true });
  await blockDomain(camp.db, aliceId, "spam.example", camp.config.domain);
  await blockDomain(camp.db, aliceId, "ads.example", camp.config.domain);
  await insertSource(camp.db, aliceId, { url: "https://blog.example/feed.xml", label: "My blog & notes", audience: "public" });
});
afterAll(() => camp.close());

test("one archive at a time: a second request while the first waits is refused with a clear message", async () => {
  const alice = await camp.loggedIn("alice");
  const first = await alice.post("/settings/export");
  expect(first.status).toBe(303);
  const page = await (await alice.get("/settings/export?notice=queued")).text();
  expect(page).toContain("waiting to be made");
  const second = await alice.post("/settings/export");
  expect(second.status).toBe(409);
  expect(await second.text()).toContain("being made already");
  expect(await camp.db.selectFrom("jobs").select("id").where("kind", "=", "export").execute()).toHaveLength(1);
});

test("the archive, downloaded and parsed back, matches the member's posts, likes, media and relations", async () => {
  await runExportJobs();
  const alice = await camp.loggedIn("alice");
  const page = await (await alice.get("/settings/export")).text();
  const link = /href="(\/settings\/export\/\d+\/download)"/.exec(page)?.[1];
  expect(link).toBeDefined();
  const download = await alice.get(link!);
  expect(download.status).toBe(200);
  expect(download.headers.get("content-disposition")).toContain("kith-archive-alice-");
  const archive = unpackArchive(new Uint8Array(await download.arrayBuffer()));

  const outbox = archive.json("outbox.json");
  expect(outbox.type).toBe("OrderedCollection");
  const stored = await camp.db.selectFrom("posts").select(["id", "html", "audience"]).where("author_id", "=", aliceId).orderBy("id").execute();
  expect(outbox.totalItems).toBe(stored.length);
  const byId = new Map(outbox.orderedItems.map((item: any) => [item.type === "Create" ? item.object.id : item.id.replace(/\/activity$/, ""), item]));
  for (const post of stored) {
    const item: any = byId.get(`${camp.config.origin}/posts/${post.id}`);
    expect(item).toBeDefined();
    expect(item.kithAudience).toBe(post.audience);
    if (item.type === "Create") expect(item.object.content).toBe(post.html);
  }
  const campOnly: any = byId.get(`${camp.config.origin}/posts/${posts.camp}`);
  expect(campOnly.object.summary).toBe("spoiler");
  expect(campOnly.object.to).toEqual([]);
  expect(campOnly.object.cc).toEqual([]);
  expect(campOnly.object.tag).toContainEqual({ type: "Hashtag", name: "#tea" });
  expect(JSON.stringify(outbox["@context"])).toContain("kithAudience");
  const reply: any = byId.get(`${camp.config.origin}/posts/${posts.reply}`);
  expect(reply.object.inReplyTo).toBe(`${camp.config.origin}/posts/${posts.bobs}`);
  const boost: any = byId.get(`${camp.config.origin}/posts/${posts.boost}`);
  expect(boost).toMatchObject({ type: "Announce", object: `${camp.config.origin}/posts/${posts.bobs}` });

  // Every image, byte for byte, where the outbox says it is.
  const media = await camp.db.selectFrom("media").select(["post_id", "storage_key"]).where("owner_id", "=", aliceId).where("post_id", "is not", null).execute();
  expect(media).toHaveLength(2);
  for (const m of media) {
    const item: any = byId.get(`${camp.config.origin}/posts/${m.post_id}`);
    const path = item.object.attachment[0].url;
    expect(path).toBe(`media_attachments/files/${m.storage_key}`);
    expect(archive.bytes(path).equals(readFileSync(join(camp.config.mediaDir, m.storage_key!)))).toBe(true);
  }

  expect(archive.json("likes.json").orderedItems).toEqual([`${camp.config.origin}/posts/${posts.bobs}`]);
  // Saved posts, newest saved first, exactly those the Saved page still shows her.
  const saved = await (await alice.get("/saved")).text();
  expect(saved).toContain("Bob writes");
  expect(saved).not.toContain("Soon gone");
  expect(saved).not.toContain("For my followers");
  expect(archive.json("bookmarks.json")).toMatchObject({ type: "OrderedCollection", id: "bookmarks.json", totalItems: 2,
    orderedItems: ["https://far.example/notes/1", `${camp.config.origin}/posts/${posts.bobs}`] });
  expect(archive.text("bookmarks.json")).not.toContain(`/posts/${posts.deleted}"`);
  expect(archive.text("bookmarks.json")).not.toContain(`/posts/${posts.narrowed}"`);
  // The same saved posts as Mastodon's bookmarks.csv, one id a line.
  expect(archive.text("bookmarks.csv")).toBe(archive.json("bookmarks.json").orderedItems.map((uri: string) => `${uri}\n`).join(""));
  const actor = archive.json("actor.json");
  expect(actor).toMatchObject({ id: `${camp.config.origin}/users/alice`, type: "Person", outbox: "outbox.json", likes: "likes.json", bookmarks: "bookmarks.json", icon: { url: "avatar.png" } });
  const avatarKey = (await camp.db.selectFrom("accounts").innerJoin("media", "media.id", "accounts.avatar_media_id").select("media.storage_key").where("accounts.id", "=", aliceId).executeTakeFirstOrThrow()).storage_key!;
  expect(archive.bytes("avatar.png").equals(readFileSync(join(camp.config.mediaDir, avatarKey)))).toBe(true);

  const domain = camp.config.domain;
  expect(archive.text("following_accounts.csv")).toBe(`Account address,Show boosts,Notify on new posts,Languages\nbob@${domain},false,false,\n`);
  expect(archive.text("followers.csv")).toBe(`Account address\ncarol@${domain}\n`);
  expect(archive.text("blocked_accounts.csv")).toBe(`dave@${domain}\n`);
  expect(archive.text("muted_words.csv")).toBe(`Word,Action\n"spoilers, all",hide\n`);
  // Lists: one `title,address` line per person on a list, as Mastodon writes them; an empty list has none.
  const listed = await camp.db.selectFrom("lists").innerJoin("list_members", "list_members.list_id", "lists.id").innerJoin("accounts", "accounts.id", "list_members.account_id")
    .select(["lists.title", "accounts.handle"]).where("lists.account_id", "=", aliceId).execute();
  expect(parseCsv(archive.text("lists.csv"))).toEqual(listed.map((r) => [r.title, `${r.handle}@${domain}`]));
  expect(archive.text("lists.csv")).toBe(`"Friends, close",bob@${domain}\n`);
  const blockedDomains = await camp.db.selectFrom("member_domain_blocks").select("domain").where("account_id", "=", aliceId).orderBy("domain").execute();
  expect(archive.text("domain_blocks.csv")).toBe(`#domain\n${blockedDomains.map((r) => `${r.domain}\n`).join("")}`);
  expect(blockedDomains).toHaveLength(2);
  // Her feed sources, as a feed reader reads them.
  const sources = await camp.db.selectFrom("feed_sources").select(["label", "url"]).where("account_id", "=", aliceId).execute();
  expect(readOpml(archive.text("feeds.opml"))).toEqual(sources);
  expect(sources).toEqual([{ label: "My blog & notes", url: "https://blog.example/feed.xml" }]);
  // The same CSVs download directly from the export page.
  expect(await (await alice.get("/settings/export/following_accounts.csv")).text()).toBe(archive.text("following_accounts.csv"));
});

test("another member cannot download it, and after 7 days the link is gone", async () => {
  const row = await camp.db.selectFrom("exports").select(["id", "file_name"]).where("account_id", "=", aliceId).executeTakeFirstOrThrow();
  const bob = await camp.loggedIn("bob");
  expect((await bob.get(`/settings/export/${row.id}/download`)).status).toBe(404);
  await camp.db.updateTable("exports").set({ expires_at: Date.now() - 1 }).where("id", "=", row.id).execute();
  const alice = await camp.loggedIn("alice");
  const expired = await alice.get(`/settings/export/${row.id}/download`);
  expect(expired.status).toBe(410);
  expect(await expired.text()).toContain("expired");
  expect(() => readFileSync(join(camp.dataDir, "exports", row.file_name!))).toThrow();
});
