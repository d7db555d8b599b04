/**
 * The inbox, activity by activity, against the Fedify peer: follow requests held for members who
 * approve followers (approved and declined from the page), Reject and Undo of follows, likes and
 * boosts taken back, profile updates, an actor deleting itself, other object types shown as a link,
 * unknown activity types ignored, and a rotated key fetched again.
 */
import { afterAll, beforeAll, expect, test, setDefaultTimeout } from "bun:test";
import { Announce, Article, Block, Create, Delete, Follow, Like, Listen, Mention, Note, Person, PUBLIC_COLLECTION, Reject, Undo, Update } from "@fedify/vocab";
import { createPost } from "../src/domain/posts/create.ts";
import { follow } from "../src/domain/follows/follow.ts";
import { resolveActor } from "../src/federation/fetchRemote.ts";
import { flushSeen } from "../src/federation/inbox/seen.ts";
import { federatedCamp, type FederatedCamp } from "./support/federation.ts";
import { startFedifyPeer, type FedifyPeer } from "./support/fedifyPeer.ts";

// Key generation and round trips between two servers take a few seconds on a busy machine.
setDefaultTimeout(30_000);

let camp: FederatedCamp;
let peer: FedifyPeer;
let alice: Person;
let aliceId: number;
let postId: number;
const actor = (name: string) => new URL(peer.actorUri(name));
const accountOf = async (name: string) => camp.db.selectFrom("accounts").selectAll().where("uri", "=", peer.actorUri(name)).executeTakeFirstOrThrow();
const deps = () => ({ db: camp.db, config: camp.config, log: { debug() {}, info() {}, warn() {}, error() {} } });

beforeAll(async () => {
  peer = await startFedifyPeer();
  camp = await federatedCamp();
  aliceId = await camp.addMember("alice");
  postId = await createPost(camp.db, { mediaDir: camp.config.mediaDir, domain: camp.config.domain }, aliceId, { source: "Hello", contentWarning: "", audience: "public" });
  alice = (await peer.lookup(`${camp.config.origin}/users/alice`)) as Person;
  await camp.settle();
});
afterAll(async () => {
  await camp.close();
  await peer.close();
});

test("a member who approves followers holds follows; approving sends Accept, declining sends Reject", async () => {
  const client = await camp.loggedIn("alice");
  expect((await client.post("/follow-requests/settings", { approves: "1" })).status).toBe(303);
  await peer.send("pat", alice, new Follow({ id: new URL(`${peer.origin}/follows/held-pat`), actor: actor("pat"), object: alice.id }));
  await peer.send("quinn", alice, new Follow({ id: new URL(`${peer.origin}/follows/held-quinn`), actor: actor("quinn"), object: alice.id }));
  await camp.settle();
  expect(peer.received.filter((a) => a.type === "Accept")).toEqual([]);
  const page = await (await client.get("/follow-requests")).text();
  expect(page).toContain(`@pat@${new URL(peer.origin).host}`);
  const pat = await accountOf("pat");
  const quinn = await accountOf("quinn");
  expect((await client.post(`/follow-requests/${pat.id}/approve`)).status).toBe(303);
  expect((await client.post(`/follow-requests/${quinn.id}/decline`)).status).toBe(303);
  await camp.settle();
  const accept = await peer.waitFor((a) => a.type === "Accept", "the Accept");
  expect(JSON.stringify(accept.json)).toContain(`${peer.origin}/follows/held-pat`);
  const reject = await peer.waitFor((a) => a.type === "Reject", "the Reject");
  expect(JSON.stringify(reject.json)).toContain(`${peer.origin}/follows/held-quinn`);
  const follows = await camp.db.selectFrom("follows").select(["follower_id", "state"]).where("followee_id", "=", aliceId).execute();
  expect(follows).toEqual([{ follower_id: pat.id, state: "accepted" }]);
  // Turning approval off tells followers' servers with Update(Person).
  expect((await client.post("/follow-requests/settings", {})).status).toBe(303);
  await camp.settle();
  const update = await peer.waitFor((a) => a.type === "Update", "the Update of the profile");
  expect(JSON.stringify(update.json)).toContain(`${camp.config.origin}/users/alice`);
  // So does a new display name or bio.
  expect((await client.post("/settings/profile", { displayName: "Alice in the Camp", bio: "Hello *there*" })).status).toBe(303);
  await camp.settle();
  const renamed = await peer.waitFor((a) => a.type === "Update" && JSON.stringify(a.json).includes("Alice in the Camp"), "the Update with the new name");
  expect(JSON.stringify(renamed.json)).toContain("<em>there</em>");
});

