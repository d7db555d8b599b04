/**
 * Deleting an account: the member confirms with their handle (or the operator deletes from Admin);
 * posts' content, media files, sessions and follows go; the handle stays reserved; `Delete` of the
 * actor reaches the Fedify peer that followed, signed by the actor, and nothing anywhere names a
 * camp-only post; afterwards the actor is 410 and its old key signs nothing that we accept.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Follow, Person } from "@fedify/vocab";
import { createPost } from "../src/domain/posts/create.ts";
import { likePost } from "../src/domain/posts/likes.ts";
import { bookmarkPost } from "../src/domain/bookmarks/bookmarks.ts";
import { createList } from "../src/domain/lists/lists.ts";
import { followTag } from "../src/domain/tags/follow.ts";
import { blockDomain } from "../src/domain/domainBlocks/domainBlocks.ts";
import { addWebhook } from "../src/domain/webhooks/hooks.ts";
import { acceptInvite, createInvite } from "../src/domain/members/invites.ts";
import { signerFor } from "../src/federation/localActors.ts";
import { signRequest } from "../src/federation/signatures.ts";
import { Refusal } from "../src/domain/errors.ts";
import { federatedCamp, type FederatedCamp } from "./support/federation.ts";
import { startFedifyPeer, type FedifyPeer } from "./support/fedifyPeer.ts";
import { solidPng } from "./support/png.ts";
import { PASSWORD } from "./support/camp.ts";

setDefaultTimeout(30_000);

let camp: FederatedCamp;
let peer: FedifyPeer;
let aliceId: number;
let bobId: number;

const postUri = (id: number) => `${camp.config.origin}/posts/${id}`;
const aliceUri = () => `${camp.config.origin}/users/alice`;

beforeAll(async () => {
  peer = await startFedifyPeer();
  camp = await federatedCamp();
  await camp.addMember("olive", "operator");
  aliceId = await camp.addMember("alice");
  bobId = await camp.addMember("bob");
  const alice = (await peer.lookup(`@alice@${camp.config.domain}`)) as Person;
  await peer.send("pat", alice, new Follow({ id: new URL(`${peer.origin}/follows/pat-alice`), actor: new URL(peer.actorUri("pat")), object: alice.id }));
  await camp.settle();
  await peer.waitFor((a) => a.type === "Accept", "the Accept of pat's follow");
});
afterAll(async () => {
  await camp.close();
  await peer.close();
});

test("a member deletes her account: content, files and sessions go, the peer gets Delete of the actor, never a camp-only post", async () => {
  const place = { mediaDir: camp.config.mediaDir, domain: camp.config.domain };
  const campOnly = await createPost(camp.db, place, aliceId, { source: "Only for the camp", contentWarning: "", audience: "camp", images: [{ bytes: solidPng(), alt: "a square" }] });
  const published = await createPost(camp.db, place, aliceId, { source: "Hello world", contentWarning: "", audience: "public", images: [{ bytes: solidPng(9, 9), alt: "another" }] });
  const bobsPost = await createPost(camp.db, place, bobId, { source: "Bob's camp post", contentWarning: "", audience: "camp" });
  await likePost(camp.db, aliceId, bobsPost);
  await camp.settle();
  await peer.waitFor((a) => a.type === "Create" && JSON.stringify(a.json).includes(postUri(published)), "the public post");
  const files = (await camp.db.selectFrom("media").select("storage_key").where("owner_id", "=", aliceId).execute()).map((m) => m.storage_key!);
  expect(files).toHaveLength(2);
  for (const key of files) expect(existsSync(join(camp.config.mediaDir, key))).toBe(true);

  const client = await camp.loggedIn("alice");
  const wrong = await client.post("/settings/delete", { confirm: "alicia" });
  expect(wrong.status).toBe(422);
  expect(await wrong.text()).toContain("Nothing was deleted");
  expect(await camp.db.selectFrom("posts").select("html").where("id", "=", campOnly).executeTakeFirstOrThrow()).toEqual({ html: expect.stringContaining("Only for the camp") });

  const done = await client.post("/settings/delete", { confirm: "@Alice" });
  expect(done.status).toBe(200);
  expect(await done.text()).toContain("Your account is deleted");
  // The session ended: the settings page asks to log in again, and the password no longer works.
  expect((await client.get("/settings")).status).toBe(303);
  expect((await camp.client().post("/login", { handle: "alice", password: PASSWORD })).status).not.toBe(303);

  for (const key of files) expect(existsSync(join(camp.config.mediaDir, key))).toBe(false);
  const posts = await camp.db.selectFrom("posts").select(["html", "source", "deleted_at"]).where("author_id", "=", aliceId).execute();
  expect(posts.length).toBe(2);
  for (const post of posts) expect(post).toEqual({ html: "", source: "", deleted_at: expect.any(Number) });
  expect(await camp.db.selectFrom("likes").selectAll().where("account_id", "=", aliceId).execute()).toEqual([]);
  expect(await camp.db.selectFrom("follows").selectAll().where((eb) => eb.or([eb("follower_id", "=", aliceId), eb("followee_id", "=", aliceId)])).execute()).toEqual([]);
  expect(await camp.db.selectFrom("media").selectAll().where("owner_id", "=", aliceId).execute()).toEqual([]);

  await camp.settle();
  const deleted = await peer.waitFor((a) => a.type === "Delete" && JSON.stringify(a.json).includes(aliceUri()), "Delete of the actor");
  expect(deleted.json.actor).toBe(aliceUri());
  expect(deleted.json.object).toBe(aliceUri());
  // Nothing the peer ever received names the camp-only post or Bob's camp post.
  for (const id of [campOnly, bobsPost]) expect(peer.received.filter((a) => JSON.stringify(a.json).includes(postUri(id)))).toEqual([]);
  const queued = await camp.db.selectFrom("jobs").select("payload").execute();
  for (const job of queued) expect(job.payload).not.toContain(postUri(campOnly));
});

test("the deleted actor answers 410, its handle cannot be taken again, and its key is forgotten once the Delete is out", async () => {
  const actor = await fetch(aliceUri(), { headers: { accept: "application/activity+json" } });
  expect(actor.status).toBe(410);
  const invite = await createInvite(camp.db, { note: "", days: 1, createdBy: null });
  for (const handle of ["alice", "ALICE"]) {
    const taking = acceptInvite(camp.db, invite.token, { handle, displayName: "Not Alice", password: PASSWORD });
    await expect(taking).rejects.toBeInstanceOf(Refusal);
  }
  const page = await (await camp.client().post(`/join/${invite.token}`, { handle: "alice", displayName: "x", password: PASSWORD })).text();
  expect(page).toContain("taken");

  // The old key still signs while its Delete is queued; once the deliveries are done it goes.
  const oldSigner = await signerFor(camp.db, camp.config, aliceId);
  await camp.db.updateTable("jobs").set({ run_at: 0 }).where("kind", "=", "forget_keys").execute();
  await camp.settle();
  expect(await camp.db.selectFrom("account_keys").selectAll().where("account_id", "=", aliceId).execute()).toEqual([]);
  await expect(signerFor(camp.db, camp.config, aliceId)).rejects.toThrow("deleted");

  const body = JSON.stringify({ id: `${aliceUri()}#late`, type: "Like", actor: aliceUri(), object: postUri(1) });
  const url = `${camp.config.origin}/inbox`;
  const signed = await fetch(url, { method: "POST", body, headers: { "content-type": "application/activity+json", ...signRequest({ method: "POST", url, body, keyId: oldSigner.keyId, privateKey: oldSigner.privateKey }) } });
  expect(signed.status).toBe(401);
  // Refused because the key's actor is gone, not for some other fault of the request.
  expect(camp.logs.find((l) => l.includes("inbox refused") && l.includes("is gone"))).toBeDefined();
});

test("the operator deletes a member from Admin after typing the handle; the operator's own account is refused", async () => {
  const operator = await camp.loggedIn("olive");
  expect(await (await operator.get(`/admin/members/${bobId}`)).text()).toContain(`/admin/members/${bobId}/delete`);
  const wrong = await operator.post(`/admin/members/${bobId}/delete`, { confirm: "rob" });
  expect(wrong.status).toBe(422);
  const done = await operator.post(`/admin/members/${bobId}/delete`, { confirm: "bob" });
  expect(done.status).toBe(200);
  expect(await done.text()).toContain("@bob&#39;s account is deleted");
  expect(await camp.db.selectFrom("members").selectAll().where("account_id", "=", bobId).execute()).toEqual([]);
  const oliveId = (await camp.db.selectFrom("accounts").select("id").where("handle", "=", "olive").executeTakeFirstOrThrow()).id;
  const self = await operator.post(`/admin/members/${oliveId}/delete`, { confirm: "olive" });
  expect(self.status).toBe(403);
  // A member who is not the operator cannot use the operator's form at all.
  const carolId = await camp.addMember("carol");
  const carol = await camp.loggedIn("carol");
  expect((await carol.post(`/admin/members/${carolId}/delete`, { confirm: "carol" })).status).toBe(403);
  expect(await camp.db.selectFrom("members").select("account_id").where("account_id", "=", carolId).execute()).toHaveLength(1);
});

test("the servers told are those that knew the account: follows, likes and mentions in posts that left, never a camp-only post's", async () => {
  const { testCamp } = await import("./support/camp.ts");
  const { deleteMemberAccount } = await import("../src/domain/leaving/deleteAccount.ts");
  const solo = await testCamp();
  try {
    const hana = await solo.addMember("hana");
    const remote = async (handle: string, domain: string) => (await solo.db.insertInto("accounts").values({
      handle, domain, uri: `https://${domain}/users/${handle}`, inbox_uri: `https://${domain}/inbox`, created_at: Date.now(),
    }).returning("id").executeTakeFirstOrThrow()).id;
    const inPublic = await remote("pub", "public.example");
    const inCampOnly = await remote("secret", "camponly.example");
    const place = { mediaDir: solo.config.mediaDir, domain: solo.config.domain };
    await createPost(solo.db, place, hana, { source: "@pub@public.example hello", contentWarning: "", audience: "public" });
    await createPost(solo.db, place, hana, { source: "@secret@camponly.example shh", contentWarning: "", audience: "camp" });
    // Both mentions are recorded, so leaving one out is the rule's doing.
    expect(await solo.db.selectFrom("mentions").select("account_id").where("account_id", "in", [inPublic, inCampOnly]).execute()).toHaveLength(2);
    await solo.db.deleteFrom("jobs").execute();
    await deleteMemberAccount(solo.db, solo.config, hana, "hana");
    const [job] = await solo.db.selectFrom("jobs").select("payload").where("kind", "=", "event").execute();
    const event = JSON.parse(job!.payload);
    expect(event.type).toBe("account.deleted");
    expect(event.knownBy).toContain(inPublic);
    expect(event.knownBy).not.toContain(inCampOnly);
  } finally {
    await solo.close();
  }
});

test("a deleted member's saved posts, lists, followed tags, blocked domains and webhooks go with the account", async () => {
  const danaId = await camp.addMember("dana");
  const place = { mediaDir: camp.config.mediaDir, domain: camp.config.domain };
  const post = await createPost(camp.db, place, danaId, { source: "Kept for later #gardening", contentWarning: "", audience: "camp" });
  await bookmarkPost(camp.db, danaId, post);
  await createList(camp.db, danaId, { title: "Neighbours", exclusive: false });
  await followTag(camp.db, danaId, "gardening");
  await blockDomain(camp.db, danaId, "spam.example", camp.config.domain);
  await addWebhook(camp.db, { id: danaId, role: "member" }, { url: "https://hooks.example/dana", events: ["post.created"] });
  const owned = async () => ({
    bookmarks: (await camp.db.selectFrom("bookmarks").select("id").where("account_id", "=", danaId).execute()).length,
    lists: (await camp.db.selectFrom("lists").select("id").where("account_id", "=", danaId).execute()).length,
    tags: (await camp.db.selectFrom("followed_tags").select("tag").where("account_id", "=", danaId).execute()).length,
    domains: (await camp.db.selectFrom("member_domain_blocks").select("domain").where("account_id", "=", danaId).execute()).length,
    webhooks: (await camp.db.selectFrom("webhooks").select("id").where("account_id", "=", danaId).execute()).length,
  });
  expect(await owned()).toEqual({ bookmarks: 1, lists: 1, tags: 1, domains: 1, webhooks: 1 });
  const dana = await camp.loggedIn("dana");
  expect((await dana.post("/settings/delete", { confirm: "dana" })).status).toBe(200);
  expect(await owned()).toEqual({ bookmarks: 0, lists: 0, tags: 0, domains: 0, webhooks: 0 });
});
