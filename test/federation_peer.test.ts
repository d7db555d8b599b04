/**
 * Kith against a real ActivityPub server nobody here wrote (Fedify 2.3.6 on loopback), with
 * signatures verified on both sides: discovery, follows both ways, posts by audience, the
 * camp-only gate, replies, Update and Delete both ways, and forged or stale signatures refused.
 */
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { KeyObject } from "node:crypto";
import { signRequest as fedifySign } from "@fedify/fedify";
import { Accept, Create, Delete, Follow, Mention, Note, Person, PUBLIC_COLLECTION, Tombstone, Update } from "@fedify/vocab";
import { createPost } from "../src/domain/posts/create.ts";
import { editPost } from "../src/domain/posts/edit.ts";
import { deletePost } from "../src/domain/posts/delete.ts";
import { likePost, unlikePost } from "../src/domain/posts/likes.ts";
import { boostPost } from "../src/domain/posts/boost.ts";
import { signRequest } from "../src/federation/signatures.ts";
import { unreachedMentions, unreachedWarning } from "../src/domain/remote/reach.ts";
import { federatedCamp, type FederatedCamp } from "./support/federation.ts";
import { startFedifyPeer, type FedifyPeer } from "./support/fedifyPeer.ts";

// Key generation and round trips between two servers take a few seconds on a busy machine.
setDefaultTimeout(30_000);

let camp: FederatedCamp;
let peer: FedifyPeer;
let aliceId: number;
let alice: Person;
let place: { mediaDir: string; domain: string };

const postUri = (id: number) => `${camp.config.origin}/posts/${id}`;
const mentions = (uri: string) => peer.received.filter((a) => JSON.stringify(a.json).includes(uri));
const write = (source: string, audience: string) => createPost(camp.db, place, aliceId, { source, contentWarning: "", audience });
const edit = (id: number, source: string, audience: string) => editPost(camp.db, place, aliceId, id, { source, contentWarning: "", audience, confirmWiden: false });

beforeAll(async () => {
  peer = await startFedifyPeer();
  camp = await federatedCamp();
  aliceId = await camp.addMember("alice");
  place = { mediaDir: camp.config.mediaDir, domain: camp.config.domain };
});
afterAll(async () => {
  await camp.close();
  await peer.close();
});

