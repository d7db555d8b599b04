/**
 * Moving between accounts, Mastodon's way: a member of camp A moves to her new account on camp B
 * (which lists the old one in alsoKnownAs); her followers in A, in B and on a Fedify peer are told
 * and those on Kith follow the new account. A Move sent by the peer is followed only when the new
 * account lists the old one, and not when it loops or comes too soon after another move.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { Follow, Move, Person } from "@fedify/vocab";
import { follow, followState } from "../src/domain/follows/follow.ts";
import { lookupAccount } from "../src/federation/lookup.ts";
import { addMute, mutesOn } from "../src/domain/filters/mutes.ts";
import { federatedCamp, type FederatedCamp } from "./support/federation.ts";
import { startFedifyPeer, type FedifyPeer } from "./support/fedifyPeer.ts";
import { PASSWORD, testCamp } from "./support/camp.ts";

setDefaultTimeout(60_000);

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
let a: FederatedCamp;
let b: FederatedCamp;
let peer: FedifyPeer;

beforeAll(async () => {
  peer = await startFedifyPeer();
  a = await federatedCamp();
  b = await federatedCamp();
});
afterAll(async () => {
  await a.close();
  await b.close();
  await peer.close();
});

/** Lets both camps work until nothing is due on either (activities go back and forth). */
async function settleBoth() {
  for (let i = 0; i < 4; i++) {
    await a.settle();
    await b.settle();
  }
}

const accountIdOn = async (camp: FederatedCamp, uri: string) => (await camp.db.selectFrom("accounts").select("id").where("uri", "=", uri).executeTakeFirstOrThrow()).id;

describe("a member moves from camp A to camp B", () => {
  let aliceA: number;
  let danaA: number;
  let erinB: number;
  let alice2B: number;
  let ivyA: number;
  const aliceUri = () => `${a.config.origin}/users/alice`;
  const alice2Uri = () => `${b.config.origin}/users/alice2`;

  beforeAll(async () => {
    aliceA = await a.addMember("alice");
    danaA = await a.addMember("dana");
    erinB = await b.addMember("erin");
    alice2B = await b.addMember("alice2");
    await follow(a.db, danaA, aliceA);
    ivyA = await a.addMember("ivy");
    await addMute(a.db, ivyA, aliceA, "mute");
    await follow(b.db, erinB, await lookupAccount({ db: b.db, config: b.config, log: quiet }, `alice@${a.config.domain}`));
    const alice = (await peer.lookup(`@alice@${a.config.domain}`)) as Person;
    await peer.send("pat", alice, new Follow({ id: new URL(`${peer.origin}/follows/pat-alice-move`), actor: new URL(peer.actorUri("pat")), object: alice.id }));
    await settleBoth();
    expect(await followState(b.db, erinB, await accountIdOn(b, aliceUri()))).toBe("accepted");
  });

  test("the move is refused until the new account lists the old one, and without the password", async () => {
    const alice = await a.loggedIn("alice");
    const early = await alice.post("/settings/moving/move", { target: `alice2@${b.config.domain}`, password: PASSWORD });
    expect(early.status).toBe(422);
    expect(await early.text()).toContain("does not list this account as an alias yet");

    const alice2 = await b.loggedIn("alice2");
    const aliased = await alice2.post("/settings/moving/aliases", { alias: `alice@${a.config.domain}` });
    expect(aliased.status).toBe(303);
    expect(await (await alice2.get("/settings/moving")).text()).toContain(`alice@${a.config.domain}`);
    const actor = await (await fetch(alice2Uri(), { headers: { accept: "application/activity+json" } })).json();
    expect(actor.alsoKnownAs).toEqual([aliceUri()]);

    const wrong = await alice.post("/settings/moving/move", { target: `alice2@${b.config.domain}`, password: "not the password" });
    expect(wrong.status).toBe(422);
    expect(await a.db.selectFrom("accounts").select("moved_to_uri").where("id", "=", aliceA).executeTakeFirstOrThrow()).toEqual({ moved_to_uri: null });
  });

  test("after the move, followers on A, on B and on the peer are carried over or told", async () => {
    const alice = await a.loggedIn("alice");
    const moved = await alice.post("/settings/moving/move", { target: `alice2@${b.config.domain}`, password: PASSWORD });
    expect(moved.status).toBe(303);
    await settleBoth();

    const actor = await (await fetch(aliceUri(), { headers: { accept: "application/activity+json" } })).json();
    expect(actor.movedTo).toBe(alice2Uri());
    // Dana (on A) now follows the new account on B, accepted there, and no longer the old one.
    expect(await followState(a.db, danaA, aliceA)).toBeNull();
    expect(await followState(a.db, danaA, await accountIdOn(a, alice2Uri()))).toBe("accepted");
    // Erin (on B) got the Move and follows Alice's new account here on B.
    expect(await followState(b.db, erinB, alice2B)).toBe("accepted");
    expect(await followState(b.db, erinB, await accountIdOn(b, aliceUri()))).toBeNull();
    // Ivy muted Alice here: she mutes the new account too, as on Mastodon.
    expect(await mutesOn(a.db, ivyA, await accountIdOn(a, alice2Uri()))).toEqual(new Set(["mute"]));
    // The peer's follower was told, in Mastodon's shape.
    const move = await peer.waitFor((x) => x.type === "Move", "the Move");
    expect(move.json.actor).toBe(aliceUri());
    expect(move.json.object).toBe(aliceUri());
    expect(move.json.target).toBe(alice2Uri());
  });

  test("the old profile says where she went, and a browser opening her actor id goes there", async () => {
    const dana = await a.loggedIn("dana");
    const profile = await (await dana.get("/@alice")).text();
    expect(profile).toContain("has moved to");
    expect(profile).toContain(`alice2@${b.config.domain}`);
    const browser = await fetch(aliceUri(), { headers: { accept: "text/html" }, redirect: "manual" });
    expect(browser.status).toBe(303);
    expect(browser.headers.get("location")).toBe(`${b.config.origin}/@alice2`);
  });
});

