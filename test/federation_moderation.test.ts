/**
 * Moderation across servers and what remote fetches may see: domain blocks and allowlist mode
 * from the operator's page, authorized fetch, a member blocking a remote account, reports from
 * other servers, and followers-only and camp-only posts fetched by signed and unsigned requests.
 */
import { afterAll, beforeAll, expect, test, setDefaultTimeout } from "bun:test";
import { signRequest as fedifySign } from "@fedify/fedify";
import { Create, Flag, Follow, Mention, Note, Person, PUBLIC_COLLECTION } from "@fedify/vocab";
import { createPost } from "../src/domain/posts/create.ts";
import { enqueueDeliveries } from "../src/federation/outbound/deliver.ts";
import { federatedCamp, type FederatedCamp } from "./support/federation.ts";
import { startFedifyPeer, type FedifyPeer } from "./support/fedifyPeer.ts";

// Key generation and round trips between two servers take a few seconds on a busy machine.
setDefaultTimeout(30_000);

let camp: FederatedCamp;
let peer: FedifyPeer;
let alice: Person;
let aliceId: number;
const AS_JSON = { accept: "application/activity+json" };

/** GET as the peer's actor pat, signed by Fedify. */
async function signedGet(url: string) {
  const { rsa } = await peer.keys("pat");
  return fetch(await fedifySign(new Request(url, { headers: AS_JSON }), rsa.privateKey, new URL(`${peer.actorUri("pat")}#main-key`), { spec: "draft-cavage-http-signatures-12" }));
}

const write = (source: string, audience: string) => createPost(camp.db, { mediaDir: camp.config.mediaDir, domain: camp.config.domain }, aliceId, { source, contentWarning: "", audience });
const peerHost = () => new URL(peer.origin).host;

beforeAll(async () => {
  peer = await startFedifyPeer();
  camp = await federatedCamp();
  await camp.addMember("olive", "operator");
  aliceId = await camp.addMember("alice");
  alice = (await peer.lookup(`${camp.config.origin}/users/alice`)) as Person;
});
afterAll(async () => {
  await camp.close();
  await peer.close();
});

test("followers-only posts are fetched only by a signed follower; camp-only never; the outbox lists public posts only", async () => {
  const followersOnly = await write("For followers", "followers");
  const campOnly = await write("For the camp", "camp");
  const publicPost = await write("For everyone", "public");
  const url = (id: number) => `${camp.config.origin}/posts/${id}`;
  expect((await fetch(url(followersOnly), { headers: AS_JSON })).status).toBe(404);
  expect((await signedGet(url(followersOnly))).status).toBe(404);
  await peer.send("pat", alice, new Follow({ id: new URL(`${peer.origin}/follows/1`), actor: new URL(peer.actorUri("pat")), object: alice.id }));
  const asFollower = await signedGet(url(followersOnly));
  expect(asFollower.status).toBe(200);
  expect((await asFollower.json()).content).toContain("For followers");
  expect((await signedGet(url(campOnly))).status).toBe(404);
  expect((await fetch(url(publicPost), { headers: AS_JSON })).status).toBe(200);
  const outbox = await (await fetch(`${camp.config.origin}/users/alice/outbox`, { headers: AS_JSON })).json();
  const listed = JSON.stringify(outbox);
  expect(listed).toContain(url(publicPost));
  expect(listed).not.toContain(url(followersOnly));
  expect(listed).not.toContain(url(campOnly));
});

test("authorized fetch: unsigned actor and object fetches get 401, signed ones from servers not blocked get the document", async () => {
  const operator = await camp.loggedIn("olive");
  expect((await operator.post("/admin/federation/settings", { mode: "open", authorizedFetch: "1" })).status).toBe(303);
  expect((await fetch(`${camp.config.origin}/users/alice`, { headers: AS_JSON })).status).toBe(401);
  expect((await signedGet(`${camp.config.origin}/users/alice`)).status).toBe(200);
  // The instance actor stays fetchable: other servers need its key to check our own signed fetches.
  expect((await fetch(`${camp.config.origin}/actor`, { headers: AS_JSON })).status).toBe(200);
  expect((await operator.post("/admin/federation/settings", { mode: "open" })).status).toBe(303);
  expect((await fetch(`${camp.config.origin}/users/alice`, { headers: AS_JSON })).status).toBe(200);
});