describe("in order, like two people meeting across servers", () => {
  test("the peer finds the member by WebFinger, follows her and gets an Accept", async () => {
    const found = await peer.lookup(`@alice@${camp.config.domain}`);
    expect(found).toBeInstanceOf(Person);
    alice = found as Person;
    expect(alice.id?.href).toBe(`${camp.config.origin}/users/alice`);
    await peer.send("pat", alice, new Follow({ id: new URL(`${peer.origin}/follows/pat-alice`), actor: new URL(peer.actorUri("pat")), object: alice.id }));
    await camp.settle();
    const accept = await peer.waitFor((a) => a.type === "Accept", "an Accept of the follow");
    expect(JSON.stringify(accept.json)).toContain(`${peer.origin}/follows/pat-alice`);
    const follow = await camp.db.selectFrom("follows").innerJoin("accounts", "accounts.id", "follows.follower_id")
      .select(["follows.state", "accounts.uri"]).where("follows.followee_id", "=", aliceId).executeTakeFirstOrThrow();
    expect(follow).toEqual({ state: "accepted", uri: peer.actorUri("pat") });
  });

  test("public and followers-only posts reach the follower, addressed as Mastodon would", async () => {
    const publicId = await write("Hello, fediverse!", "public");
    const followersId = await write("Only for my followers", "followers");
    await camp.settle();
    const pub = await peer.waitFor((a) => a.type === "Create" && JSON.stringify(a.json).includes(postUri(publicId)), "the public post");
    const priv = await peer.waitFor((a) => a.type === "Create" && JSON.stringify(a.json).includes(postUri(followersId)), "the followers-only post");
    expect(JSON.stringify(pub.json)).toContain("Hello, fediverse!");
    expect(JSON.stringify(pub.json)).toContain("as:Public");
    expect(JSON.stringify(priv.json)).toContain(`${camp.config.origin}/users/alice/followers`);
    expect(JSON.stringify(priv.json)).not.toContain("Public");
  });

  test("a camp-only post, its edit and its deletion never leave, and its URL is 404 to the peer", async () => {
    const campId = await write("Just for the camp", "camp");
    await edit(campId, "Just for the camp, edited", "camp");
    await camp.settle();
    const looked = await peer.lookup(postUri(campId));
    await deletePost(camp.db, aliceId, campId);
    // A public post after it: once that arrives, every earlier event has been handled.
    const markerId = await write("After the camp post", "public");
    await camp.settle();
    await peer.waitFor((a) => JSON.stringify(a.json).includes(postUri(markerId)), "the later public post");
    expect(mentions(postUri(campId))).toEqual([]);
    expect(looked).toBeNull();
    const unsigned = await fetch(postUri(campId), { headers: { accept: "application/activity+json" } });
    expect(unsigned.status).toBe(404);
    const { rsa } = await peer.keys("pat");
    const signed = await fetch(await fedifySign(new Request(postUri(campId), { headers: { accept: "application/activity+json" } }), rsa.privateKey, new URL(`${peer.actorUri("pat")}#main-key`)));
    expect(signed.status).toBe(404);
    const browser = await fetch(postUri(campId), { headers: { accept: "text/html" } });
    expect(browser.status).toBe(404);
  });

  test("the peer's reply appears in the member's thread", async () => {
    const postId = await write("Anyone out there?", "public");
    await camp.settle();
    const reply = new Note({
      id: new URL(`${peer.origin}/notes/reply-1`), attribution: new URL(peer.actorUri("pat")), content: "<p>Yes, hello from Fedify!</p>",
      replyTarget: new URL(postUri(postId)), to: PUBLIC_COLLECTION, cc: alice.id,
      tags: [new Mention({ href: alice.id, name: `@alice@${camp.config.domain}` })],
    });
    await peer.send("pat", alice, new Create({ id: new URL(`${peer.origin}/notes/reply-1/activity`), actor: new URL(peer.actorUri("pat")), object: reply, to: PUBLIC_COLLECTION, cc: alice.id }));
    const stored = await camp.db.selectFrom("posts").select(["id", "in_reply_to_id", "html"]).where("uri", "=", `${peer.origin}/notes/reply-1`).executeTakeFirstOrThrow();
    expect(stored.in_reply_to_id).toBe(postId);
    const page = await (await (await camp.loggedIn("alice")).get(`/posts/${postId}`)).text();
    expect(page).toContain("Yes, hello from Fedify!");
  });

  test("the member follows the peer's actor and sees its posts in Home, recent ones fetched on acceptance", async () => {
    const older = new Note({ id: new URL(`${peer.origin}/notes/older-1`), attribution: new URL(peer.actorUri("pat")), content: "<p>Older news from before</p>", to: PUBLIC_COLLECTION });
    peer.outboxes.set("pat", [new Create({ id: new URL(`${peer.origin}/notes/older-1/activity`), actor: new URL(peer.actorUri("pat")), object: older, to: PUBLIC_COLLECTION })]);
    const client = await camp.loggedIn("alice");
    const lookup = await client.post("/remote", { query: `@pat@${new URL(peer.origin).host}` });
    expect(lookup.status).toBe(303);
    const profilePath = lookup.headers.get("location")!;
    const profile = await client.get(profilePath);
    expect(await profile.text()).toContain("Follow");
    const followed = await client.post(`${profilePath}/follow`);
    expect(followed.status).toBe(303);
    expect(await (await client.get(profilePath)).text()).toContain("Requested");
    await camp.settle();
    const follow = await peer.waitFor((a) => a.type === "Follow" && JSON.stringify(a.json).includes(`${camp.config.origin}/users/alice`), "alice's Follow");
    await peer.send("pat", alice, new Accept({ id: new URL(`${peer.origin}/accepts/1`), actor: new URL(peer.actorUri("pat")), object: new URL(follow.id!) }));
    expect(await (await client.get(profilePath)).text()).toContain("Unfollow");
    await camp.settle();
    expect(await (await client.get("/")).text()).toContain("Older news from before");
    const note = new Note({ id: new URL(`${peer.origin}/notes/news-1`), attribution: new URL(peer.actorUri("pat")), content: "<p>News from the peer</p>", to: PUBLIC_COLLECTION, cc: new URL(`${peer.actorUri("pat")}/followers`) });
    await peer.send("pat", alice, new Create({ id: new URL(`${peer.origin}/notes/news-1/activity`), actor: new URL(peer.actorUri("pat")), object: note, to: PUBLIC_COLLECTION }));
    const home = await (await client.get("/")).text();
    expect(home).toContain("News from the peer");
    // The author's name leads to their page here, where the follow button is.
    expect(home).toContain(`href="${profilePath}"`);
  });

  test("the member likes, boosts and replies to the peer's post; the peer's author hears of each", async () => {
    const remote = await camp.db.selectFrom("posts").select("id").where("uri", "=", `${peer.origin}/notes/news-1`).executeTakeFirstOrThrow();
    await likePost(camp.db, aliceId, remote.id);
    await boostPost(camp.db, aliceId, remote.id);
    const replyId = await createPost(camp.db, place, aliceId, { source: "Good news!", contentWarning: "", audience: "public", inReplyToId: remote.id });
    await camp.settle();
    const like = await peer.waitFor((a) => a.type === "Like", "the Like");
    expect(JSON.stringify(like.json)).toContain(`${peer.origin}/notes/news-1`);
    await peer.waitFor((a) => a.type === "Announce" && JSON.stringify(a.json).includes(`${peer.origin}/notes/news-1`), "the Announce");
    const reply = await peer.waitFor((a) => a.type === "Create" && JSON.stringify(a.json).includes(postUri(replyId)), "the reply");
    expect(JSON.stringify(reply.json)).toContain(`${peer.origin}/notes/news-1`);
    await unlikePost(camp.db, aliceId, remote.id);
    await camp.settle();
    await peer.waitFor((a) => a.type === "Undo" && JSON.stringify(a.json).includes(like.id!), "the Undo of the Like");
  });

  test("a mention of someone not known yet is looked up by WebFinger and delivered to them; a camp-only one is not, and warns", async () => {
    const host = new URL(peer.origin).host;
    const postId = await write(`Hello @quinn@${host}, welcome`, "public");
    await camp.settle();
    const created = await peer.waitFor((a) => a.type === "Create" && JSON.stringify(a.json).includes(postUri(postId)), "the mention");
    expect(JSON.stringify(created.json)).toContain(peer.actorUri("quinn"));
    const mentioned = await camp.db.selectFrom("mentions").innerJoin("accounts", "accounts.id", "mentions.account_id").select("accounts.uri").where("mentions.post_id", "=", postId).execute();
    expect(mentioned.map((m) => m.uri)).toEqual([peer.actorUri("quinn")]);

    const client = await camp.loggedIn("alice");
    const posted = await client.post("/posts", { source: `Psst @rita@${host}`, contentWarning: "", audience: "camp" });
    expect(posted.status).toBe(303);
    const campId = Number(/\/posts\/(\d+)$/.exec(posted.headers.get("location") ?? "")?.[1]);
    expect(await (await client.get(`/posts/${campId}`)).text()).toContain(`@rita@${host} will not see it`);
    await camp.settle();
    expect(await camp.db.selectFrom("accounts").select("id").where("uri", "=", peer.actorUri("rita")).executeTakeFirst()).toBeUndefined();
    const names = await unreachedMentions(camp.db, campId);
    expect(names).toEqual([`@rita@${host}`]);
    expect(unreachedWarning(names)).toContain("will not see it");
    expect(await unreachedMentions(camp.db, postId)).toEqual([]);
  });

  test("Update and Delete propagate from Kith to the peer", async () => {
    const postId = await write("First version", "public");
    await camp.settle();
    await peer.waitFor((a) => a.type === "Create" && JSON.stringify(a.json).includes(postUri(postId)), "the Create");
    await edit(postId, "Second version", "public");
    await camp.settle();
    const update = await peer.waitFor((a) => a.type === "Update" && JSON.stringify(a.json).includes(postUri(postId)), "the Update");
    expect(JSON.stringify(update.json)).toContain("Second version");
    await deletePost(camp.db, aliceId, postId);
    await camp.settle();
    await peer.waitFor((a) => a.type === "Delete" && JSON.stringify(a.json).includes(postUri(postId)), "the Delete");
  });

  test("Update and Delete propagate from the peer to Kith", async () => {
    const uri = `${peer.origin}/notes/news-1`;
    const edited = new Note({ id: new URL(uri), attribution: new URL(peer.actorUri("pat")), content: "<p>News, corrected</p>", to: PUBLIC_COLLECTION, updated: Temporal.Now.instant() });
    await peer.send("pat", alice, new Update({ id: new URL(`${uri}#update-1`), actor: new URL(peer.actorUri("pat")), object: edited, to: PUBLIC_COLLECTION }));
    const row = await camp.db.selectFrom("posts").select(["html", "edited_at", "deleted_at"]).where("uri", "=", uri).executeTakeFirstOrThrow();
    expect(row.html).toContain("News, corrected");
    expect(row.edited_at).not.toBeNull();
    await peer.send("pat", alice, new Delete({ id: new URL(`${uri}#delete`), actor: new URL(peer.actorUri("pat")), object: new Tombstone({ id: new URL(uri) }), to: PUBLIC_COLLECTION }));
    const gone = await camp.db.selectFrom("posts").select("deleted_at").where("uri", "=", uri).executeTakeFirstOrThrow();
    expect(gone.deleted_at).not.toBeNull();
  });
});