describe("a Move sent by the Fedify peer", () => {
  let franA: number;
  const pat = (n: string) => peer.actorUri(n);

  beforeAll(async () => {
    franA = await a.addMember("fran");
    const deps = { db: a.db, config: a.config, log: quiet };
    for (const who of ["mover", "stayer"]) await follow(a.db, franA, await lookupAccount(deps, `${who}@${new URL(peer.origin).host}`));
    await a.settle();
    // The peer accepts the follows as a person there would.
    for (const who of ["mover", "stayer"]) await a.db.updateTable("follows").set({ state: "accepted" }).where("follower_id", "=", franA).where("followee_id", "=", await accountIdOn(a, pat(who))).execute();
  });

  const sendMove = async (from: string, to: string) => {
    const fran = (await peer.lookup(`${a.config.origin}/users/fran`)) as Person;
    await peer.send(from, fran, new Move({ id: new URL(`${peer.origin}/moves/${from}-${to}`), actor: new URL(pat(from)), object: new URL(pat(from)), target: new URL(pat(to)) }));
    await a.settle();
  };

  test("a move to an account that does not list the old one is ignored and logged", async () => {
    await sendMove("stayer", "impostor");
    expect(await followState(a.db, franA, await accountIdOn(a, pat("stayer")))).toBe("accepted");
    expect(await a.db.selectFrom("accounts").select("id").where("uri", "=", pat("impostor")).executeTakeFirst()).toBeDefined();
    expect(await followState(a.db, franA, await accountIdOn(a, pat("impostor")))).toBeNull();
    expect(a.logs.some((l) => l.includes("move ignored") && l.includes("does not list the old one"))).toBe(true);
  });

  test("a move to an account that lists the old one: the member follows the new account and unfollows the old", async () => {
    peer.aliases.set("mover2", [pat("mover")]);
    await sendMove("mover", "mover2");
    expect(await followState(a.db, franA, await accountIdOn(a, pat("mover")))).toBeNull();
    expect(await followState(a.db, franA, await accountIdOn(a, pat("mover2")))).toBe("pending");
    await peer.waitFor((x) => x.type === "Follow" && x.json.object === pat("mover2"), "Fran's Follow of the new account");
    await peer.waitFor((x) => x.type === "Undo" && JSON.stringify(x.json).includes(pat("mover")) && x.json.actor === `${a.config.origin}/users/fran`, "Fran's Undo of the old follow");
    // The old account's page here says where it went.
    const page = await (await (await a.loggedIn("fran")).get(`/remote/${await accountIdOn(a, pat("mover"))}`)).text();
    expect(page).toContain("has moved to");
    expect(page).toContain(`mover2@${new URL(peer.origin).host}`);
  });

  test("a move back (a loop) and a second move within 7 days are ignored", async () => {
    peer.aliases.set("mover", [pat("mover2")]);
    await a.db.updateTable("follows").set({ state: "accepted" }).where("follower_id", "=", franA).execute();
    await sendMove("mover2", "mover");
    expect(await followState(a.db, franA, await accountIdOn(a, pat("mover2")))).toBe("accepted");
    expect(a.logs.some((l) => l.includes("move ignored") && l.includes("a loop"))).toBe(true);
    peer.aliases.set("mover3", [pat("mover")]);
    await sendMove("mover", "mover3");
    expect(a.logs.some((l) => l.includes("move ignored") && l.includes("moved less than 7 days ago"))).toBe(true);
  });
});

test("an alias that points to a private address is refused with a clear message", async () => {
  const camp = await testCamp();
  try {
    await camp.addMember("gus");
    const gus = await camp.loggedIn("gus");
    const refused = await gus.post("/settings/moving/aliases", { alias: `old@${a.config.domain}` });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("private or reserved address");
    expect(await camp.db.selectFrom("accounts").select("also_known_as").where("handle", "=", "gus").executeTakeFirstOrThrow()).toEqual({ also_known_as: "[]" });
  } finally {
    await camp.close();
  }
});
