/**
 * Bad input from other servers: each case gets the right status and a log line, stores nothing,
 * and the server keeps answering.
 */
import { afterAll, beforeAll, expect, test, setDefaultTimeout } from "bun:test";
import { KeyObject } from "node:crypto";
import { createPost } from "../src/domain/posts/create.ts";
import { signRequest } from "../src/federation/signatures.ts";
import { MAX_ACTIVITY_BYTES } from "../src/federation/inbox/receive.ts";
import { flushSeen } from "../src/federation/inbox/seen.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { federatedCamp, type FederatedCamp } from "./support/federation.ts";
import { startFedifyPeer, type FedifyPeer } from "./support/fedifyPeer.ts";

// Key generation and round trips between two servers take a few seconds on a busy machine.
setDefaultTimeout(30_000);

let camp: FederatedCamp;
let strict: TestCamp;
let peer: FedifyPeer;
let postId: number;
let odd: ReturnType<typeof Bun.serve>;

const inbox = () => `${camp.config.origin}/users/alice/inbox`;
const AS = "https://www.w3.org/ns/activitystreams";

/** Counts of everything an accepted activity could have written. */
async function stored(db: TestCamp["db"]) {
  await flushSeen(db);
  const count = async (table: "posts" | "likes" | "follows" | "accounts" | "seen_activities" | "reports") =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  return { posts: await count("posts"), likes: await count("likes"), follows: await count("follows"), accounts: await count("accounts"), seen: await count("seen_activities"), reports: await count("reports") };
}

async function send(body: string, options: { keyOf?: string; headers?: (signed: Record<string, string>) => Record<string, string> } = {}) {
  const keyOf = options.keyOf ?? "pat";
  const privateKey = KeyObject.from((await peer.keys(keyOf)).rsa.privateKey);
  const signed = signRequest({ method: "POST", url: inbox(), body, keyId: `${peer.actorUri(keyOf)}#main-key`, privateKey });
  const headers = options.headers ? options.headers(signed) : signed;
  return fetch(inbox(), { method: "POST", body, headers: { "content-type": "application/activity+json", ...headers } });
}

const refusedLogged = (logs: string[], before: number) => logs.slice(before).some((l) => l.includes("inbox refused") || l.includes("lookup failed"));

beforeAll(async () => {
  peer = await startFedifyPeer();
  camp = await federatedCamp({ KITH_FETCH_TIMEOUT_MS: "300" });
  const alice = await camp.addMember("alice");
  postId = await createPost(camp.db, { mediaDir: camp.config.mediaDir, domain: camp.config.domain }, alice, { source: "A public post", contentWarning: "", audience: "public" });
  strict = await testCamp();
  await strict.addMember("alice");
  // The instance actor (which signs lookups) is created on first need; create it now so counts compare content only.
  await strict.app.request("/actor", { headers: { accept: "application/activity+json" } });
  // A server that loops redirects on /loop/* and never answers on /slow/*.
  odd = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (request) => {
      const path = new URL(request.url).pathname;
      if (path === "/loop/a") return Response.redirect(`http://127.0.0.1:${odd.port}/loop/b`, 302);
      if (path === "/loop/b") return Response.redirect(`http://127.0.0.1:${odd.port}/loop/a`, 302);
      return new Promise<Response>(() => {});
    },
  });
  await camp.settle();
});
afterAll(async () => {
  odd.stop(true);
  await camp.close();
  await strict.close();
  await peer.close();
});

test("malformed JSON is refused with 400", async () => {
  const [before, logAt] = [await stored(camp.db), camp.logs.length];
  const response = await send("{ not json");
  expect(response.status).toBe(400);
  expect(refusedLogged(camp.logs, logAt)).toBe(true);
  expect(await stored(camp.db)).toEqual(before);
});

test("an inbox of no member answers 404 and reads nothing", async () => {
  const logAt = camp.logs.length;
  const response = await fetch(`${camp.config.origin}/users/nobody/inbox`, { method: "POST", body: "{}", headers: { "content-type": "application/activity+json" } });
  expect(response.status).toBe(404);
  expect(camp.logs.slice(logAt).some((l) => l.includes("inbox of no member"))).toBe(true);
});