describe("signatures that must not pass", () => {
  const inbox = () => `${camp.config.origin}/users/alice/inbox`;
  const likeOf = (id: string, actor: string, postId: number) => JSON.stringify({ "@context": "https://www.w3.org/ns/activitystreams", id, type: "Like", actor, object: postUri(postId) });
  const likes = async () => (await camp.db.selectFrom("likes").select("id").execute()).length;
  const patKey = async () => KeyObject.from((await peer.keys("pat")).rsa.privateKey);

  test("a Like signed by Fedify (draft-cavage and RFC 9421) is accepted, so the refusals below are about the signature", async () => {
    const postId = await write("Like me", "public");
    for (const spec of ["draft-cavage-http-signatures-12", "rfc9421"] as const) {
      const body = likeOf(`${peer.origin}/likes/${spec}`, peer.actorUri("pat"), postId);
      const request = await fedifySign(new Request(inbox(), { method: "POST", body, headers: { "content-type": "application/activity+json" } }),
        (await peer.keys("pat")).rsa.privateKey, new URL(`${peer.actorUri("pat")}#main-key`), { spec });
      expect((await fetch(request)).status).toBe(202);
    }
    expect(await likes()).toBe(1);
  });

  test("the peer checks Kith's signatures too: a delivery signed with another key is refused", async () => {
    const body = JSON.stringify({ "@context": "https://www.w3.org/ns/activitystreams", id: `${camp.config.origin}/posts/forged/activity`, type: "Create", actor: `${camp.config.origin}/users/alice`,
      object: { id: `${camp.config.origin}/posts/forged`, type: "Note", attributedTo: `${camp.config.origin}/users/alice`, content: "forged", to: "https://www.w3.org/ns/activitystreams#Public" } });
    const url = `${peer.actorUri("pat")}/inbox`;
    const headers = signRequest({ method: "POST", url, body, keyId: `${camp.config.origin}/users/alice#main-key`, privateKey: await patKey() });
    const response = await fetch(url, { method: "POST", body, headers: { "content-type": "application/activity+json", ...headers } });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(peer.received.some((a) => a.id === `${camp.config.origin}/posts/forged/activity`)).toBe(false);
  });

  test("a forged signature, a stale Date and a key of another actor are refused with 401, logged, nothing stored", async () => {
    const postId = await write("Do not like me", "public");
    const before = await likes();
    const keyId = `${peer.actorUri("pat")}#main-key`;
    const post = (headers: Record<string, string>, body: string) => fetch(inbox(), { method: "POST", body, headers: { "content-type": "application/activity+json", ...headers } });

    const body = likeOf(`${peer.origin}/likes/forged`, peer.actorUri("pat"), postId);
    const good = signRequest({ method: "POST", url: inbox(), body, keyId, privateKey: await patKey() });
    const forged = { ...good, signature: good.signature!.replace(/signature="(.)/, (_m, c) => `signature="${c === "A" ? "B" : "A"}`) };
    expect((await post(forged, body)).status).toBe(401);

    const tampered = likeOf(`${peer.origin}/likes/tampered`, peer.actorUri("pat"), postId);
    expect((await post(good, tampered)).status).toBe(401);

    const staleBody = likeOf(`${peer.origin}/likes/stale`, peer.actorUri("pat"), postId);
    const stale = signRequest({ method: "POST", url: inbox(), body: staleBody, keyId, privateKey: await patKey(), date: new Date(Date.now() - 3 * 3600e3) });
    expect((await post(stale, staleBody)).status).toBe(401);

    await peer.lookup(peer.actorUri("quinn"));
    const otherBody = likeOf(`${peer.origin}/likes/other`, peer.actorUri("quinn"), postId);
    const other = signRequest({ method: "POST", url: inbox(), body: otherBody, keyId, privateKey: await patKey() });
    expect((await post(other, otherBody)).status).toBe(401);

    expect(await likes()).toBe(before);
    expect(camp.logs.filter((l) => l.includes("inbox refused")).length).toBeGreaterThanOrEqual(4);
  });
});
