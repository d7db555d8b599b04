/**
 * Imported posts are ordinary posts behind the one audience gate: with a real Fedify follower on
 * loopback, a public source's entries reach it, a camp-only source's entries (and their edits) never do.
 */
import { afterAll, beforeAll, expect, test, setDefaultTimeout } from "bun:test";
import { Follow, Person } from "@fedify/vocab";
import { schedulePoll } from "../src/domain/feeds/sources.ts";
import { federatedCamp, type FederatedCamp } from "./support/federation.ts";
import { startFedifyPeer, type FedifyPeer } from "./support/fedifyPeer.ts";
import { rss, startFeedSite, xml, type FeedSite } from "./support/feedServer.ts";

setDefaultTimeout(60_000);

let camp: FederatedCamp;
let peer: FedifyPeer;
let site: FeedSite;

beforeAll(async () => {
  peer = await startFedifyPeer();
  site = await startFeedSite();
  camp = await federatedCamp();
  await camp.addMember("alice");
});
afterAll(async () => {
  await camp.close();
  await peer.close();
  await site.close();
});

test("a camp-only imported post and its edit never reach the Fedify follower; a public one does", async () => {
  const alice = (await peer.lookup(`@alice@${camp.config.domain}`)) as Person;
  await peer.send("pat", alice, new Follow({ id: new URL(`${peer.origin}/follows/pat-alice`), actor: new URL(peer.actorUri("pat")), object: alice.id }));
  await camp.settle();
  await peer.waitFor((a) => a.type === "Accept", "the Accept");

  site.routes.set("/diary.xml", () => xml(rss([{ id: "d1", title: "Diary secret", link: "https://diary.example/1", html: "<p>only for friends</p>" }])));
  site.routes.set("/news.xml", () => xml(rss([{ id: "n1", title: "Public news", link: "https://news.example/1", html: "<p>for everyone</p>" }])));
  const client = await camp.loggedIn("alice");
  expect((await client.post("/settings/feeds", { url: `${site.origin}/diary.xml`, label: "", audience: "camp" })).status).toBe(303);
  await camp.settle();
  // The camp-only entry is edited on its site and checked again: the edit stays in too.
  site.routes.set("/diary.xml", () => xml(rss([{ id: "d1", title: "Diary secret", link: "https://diary.example/1", html: "<p>only for friends, edited</p>" }])));
  const diary = await camp.db.selectFrom("feed_sources").select("id").where("url", "=", `${site.origin}/diary.xml`).executeTakeFirstOrThrow();
  await schedulePoll(camp.db, diary.id, Date.now());
  camp.worker.nudge();
  await camp.settle();
  expect((await client.post("/settings/feeds", { url: `${site.origin}/news.xml`, label: "", audience: "public" })).status).toBe(303);
  await camp.settle();

  const news = await peer.waitFor((a) => a.type === "Create" && JSON.stringify(a.json).includes("Public news"), "the public imported post");
  expect(JSON.stringify(news.json)).toContain("https://news.example/1");
  const edited = await camp.db.selectFrom("posts").select("edited_at").where("html", "like", "%edited%").executeTakeFirstOrThrow();
  expect(edited.edited_at).not.toBeNull();
  expect(peer.received.filter((a) => JSON.stringify(a.json).includes("Diary secret") || JSON.stringify(a.json).includes("only for friends"))).toEqual([]);
});