test("a report (Flag) from another server lands in the operator's queue and can be resolved", async () => {
  const postId = await write("Reported post", "public");
  await peer.send("pat", alice, new Flag({ id: new URL(`${peer.origin}/flags/1`), actor: new URL(peer.actorUri("pat")), content: "Please look at this", objects: [alice.id!, new URL(`${camp.config.origin}/posts/${postId}`)] }));
  const report = await camp.db.selectFrom("reports").selectAll().executeTakeFirstOrThrow();
  expect(report.target_id).toBe(aliceId);
  expect(JSON.parse(report.post_ids)).toEqual([postId]);
  const operator = await camp.loggedIn("olive");
  const page = await (await operator.get("/moderation/reports")).text();
  expect(page).toContain("Please look at this");
  expect((await operator.post(`/moderation/reports/${report.id}/resolve`)).status).toBe(303);
  expect(await (await operator.get("/moderation/reports")).text()).toContain("No open reports.");
  const member = await camp.loggedIn("alice");
  expect((await member.get("/moderation/reports")).status).toBe(403);
  expect((await member.get("/admin/federation")).status).toBe(403);
});

test("a member blocking a remote account sends Block and ends the follow", async () => {
  const account = await camp.db.selectFrom("accounts").select("id").where("uri", "=", peer.actorUri("pat")).executeTakeFirstOrThrow();
  const member = await camp.loggedIn("alice");
  expect((await member.post(`/remote/${account.id}/block`)).status).toBe(303);
  await camp.settle();
  await peer.waitFor((a) => a.type === "Block", "the Block");
  expect(await camp.db.selectFrom("follows").selectAll().where("follower_id", "=", account.id).execute()).toEqual([]);
  expect((await member.post(`/remote/${account.id}/unblock`)).status).toBe(303);
  await camp.settle();
  await peer.waitFor((a) => a.type === "Undo" && JSON.stringify(a.json).includes("Block"), "the Undo of the Block");
});

test("blocking a domain refuses its activities, hides its content and stops delivery; allowlist mode admits only allowed domains", async () => {
  const operator = await camp.loggedIn("olive");
  const note = (n: number) => new Create({
    id: new URL(`${peer.origin}/notes/m${n}/activity`), actor: new URL(peer.actorUri("pat")), to: PUBLIC_COLLECTION,
    object: new Note({ id: new URL(`${peer.origin}/notes/m${n}`), attribution: new URL(peer.actorUri("pat")), content: `<p>Mentioning alice ${n}</p>`, to: PUBLIC_COLLECTION, cc: alice.id,
      tags: [new Mention({ href: alice.id, name: `@alice@${camp.config.domain}` })] }),
  });
  await peer.send("pat", alice, note(1));
  const stored = await camp.db.selectFrom("posts").select("id").where("uri", "=", `${peer.origin}/notes/m1`).executeTakeFirst();
  expect(stored).toBeDefined();

  expect((await operator.post("/admin/federation/rules", { domain: `https://${peerHost()}/`, policy: "block" })).status).toBe(303);
  expect(await (await operator.get("/admin/federation")).text()).toContain(peerHost());
  const pat = await camp.db.selectFrom("accounts").select(["suspended_at"]).where("uri", "=", peer.actorUri("pat")).executeTakeFirstOrThrow();
  expect(pat.suspended_at).not.toBeNull();
  expect(await (await (await camp.loggedIn("alice")).get(`/posts/${stored!.id}`)).text()).not.toContain("Mentioning alice 1");
  await expect(peer.send("pat", alice, note(2))).rejects.toThrow();
  expect(await camp.db.selectFrom("posts").select("id").where("uri", "=", `${peer.origin}/notes/m2`).executeTakeFirst()).toBeUndefined();
  expect(camp.logs.some((l) => l.includes("does not federate with"))).toBe(true);
  // A delivery queued before the block is dropped rather than sent.
  const queuedId = `${camp.config.origin}/posts/${await write("Queued before the block", "public")}/activity`;
  await enqueueDeliveries(camp.db, aliceId, { id: queuedId, type: "Create", actor: alice.id!.href }, [`${peer.actorUri("pat")}/inbox`]);
  await camp.settle();
  expect(peer.received.filter((a) => a.id === queuedId)).toEqual([]);
  expect(camp.logs.some((l) => l.includes("no longer federates"))).toBe(true);

  expect((await operator.post(`/admin/federation/rules/${encodeURIComponent(peerHost())}/remove`)).status).toBe(303);
  expect((await operator.post("/admin/federation/settings", { mode: "allowlist" })).status).toBe(303);
  await expect(peer.send("pat", alice, note(3))).rejects.toThrow();
  expect((await operator.post("/admin/federation/rules", { domain: peerHost(), policy: "allow" })).status).toBe(303);
  await peer.send("pat", alice, note(4));
  expect(await camp.db.selectFrom("posts").select("id").where("uri", "=", `${peer.origin}/notes/m4`).executeTakeFirst()).toBeDefined();
  expect((await operator.post("/admin/federation/rules", { domain: "not a domain!", policy: "block" })).status).toBe(422);
});