test("a body over the size limit is refused with 413 before anything is parsed", async () => {
  const [before, logAt] = [await stored(camp.db), camp.logs.length];
  const body = JSON.stringify({ "@context": AS, type: "Create", padding: "x".repeat(MAX_ACTIVITY_BYTES) });
  const response = await send(body);
  expect(response.status).toBe(413);
  expect(refusedLogged(camp.logs, logAt)).toBe(true);
  expect(await stored(camp.db)).toEqual(before);
});

test("a missing or wrong Digest is refused with 401", async () => {
  const [before, logAt] = [await stored(camp.db), camp.logs.length];
  const like = (n: number) => JSON.stringify({ "@context": AS, id: `${peer.origin}/likes/digest-${n}`, type: "Like", actor: peer.actorUri("pat"), object: `${camp.config.origin}/posts/${postId}` });
  const missing = await send(like(1), { headers: ({ digest: _d, ...rest }) => rest });
  expect(missing.status).toBe(401);
  const wrong = await send(like(2), { headers: (h) => ({ ...h, digest: "SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" }) });
  expect(wrong.status).toBe(401);
  expect(refusedLogged(camp.logs, logAt)).toBe(true);
  expect(await stored(camp.db)).toEqual(before);
});

test("a signature made for another server is not accepted here (replay)", async () => {
  const before = await stored(camp.db);
  const body = JSON.stringify({ "@context": AS, id: `${peer.origin}/likes/replayed`, type: "Like", actor: peer.actorUri("pat"), object: `${camp.config.origin}/posts/${postId}` });
  const privateKey = KeyObject.from((await peer.keys("pat")).rsa.privateKey);
  const elsewhere = "http://other.example/users/alice/inbox";
  const headers = signRequest({ method: "POST", url: elsewhere, body, keyId: `${peer.actorUri("pat")}#main-key`, privateKey });
  const response = await camp.app.request(inbox(), { method: "POST", body, headers: { "content-type": "application/activity+json", ...headers } });
  expect(response.status).toBe(401);
  expect(camp.logs.some((l) => l.includes("another host"))).toBe(true);
  expect(await stored(camp.db)).toEqual(before);
});