test("Undo(Follow) ends a follow, and Reject of a member's request ends it too", async () => {
  await peer.send("pat", alice, new Undo({ id: new URL(`${peer.origin}/follows/held-pat#undo`), actor: actor("pat"), object: new Follow({ id: new URL(`${peer.origin}/follows/held-pat`), actor: actor("pat"), object: alice.id }) }));
  expect(await camp.db.selectFrom("follows").selectAll().where("followee_id", "=", aliceId).execute()).toEqual([]);

  const rita = await resolveActor(deps(), peer.actorUri("rita"));
  await follow(camp.db, aliceId, rita);
  await camp.settle();
  const sent = await peer.waitFor((a) => a.type === "Follow" && JSON.stringify(a.json).includes(peer.actorUri("rita")), "alice's Follow");
  await peer.send("rita", alice, new Reject({ id: new URL(`${peer.origin}/rejects/1`), actor: actor("rita"), object: new URL(sent.id!) }));
  expect(await camp.db.selectFrom("follows").selectAll().where("follower_id", "=", aliceId).execute()).toEqual([]);
});

test("likes and boosts from outside are counted, and taken back by Undo", async () => {
  const post = new URL(`${camp.config.origin}/posts/${postId}`);
  const like = new Like({ id: new URL(`${peer.origin}/likes/1`), actor: actor("pat"), object: post });
  await peer.send("pat", alice, like);
  expect((await camp.db.selectFrom("likes").selectAll().where("post_id", "=", postId).execute()).length).toBe(1);
  await peer.send("pat", alice, new Undo({ id: new URL(`${peer.origin}/likes/1#undo`), actor: actor("pat"), object: like }));
  expect(await camp.db.selectFrom("likes").selectAll().where("post_id", "=", postId).execute()).toEqual([]);
  // The same Like delivered again (a retry that crossed the Undo) is recognised by its id and changes nothing.
  await peer.send("pat", alice, like);
  expect(await camp.db.selectFrom("likes").selectAll().where("post_id", "=", postId).execute()).toEqual([]);

  const boost = new Announce({ id: new URL(`${peer.origin}/boosts/1`), actor: actor("pat"), object: post, to: PUBLIC_COLLECTION });
  await peer.send("pat", alice, boost);
  const boosts = () => camp.db.selectFrom("posts").select("id").where("boost_of_id", "=", postId).where("deleted_at", "is", null).execute();
  expect((await boosts()).length).toBe(1);
  await peer.send("pat", alice, new Undo({ id: new URL(`${peer.origin}/boosts/1#undo`), actor: actor("pat"), object: boost }));
  expect(await boosts()).toEqual([]);
});

test("a boost of a post we never saw, by someone a member follows, fetches that post from its server", async () => {
  const pat = await accountOf("pat");
  await camp.db.insertInto("follows").values({ follower_id: aliceId, followee_id: pat.id, state: "accepted", created_at: Date.now() }).execute();
  const original = new Note({ id: new URL(`${peer.origin}/notes/q1`), attribution: actor("quinn"), content: "<p>Quinn's thought</p>", to: PUBLIC_COLLECTION });
  peer.notes.set("q1", original);
  await peer.send("pat", alice, new Announce({ id: new URL(`${peer.origin}/boosts/q1`), actor: actor("pat"), object: original.id, to: PUBLIC_COLLECTION }));
  const fetched = await camp.db.selectFrom("posts").innerJoin("accounts", "accounts.id", "posts.author_id").select(["posts.id", "posts.html", "accounts.uri"])
    .where("posts.uri", "=", `${peer.origin}/notes/q1`).executeTakeFirstOrThrow();
  expect(fetched.uri).toBe(peer.actorUri("quinn"));
  expect(fetched.html).toContain("Quinn's thought");
  const boost = await camp.db.selectFrom("posts").select("boost_of_id").where("uri", "=", `${peer.origin}/boosts/q1`).executeTakeFirstOrThrow();
  expect(boost.boost_of_id).toBe(fetched.id);
  await camp.db.deleteFrom("follows").where("follower_id", "=", aliceId).execute();
});

test("a Block from outside is recorded, and its Undo (by id alone) lifts it", async () => {
  await peer.send("quinn", alice, new Block({ id: new URL(`${peer.origin}/blocks/q-alice`), actor: actor("quinn"), object: alice.id }));
  const quinn = await accountOf("quinn");
  expect(await camp.db.selectFrom("blocks").select("target_id").where("account_id", "=", quinn.id).execute()).toEqual([{ target_id: aliceId }]);
  await peer.send("quinn", alice, new Undo({ id: new URL(`${peer.origin}/blocks/q-alice#undo`), actor: actor("quinn"), object: new URL(`${peer.origin}/blocks/q-alice`) }));
  expect(await camp.db.selectFrom("blocks").select("target_id").where("account_id", "=", quinn.id).execute()).toEqual([]);
});

