/**
 * Mastodon's payloads (test/fixtures/mastodon, from Mastodon's documentation) go through the real
 * inbox, signed, and are understood: the actor, a Create with a mention, a hashtag, an attachment
 * and a content warning, an Announce, a Delete with a Tombstone, and the documentation's Block and Flag.
 */
import { afterAll, beforeAll, expect, test, setDefaultTimeout } from "bun:test";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createPost } from "../src/domain/posts/create.ts";
import { upsertRemoteActor } from "../src/domain/remote/actors.ts";
import { signRequest } from "../src/federation/signatures.ts";
import { parseActor } from "../src/federation/vocab/parseActor.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";

// Key generation and round trips between two servers take a few seconds on a busy machine.
setDefaultTimeout(30_000);

let camp: TestCamp;
let aliceId: number;
let malloryId: number;
let firstPost: number;
const keys = new Map<string, KeyObject>();

const fixture = (name: string, replace: [string, string][] = []) => {
  let text = readFileSync(join(import.meta.dir, "fixtures", "mastodon", name), "utf8");
  for (const [from, to] of replace) text = text.replaceAll(from, to);
  return text;
};

/** Stores the actor with a key we hold (nobody holds the documentation key's private half). */
async function storeActor(doc: Record<string, unknown>): Promise<number> {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const actor = parseActor(doc)!;
  keys.set(actor.publicKeyId!, privateKey);
  return upsertRemoteActor(camp.db, { ...actor, publicKeyPem: publicKey.export({ type: "spki", format: "pem" }) as string });
}

function deliver(body: string, keyId: string) {
  const url = "https://camp.example/users/alice/inbox";
  const headers = signRequest({ method: "POST", url, body, keyId, privateKey: keys.get(keyId)! });
  return camp.app.request(url, { method: "POST", body, headers: { "content-type": "application/activity+json", ...headers } });
}

beforeAll(async () => {
  camp = await testCamp({ domain: "camp.example" });
  aliceId = await camp.addMember("alice");
  malloryId = await camp.addMember("mallory");
  firstPost = await createPost(camp.db, { mediaDir: camp.config.mediaDir, domain: camp.config.domain }, aliceId, { source: "The first post", contentWarning: "", audience: "public" });
});
afterAll(() => camp.close());

test("the actor document is understood, its bio sanitized", async () => {
  const actor = parseActor(JSON.parse(fixture("actor.json")))!;
  expect(actor).toMatchObject({
    uri: "https://mastodon.social/users/Gargron", kind: "Person", handle: "Gargron", domain: "mastodon.social", displayName: "Eugen Rochko",
    inbox: "https://mastodon.social/users/Gargron/inbox", sharedInbox: "https://mastodon.social/inbox", followers: "https://mastodon.social/users/Gargron/followers",
    publicKeyId: "https://mastodon.social/users/Gargron#main-key", url: "https://mastodon.social/@Gargron", locked: false,
    avatarUrl: "https://files.mastodon.social/accounts/avatars/000/000/001/original/avatar.png",
  });
  expect(actor.publicKeyPem).toContain("BEGIN PUBLIC KEY");
  const id = await storeActor(JSON.parse(fixture("actor.json")));
  const row = await camp.db.selectFrom("accounts").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  expect(row.bio_html).toContain("Founder, CEO");
  expect(row.bio_html).not.toContain("<script");
});