test("an unknown key and a key of another actor are refused with 401", async () => {
  const [before, logAt] = [await stored(camp.db), camp.logs.length];
  const body = JSON.stringify({ "@context": AS, id: `${peer.origin}/likes/unknown`, type: "Like", actor: peer.actorUri("pat"), object: `${camp.config.origin}/posts/${postId}` });
  const unknown = await send(body, { headers: (h) => ({ ...h, signature: h.signature!.replace(/keyId="[^"]+"/, `keyId="${peer.origin}/no-such-key#main-key"`) }) });
  expect(unknown.status).toBe(401);
  const foreign = await send(body, { keyOf: "quinn" });
  expect(foreign.status).toBe(401);
  expect(refusedLogged(camp.logs, logAt)).toBe(true);
  const after = await stored(camp.db);
  expect({ ...after, accounts: before.accounts }).toEqual(before);
});

test("a Create whose object claims another server's id is refused with 403", async () => {
  const [before, logAt] = [await stored(camp.db), camp.logs.length];
  const response = await send(JSON.stringify({
    "@context": AS, id: `${peer.origin}/creates/1`, type: "Create", actor: peer.actorUri("pat"), to: [`${AS}#Public`],
    object: { id: "https://elsewhere.example/notes/1", type: "Note", attributedTo: peer.actorUri("pat"), content: "not mine", to: [`${AS}#Public`], inReplyTo: `${camp.config.origin}/posts/${postId}` },
  }));
  expect(response.status).toBe(403);
  expect(refusedLogged(camp.logs, logAt)).toBe(true);
  const after = await stored(camp.db);
  expect({ ...after, accounts: before.accounts }).toEqual(before);
});

test("a reply to a camp-only post's guessed address does not join its conversation", async () => {
  const alice = (await camp.db.selectFrom("accounts").select("id").where("handle", "=", "alice").executeTakeFirstOrThrow()).id;
  const campPost = await createPost(camp.db, { mediaDir: camp.config.mediaDir, domain: camp.config.domain }, alice, { source: "Camp secret", contentWarning: "", audience: "camp" });
  const reply = (n: number, mention: boolean) => JSON.stringify({
    "@context": AS, id: `${peer.origin}/replies/${n}/activity`, type: "Create", actor: peer.actorUri("pat"), to: [`${AS}#Public`],
    object: { id: `${peer.origin}/replies/${n}`, type: "Note", attributedTo: peer.actorUri("pat"), content: "I guessed it", to: [`${AS}#Public`],
      inReplyTo: `${camp.config.origin}/posts/${campPost}`, tag: mention ? [{ type: "Mention", href: `${camp.config.origin}/users/alice` }] : [] },
  });
  expect((await send(reply(1, false))).status).toBe(202);
  expect(await camp.db.selectFrom("posts").select("id").where("uri", "=", `${peer.origin}/replies/1`).executeTakeFirst()).toBeUndefined();
  expect((await send(reply(2, true))).status).toBe(202);
  const mentioning = await camp.db.selectFrom("posts").select(["in_reply_to_id", "thread_root_id"]).where("uri", "=", `${peer.origin}/replies/2`).executeTakeFirstOrThrow();
  expect(mentioning).toEqual({ in_reply_to_id: null, thread_root_id: null });
});

test("a Delete of someone else's post is refused with 403 and the post stays", async () => {
  const logAt = camp.logs.length;
  const response = await send(JSON.stringify({
    "@context": AS, id: `${peer.origin}/deletes/1`, type: "Delete", actor: peer.actorUri("pat"),
    object: { id: `${camp.config.origin}/posts/${postId}`, type: "Tombstone" },
  }));
  expect(response.status).toBe(403);
  expect(refusedLogged(camp.logs, logAt)).toBe(true);
  const post = await camp.db.selectFrom("posts").select("deleted_at").where("id", "=", postId).executeTakeFirstOrThrow();
  expect(post.deleted_at).toBeNull();
});

test("with the private-network switch off, actors on 127.0.0.1, 10.x or a name resolving to loopback are never fetched", async () => {
  const client = await strict.loggedIn("alice");
  const before = await stored(strict.db);
  const peerPort = new URL(peer.origin).port;
  for (const query of [`${peer.origin}/users/pat`, "https://10.1.2.3/users/x", `https://127.0.0.1:${peerPort}/users/pat`, `https://localhost:${peerPort}/users/pat`]) {
    const logAt = strict.logs.length;
    const response = await client.post("/remote", { query });
    expect(response.status).toBe(422);
    expect(refusedLogged(strict.logs, logAt)).toBe(true);
  }
  expect(strict.logs.some((l) => l.includes("private or reserved address"))).toBe(true);
  expect(await stored(strict.db)).toEqual(before);

  // The same refusal guards the inbox: a key that lives on loopback cannot be fetched to verify.
  const body = JSON.stringify({ "@context": AS, id: `${peer.origin}/likes/strict`, type: "Like", actor: peer.actorUri("pat"), object: `${strict.config.origin}/posts/1` });
  const privateKey = KeyObject.from((await peer.keys("pat")).rsa.privateKey);
  const url = `${strict.config.origin}/users/alice/inbox`;
  const headers = signRequest({ method: "POST", url, body, keyId: `${peer.actorUri("pat")}#main-key`, privateKey });
  const response = await strict.app.request(url, { method: "POST", body, headers: { "content-type": "application/activity+json", ...headers } });
  expect(response.status).toBe(401);
  expect(await stored(strict.db)).toEqual(before);
});

test("a redirect loop and a server that never answers end in a refusal, and the camp keeps serving", async () => {
  const client = await camp.loggedIn("alice");
  const before = await stored(camp.db);
  const loop = await client.post("/remote", { query: `http://127.0.0.1:${odd.port}/loop/a` });
  expect(loop.status).toBe(422);
  expect(await loop.text()).toContain("redirects");
  const slow = await client.post("/remote", { query: `http://127.0.0.1:${odd.port}/slow/actor` });
  expect(slow.status).toBe(422);
  expect(await slow.text()).toContain("no answer");
  expect(camp.logs.filter((l) => l.includes("lookup failed")).length).toBeGreaterThanOrEqual(2);
  expect(await stored(camp.db)).toEqual(before);
  expect((await fetch(`${camp.config.origin}/.well-known/nodeinfo`)).status).toBe(200);
});
