/**
 * The fan-out measurement counts only what a peer would accept: the sink verifies every signature
 * against the signer's published key, and the audience the harness writes reaches one shared
 * inbox per server through the federation module's own recipient query.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { addFanoutAudience, startSink, type Sink } from "../bench/fanout.ts";
import { signRequest } from "../src/federation/signatures.ts";
import { followerInboxes } from "../src/federation/outbound/recipients.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";

const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
const actorServer = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch: (request): Response => {
    const url = new URL(request.url);
    const actor = `${url.origin}/users/poster`;
    return url.pathname === "/users/poster"
      ? Response.json({ id: actor, type: "Person", publicKey: { id: `${actor}#main-key`, owner: actor, publicKeyPem: publicKey.export({ type: "spki", format: "pem" }) } })
      : new Response("not found", { status: 404 });
  },
});
const keyId = `http://127.0.0.1:${actorServer.port}/users/poster#main-key`;

let sink: Sink;
beforeAll(async () => {
  sink = await startSink(3);
});
afterAll(async () => {
  await sink.stop();
  actorServer.stop(true);
});

async function deliver(port: number, options: { tamper?: boolean; key?: KeyObject } = {}): Promise<number> {
  const url = `http://127.0.0.1:${port}/inbox`;
  const body = JSON.stringify({ type: "Create", id: `urn:test:${Math.random()}` });
  const headers = signRequest({ method: "POST", url, body, keyId, privateKey: options.key ?? privateKey });
  const response = await fetch(url, { method: "POST", headers, body: options.tamper ? body.replace("Create", "Delete") : body });
  return response.status;
}

describe("the fan-out sink", () => {
  test("listens on one port per server", () => {
    expect(sink.ports.length).toBe(3);
    expect(new Set(sink.ports).size).toBe(3);
  });

  test("accepts a delivery signed with the signer's published key, and counts its server", async () => {
    await sink.reset();
    expect(await deliver(sink.ports[0]!)).toBe(202);
    expect(await deliver(sink.ports[1]!)).toBe(202);
    expect(await deliver(sink.ports[1]!)).toBe(202);
    const stats = await sink.stats();
    expect(stats.verified).toBe(3);
    expect(stats.servers).toBe(2);
    expect(stats.failed).toBe(0);
  });

  test("refuses and does not count a body that does not match its digest, or another key's signature", async () => {
    await sink.reset();
    expect(await deliver(sink.ports[2]!, { tamper: true })).toBe(401);
    expect(await deliver(sink.ports[2]!, { key: otherKey })).toBe(401);
    const stats = await sink.stats();
    expect(stats.verified).toBe(0);
    expect(stats.servers).toBe(0);
    expect(stats.failed).toBe(2);
    expect(stats.lastFailure).toMatch(/does not verify/);
  });
});

describe("the fan-out audience", () => {
  let camp: TestCamp;
  beforeAll(async () => {
    camp = await testCamp();
  });
  afterAll(() => camp.close());

  test("gives the herald the asked number of remote followers, one shared inbox per server", async () => {
    const sqlite = new Database(camp.config.dbFile);
    const ports = [40001, 40002, 40003, 40004];
    const herald = addFanoutAudience(sqlite, ports, 10, "scrypt$unused");
    sqlite.close();
    const followers = await camp.db.selectFrom("follows").select("follower_id").where("followee_id", "=", herald.accountId).where("state", "=", "accepted").execute();
    expect(followers.length).toBe(10);
    const inboxes = await followerInboxes(camp.db, herald.accountId);
    expect(inboxes.sort()).toEqual(ports.map((p) => `http://127.0.0.1:${p}/inbox`));
  });
});
