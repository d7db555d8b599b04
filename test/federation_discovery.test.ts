/** Discovery: WebFinger, host-meta, NodeInfo, actor documents with both keys, and content negotiation. */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { testCamp, type TestCamp } from "./support/camp.ts";

let camp: TestCamp;
const AS = { accept: "application/activity+json" };

beforeAll(async () => {
  camp = await testCamp();
  await camp.addMember("alice");
  const bob = await camp.addMember("bob");
  await camp.db.updateTable("accounts").set({ suspended_at: Date.now() }).where("id", "=", bob).execute();
});
afterAll(() => camp.close());

test("WebFinger finds a member by acct:handle@domain with the port, and points at the actor", async () => {
  const response = await camp.app.request(`/.well-known/webfinger?resource=acct:alice@${camp.config.domain}`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("application/jrd+json");
  const jrd = await response.json();
  expect(jrd.subject).toBe(`acct:alice@${camp.config.domain}`);
  expect(jrd.links.find((l: { rel: string }) => l.rel === "self").href).toBe(`${camp.config.origin}/users/alice`);
});

test("WebFinger refuses other domains and does not know suspended or unknown members", async () => {
  expect((await camp.app.request("/.well-known/webfinger?resource=acct:alice@elsewhere.example")).status).toBe(400);
  expect((await camp.app.request(`/.well-known/webfinger?resource=acct:bob@${camp.config.domain}`)).status).toBe(404);
  expect((await camp.app.request(`/.well-known/webfinger?resource=acct:nobody@${camp.config.domain}`)).status).toBe(404);
});

test("the actor has an RSA key for HTTP signatures and an Ed25519 Multikey, both stable across fetches", async () => {
  const first = await (await camp.app.request("/users/alice", { headers: AS })).json();
  expect(first.type).toBe("Person");
  expect(first.id).toBe(`${camp.config.origin}/users/alice`);
  expect(first.publicKey.owner).toBe(first.id);
  expect(first.publicKey.publicKeyPem).toContain("BEGIN PUBLIC KEY");
  expect(first.assertionMethod[0].type).toBe("Multikey");
  expect(first.assertionMethod[0].publicKeyMultibase).toMatch(/^z6Mk/);
  expect(first.endpoints.sharedInbox).toBe(`${camp.config.origin}/inbox`);
  const second = await (await camp.app.request("/users/alice", { headers: AS })).json();
  expect(second.publicKey.publicKeyPem).toBe(first.publicKey.publicKeyPem);
  for (const context of first["@context"].filter((c: unknown) => typeof c === "string")) {
    expect(["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1", "https://w3id.org/security/multikey/v1"]).toContain(context);
  }
});

test("the profile URL gives AS JSON to ActivityPub clients (both media types) and the page flow to browsers", async () => {
  const ld = await camp.app.request("/@alice", { headers: { accept: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"' } });
  expect(ld.status).toBe(200);
  expect((await ld.json()).type).toBe("Person");
  const browser = await camp.app.request("/@alice", { headers: { accept: "text/html" } });
  expect(browser.headers.get("content-type") ?? "").not.toContain("activity+json");
  const actorAsBrowser = await camp.app.request("/users/alice", { headers: { accept: "text/html" } });
  expect(actorAsBrowser.status).toBe(303);
  expect(actorAsBrowser.headers.get("location")).toBe(`${camp.config.origin}/@alice`);
});

test("a suspended member's actor answers 410 and an unknown one 404", async () => {
  expect((await camp.app.request("/users/bob", { headers: AS })).status).toBe(410);
  expect((await camp.app.request("/users/nobody", { headers: AS })).status).toBe(404);
});

test("the instance actor is an Application, created on first need, and found by WebFinger", async () => {
  const doc = await (await camp.app.request("/actor", { headers: AS })).json();
  expect(doc.type).toBe("Application");
  const row = await camp.db.selectFrom("accounts").select(["kind", "domain"]).where("kind", "=", "Application").executeTakeFirstOrThrow();
  expect(row.domain).toBeNull();
  const jrd = await (await camp.app.request(`/.well-known/webfinger?resource=acct:actor@${camp.config.domain}`)).json();
  expect(jrd.links[0].href).toBe(doc.id);
});

test("host-meta and NodeInfo 2.0 and 2.1 describe the camp", async () => {
  const hostMeta = await (await camp.app.request("/.well-known/host-meta")).text();
  expect(hostMeta).toContain(`${camp.config.origin}/.well-known/webfinger?resource={uri}`);
  const index = await (await camp.app.request("/.well-known/nodeinfo")).json();
  expect(index.links.map((l: { href: string }) => l.href)).toEqual([`${camp.config.origin}/nodeinfo/2.0`, `${camp.config.origin}/nodeinfo/2.1`]);
  for (const version of ["2.0", "2.1"]) {
    const info = await (await camp.app.request(`/nodeinfo/${version}`)).json();
    expect(info.version).toBe(version);
    expect(info.software.name).toBe("kith");
    expect(info.protocols).toEqual(["activitypub"]);
    expect(info.usage.users.total).toBe(1);
  }
});