test("a Create with a mention, a hashtag, an attachment and a content warning becomes a post", async () => {
  expect((await deliver(fixture("create_note.json"), "https://mastodon.social/users/Gargron#main-key")).status).toBe(202);
  const post = await camp.db.selectFrom("posts").selectAll().where("uri", "=", "https://mastodon.social/users/Gargron/statuses/109000000000000001").executeTakeFirstOrThrow();
  expect(post.audience).toBe("public");
  expect(post.content_warning).toBe("cats");
  expect(post.language).toBe("en");
  expect(post.url).toBe("https://mastodon.social/@Gargron/109000000000000001");
  expect(post.html).toContain("I love");
  expect(post.html).not.toContain("onerror");
  expect(post.html).not.toContain("<img");
  const mentions = await camp.db.selectFrom("mentions").select("account_id").where("post_id", "=", post.id).execute();
  expect(mentions.map((m) => m.account_id)).toEqual([aliceId]);
  const tags = await camp.db.selectFrom("post_tags").select("tag").where("post_id", "=", post.id).execute();
  expect(tags.map((t) => t.tag)).toEqual(["cats"]);
  const media = await camp.db.selectFrom("media").selectAll().where("post_id", "=", post.id).execute();
  expect(media.map((m) => [m.remote_url, m.mime, m.alt, m.width, m.height])).toEqual([["https://example.com/files/cats.png", "image/png", "A cat asleep on a keyboard", 1200, 800]]);
  const notified = await camp.db.selectFrom("notifications").select(["kind", "post_id"]).where("recipient_id", "=", aliceId).execute();
  expect(notified).toContainEqual({ kind: "mention", post_id: post.id });
  // Delivered twice (a retry), it changes nothing.
  expect((await deliver(fixture("create_note.json"), "https://mastodon.social/users/Gargron#main-key")).status).toBe(202);
  expect((await camp.db.selectFrom("posts").select("id").where("author_id", "=", post.author_id).execute()).length).toBe(1);
});

test("an Announce of a member's post becomes a boost, and the member is told", async () => {
  expect(firstPost).toBe(1);
  expect((await deliver(fixture("announce.json"), "https://mastodon.social/users/Gargron#main-key")).status).toBe(202);
  const boost = await camp.db.selectFrom("posts").selectAll().where("uri", "=", "https://mastodon.social/users/Gargron/statuses/109000000000000002/activity").executeTakeFirstOrThrow();
  expect(boost.boost_of_id).toBe(firstPost);
  expect(boost.audience).toBe("public");
  const notified = await camp.db.selectFrom("notifications").select(["kind", "post_id"]).where("recipient_id", "=", aliceId).execute();
  expect(notified).toContainEqual({ kind: "boost", post_id: firstPost });
});

test("a Delete with a Tombstone deletes the post", async () => {
  expect((await deliver(fixture("delete_tombstone.json"), "https://mastodon.social/users/Gargron#main-key")).status).toBe(202);
  const post = await camp.db.selectFrom("posts").select("deleted_at").where("uri", "=", "https://mastodon.social/users/Gargron/statuses/109000000000000001").executeTakeFirstOrThrow();
  expect(post.deleted_at).not.toBeNull();
});

test("the documentation's Block and Flag (aimed at this camp) become a block and a report", async () => {
  // The documentation's example.com is this camp here; its "~mallory" and "users/1" are our member mallory.
  const here: [string, string][] = [["https://example.com/~mallory", "https://camp.example/users/mallory"], ["https://example.com/users/1", "https://camp.example/users/mallory"],
    ["https://example.com/posts/380590", `https://camp.example/posts/${firstPost}`], ["https://example.com/posts/380591", "https://camp.example/posts/999"]];
  const base = { kind: "Person", domain: "mastodon.example", displayName: "", bioHtml: "", url: null, sharedInbox: null, followers: null, avatarUrl: null, locked: false };
  for (const [uri, handle] of [["https://mastodon.example/users/alice", "alice"], ["https://mastodon.example/actor", "mastodon.example"]] as const) {
    await storeActor({ id: uri, type: uri.endsWith("/actor") ? "Application" : "Person", preferredUsername: handle, inbox: `${uri}/inbox`, publicKey: { id: `${uri}#main-key`, owner: uri, publicKeyPem: "" }, ...base });
  }
  expect((await deliver(fixture("block.json", here), "https://mastodon.example/users/alice#main-key")).status).toBe(202);
  const block = await camp.db.selectFrom("blocks").innerJoin("accounts", "accounts.id", "blocks.account_id").select(["accounts.uri", "blocks.target_id"]).executeTakeFirstOrThrow();
  expect(block).toEqual({ uri: "https://mastodon.example/users/alice", target_id: malloryId });
  expect((await deliver(fixture("flag.json", here), "https://mastodon.example/actor#main-key")).status).toBe(202);
  const report = await camp.db.selectFrom("reports").selectAll().executeTakeFirstOrThrow();
  expect(report.target_id).toBe(malloryId);
  expect(JSON.parse(report.post_ids)).toEqual([firstPost]);
  expect(report.comment).toBe("Please take a look at this user and their posts");
});