test("Update(Person) refreshes the stored profile; another actor's Update of it is refused", async () => {
  const renamed = new Person({ id: actor("pat"), preferredUsername: "pat", name: "Pat Renamed", inbox: new URL(`${peer.actorUri("pat")}/inbox`) });
  await peer.send("pat", alice, new Update({ id: new URL(`${peer.origin}/updates/pat-1`), actor: actor("pat"), object: renamed }));
  expect((await accountOf("pat")).display_name).toBe("Pat Renamed");
  await expect(peer.send("quinn", alice, new Update({ id: new URL(`${peer.origin}/updates/pat-2`), actor: actor("quinn"), object: new Person({ id: actor("pat"), name: "Hijacked", inbox: new URL(`${peer.actorUri("pat")}/inbox`) }) }))).rejects.toThrow();
  expect((await accountOf("pat")).display_name).toBe("Pat Renamed");
});

test("an Article is kept as a link to the original; an unknown activity type is accepted and ignored", async () => {
  await peer.send("pat", alice, new Create({
    id: new URL(`${peer.origin}/articles/1/activity`), actor: actor("pat"), to: PUBLIC_COLLECTION,
    object: new Article({ id: new URL(`${peer.origin}/articles/1`), attribution: actor("pat"), name: "A long read", content: "<p>Long text</p>", url: new URL(`${peer.origin}/articles/1`), to: PUBLIC_COLLECTION, cc: alice.id,
      tags: [new Mention({ href: alice.id, name: `@alice@${camp.config.domain}` })] }),
  }));
  const article = await camp.db.selectFrom("posts").select("html").where("uri", "=", `${peer.origin}/articles/1`).executeTakeFirstOrThrow();
  expect(article.html).toContain("A long read");
  expect(article.html).toContain(`href="${peer.origin}/articles/1"`);
  expect(article.html).not.toContain("Long text");

  await flushSeen(camp.db);
  const before = await camp.db.selectFrom("seen_activities").selectAll().execute();
  await peer.send("pat", alice, new Listen({ id: new URL(`${peer.origin}/listens/1`), actor: actor("pat"), object: new URL(`${peer.origin}/songs/1`) }));
  await flushSeen(camp.db);
  expect(await camp.db.selectFrom("seen_activities").selectAll().execute()).toEqual(before);
  expect(camp.logs.some((l) => l.includes("activity type ignored") && l.includes("Listen"))).toBe(true);
});

test("a rotated key is fetched again once, and the activity is accepted", async () => {
  const stale = (await camp.db.selectFrom("accounts").select("public_key_pem").where("uri", "=", peer.actorUri("quinn")).executeTakeFirstOrThrow()).public_key_pem!;
  const other = (await camp.db.selectFrom("accounts").select("public_key_pem").where("uri", "=", peer.actorUri("pat")).executeTakeFirstOrThrow()).public_key_pem!;
  await camp.db.updateTable("accounts").set({ public_key_pem: other }).where("uri", "=", peer.actorUri("quinn")).execute();
  await peer.send("quinn", alice, new Like({ id: new URL(`${peer.origin}/likes/rotated`), actor: actor("quinn"), object: new URL(`${camp.config.origin}/posts/${postId}`) }));
  expect((await camp.db.selectFrom("likes").selectAll().where("uri", "=", `${peer.origin}/likes/rotated`).execute()).length).toBe(1);
  expect((await accountOf("quinn")).public_key_pem).toBe(stale);
});

test("an actor that deletes itself disappears with its posts and follows", async () => {
  await peer.send("rita", alice, new Create({
    id: new URL(`${peer.origin}/notes/rita-1/activity`), actor: actor("rita"), to: PUBLIC_COLLECTION,
    object: new Article({ id: new URL(`${peer.origin}/notes/rita-1`), attribution: actor("rita"), name: "Rita was here", to: PUBLIC_COLLECTION, tags: [new Mention({ href: alice.id, name: "@alice" })] }),
  }));
  expect(await camp.db.selectFrom("posts").select("id").where("uri", "=", `${peer.origin}/notes/rita-1`).executeTakeFirst()).toBeDefined();
  await peer.send("rita", alice, new Delete({ id: new URL(`${peer.actorUri("rita")}#delete`), actor: actor("rita"), object: actor("rita"), to: PUBLIC_COLLECTION }));
  const rita = await accountOf("rita");
  expect(rita.deleted_at).not.toBeNull();
  const post = await camp.db.selectFrom("posts").select("deleted_at").where("uri", "=", `${peer.origin}/notes/rita-1`).executeTakeFirstOrThrow();
  expect(post.deleted_at).not.toBeNull();
});
