/**
 * Searching for someone or something elsewhere, against a real ActivityPub server (Fedify 2.3.6 on
 * loopback): a handle leads, through WebFinger and the guarded fetch, to their profile here with the
 * follow button; a public post's address is fetched, stored and opened here; a followers-only post's
 * address leads to its author instead, and nothing of it is stored.
 */
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { Note, PUBLIC_COLLECTION } from "@fedify/vocab";
import { federatedCamp, type FederatedCamp } from "./support/federation.ts";
import { startFedifyPeer, type FedifyPeer } from "./support/fedifyPeer.ts";
import type { TestClient } from "./support/camp.ts";

setDefaultTimeout(30_000);

let camp: FederatedCamp;
let peer: FedifyPeer;
let alice: TestClient;

beforeAll(async () => {
  peer = await startFedifyPeer();
  camp = await federatedCamp();
  await camp.addMember("alice");
  alice = await camp.loggedIn("alice");
});
afterAll(async () => {
  await camp.close();
  await peer.close();
});

describe("looking up from the search page", () => {
  test("a handle elsewhere: the search page offers the lookup, which leads to their profile with Follow", async () => {
    const handle = `@pat@${new URL(peer.origin).host}`;
    expect(await (await alice.get(`/search?q=${encodeURIComponent(handle)}`)).text()).toContain('action="/search/resolve"');
    const response = await alice.post("/search/resolve", { q: handle });
    expect(response.status).toBe(303);
    const profile = response.headers.get("location")!;
    expect(profile).toMatch(/^\/remote\/\d+$/);
    expect(await (await alice.get(profile)).text()).toContain(`Follow @pat@${new URL(peer.origin).host}`);
    // Now known here: the search page links to the profile directly.
    expect(await (await alice.get(`/search?q=${encodeURIComponent(handle)}`)).text()).toContain(`href="${profile}"`);
  });

  test("a public post's address: fetched, stored and opened here", async () => {
    peer.notes.set("open-1", new Note({ id: new URL(`${peer.origin}/notes/open-1`), attribution: new URL(peer.actorUri("pat")), content: "<p>An open letter</p>", to: PUBLIC_COLLECTION }));
    const response = await alice.post("/search/resolve", { q: `${peer.origin}/notes/open-1` });
    expect(response.status).toBe(303);
    const location = response.headers.get("location")!;
    expect(location).toMatch(/^\/posts\/\d+$/);
    expect(await (await alice.get(location)).text()).toContain("An open letter");
  });

  test("a followers-only post's address leads to its author, and the post is not stored", async () => {
    peer.notes.set("closed-1", new Note({ id: new URL(`${peer.origin}/notes/closed-1`), attribution: new URL(peer.actorUri("pat")), content: "<p>Only for followers</p>",
      to: new URL(`${peer.actorUri("pat")}/followers`) }));
    const response = await alice.post("/search/resolve", { q: `${peer.origin}/notes/closed-1` });
    expect(response.headers.get("location")).toMatch(/^\/remote\/\d+$/);
    expect(await camp.db.selectFrom("posts").select("id").where("uri", "=", `${peer.origin}/notes/closed-1`).execute()).toEqual([]);
  });
});
