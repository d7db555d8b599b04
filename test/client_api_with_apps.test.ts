/**
 * The client API driven by two independent Mastodon client libraries from npm, `masto` and
 * `megalodon`, against a served camp and a real ActivityPub peer (Fedify on loopback): sign in
 * through the consent form, post with every visibility including camp-only, read home, the camp
 * stream and notifications, upload an image, follow someone on the peer, and prove that a camp-only
 * post made through the API never reaches the peer while one made on the web shows local_only.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createOAuthAPIClient, createRestAPIClient, type mastodon } from "masto";
import generator, { type MegalodonInterface } from "megalodon";
import { Follow, Person } from "@fedify/vocab";
import { consent, codeFrom, REDIRECT } from "./support/clientApi.ts";
import { federatedCamp, type FederatedCamp } from "./support/federation.ts";
import { startFedifyPeer, type FedifyPeer } from "./support/fedifyPeer.ts";
import { solidPng } from "./support/png.ts";
import type { Audience } from "../src/db/schema.ts";

setDefaultTimeout(30_000);

let camp: FederatedCamp;
let peer: FedifyPeer;
let masto: mastodon.rest.Client;
let megalodon: MegalodonInterface;
let bobMasto: mastodon.rest.Client;
let aliceId: number;

/** Signs in with masto: registers the app, approves it on the consent form, trades the code. */
async function mastoFor(handle: string): Promise<mastodon.rest.Client> {
  const anonymous = createRestAPIClient({ url: camp.config.origin });
  const app = await anonymous.v1.apps.create({ clientName: "masto test", redirectUris: REDIRECT, scopes: "read write follow" });
  const authorize = `${camp.config.origin}/oauth/authorize?response_type=code&client_id=${app.clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=read+write+follow`;
  const code = codeFrom((await consent(camp, handle, authorize)).answer);
  const oauth = createOAuthAPIClient({ url: camp.config.origin });
  const token = await oauth.token.create({ grantType: "authorization_code", clientId: app.clientId!, clientSecret: app.clientSecret!, redirectUri: REDIRECT, code, scope: "read write follow" });
  return createRestAPIClient({ url: camp.config.origin, accessToken: token.accessToken });
}

beforeAll(async () => {
  peer = await startFedifyPeer();
  camp = await federatedCamp();
  aliceId = await camp.addMember("alice");
  await camp.addMember("bob");
  masto = await mastoFor("alice");
  bobMasto = await mastoFor("bob");
}, 60_000);
afterAll(async () => {
  await camp?.close();
  await peer?.close();
});

describe("signing in", () => {
  test("megalodon registers, sends the member to the consent form and gets a token for her", async () => {
    const anonymous = generator("mastodon", camp.config.origin);
    const app = await anonymous.registerApp("megalodon test", { scopes: ["read", "write", "follow"], redirect_uris: REDIRECT });
    expect(app.url).toStartWith(`${camp.config.origin}/oauth/authorize?`);
    const { html, answer } = await consent(camp, "alice", app.url!);
    expect(html).toContain("megalodon test");
    const token = await anonymous.fetchAccessToken(app.client_id, app.client_secret, codeFrom(answer), REDIRECT);
    megalodon = generator("mastodon", camp.config.origin, token.access_token);
    const me = await megalodon.verifyAccountCredentials();
    expect(me.data.username).toBe("alice");
  });

  test("masto reads the instance and the member's own account", async () => {
    const instance = await masto.v2.instance.fetch();
    expect(instance.domain).toBe(camp.config.domain);
    expect(instance.configuration.statuses.maxCharacters).toBe(5000);
    const me = await masto.v1.accounts.verifyCredentials();
    expect(me.acct).toBe("alice");
    expect(me.source.privacy).toBe("private");
  });
});

describe("posting with every visibility", () => {
  const audienceOf = async (id: string) => (await camp.db.selectFrom("posts").select("audience").where("id", "=", Number(id)).executeTakeFirstOrThrow()).audience;

  test("each Mastodon visibility becomes its Kith audience, and reads back the same way", async () => {
    const cases: [Record<string, unknown>, Audience, string, boolean][] = [
      [{ visibility: "public" }, "public", "public", false],
      [{ visibility: "unlisted" }, "unlisted", "unlisted", false],
      [{ visibility: "private" }, "camp", "private", true],
      [{ visibility: "private", localOnly: false }, "followers", "private", false],
      [{ visibility: "public", localOnly: true }, "camp", "private", true],
      [{ visibility: "direct", status: "just for @bob" }, "direct", "direct", false],
    ];
    for (const [params, audience, visibility, localOnly] of cases) {
      const status = await masto.v1.statuses.create({ status: `a ${audience} post`, ...params } as mastodon.rest.v1.CreateStatusParams);
      expect(await audienceOf(status.id)).toBe(audience);
      expect(status.visibility as string).toBe(visibility);
      expect((status as unknown as { localOnly: boolean }).localOnly).toBe(localOnly);
    }
  });

  test("megalodon posts camp-only by default, and bob sees it in the camp stream", async () => {
    const posted = await megalodon.postStatus("camp-only from megalodon");
    const id = "id" in posted.data ? posted.data.id : "";
    expect(await audienceOf(id)).toBe("camp");
    const campStream = await bobMasto.v1.timelines.public.list({ local: true });
    expect(campStream.map((s) => s.id)).toContain(id);
    const viaMegalodon = await megalodon.getLocalTimeline();
    expect(viaMegalodon.data.map((s) => s.id)).toContain(id);
  });

  test("a post on the web that stays in the camp shows local_only to apps", async () => {
    const browser = await camp.loggedIn("alice");
    const response = await browser.post("/posts", { source: "written on the web", audience: "camp" });
    expect(response.status).toBe(303);
    const id = (await camp.db.selectFrom("posts").select("id").where("source", "=", "written on the web").executeTakeFirstOrThrow()).id;
    const status = await masto.v1.statuses.$select(String(id)).fetch();
    expect(status.visibility).toBe("private");
    expect((status as unknown as { localOnly: boolean }).localOnly).toBe(true);
    const viaMegalodon = await megalodon.getStatus(String(id));
    expect(viaMegalodon.data.visibility).toBe("private");
  });
});

describe("reading", () => {
  test("home with both libraries, paged by max_id through the Link header", async () => {
    const home = await masto.v1.timelines.home.list({ limit: 3 });
    expect(home).toHaveLength(3);
    const older = await masto.v1.timelines.home.list({ limit: 3, maxId: home[2]!.id });
    expect(older.every((s) => Number(s.id) < Number(home[2]!.id))).toBe(true);
    const viaMegalodon = await megalodon.getHomeTimeline({ limit: 3 });
    expect(viaMegalodon.data.map((s) => s.id)).toEqual(home.map((s) => s.id));
    expect(viaMegalodon.headers.link).toContain(`max_id=${home[2]!.id}`);
  });

  test("bob's home never shows alice's followers-only or direct posts meant for others", async () => {
    const bobHome = await bobMasto.v1.timelines.home.list({ limit: 40 });
    expect(bobHome.some((s) => s.content.includes("a followers post"))).toBe(false);
    const campStream = await bobMasto.v1.timelines.public.list({ local: true, limit: 40 });
    expect(campStream.some((s) => s.content.includes("a followers post"))).toBe(false);
    expect(campStream.some((s) => s.content.includes("a camp post"))).toBe(true);
  });

  test("notifications: bob is told of the mention, then of alice's favourite", async () => {
    const mention = (await bobMasto.v1.notifications.list()).find((n) => n.type === "mention");
    expect(mention?.status?.content).toContain("just for");
    const bobPost = await bobMasto.v1.statuses.create({ status: "bob's camp news" });
    await megalodon.favouriteStatus(bobPost.id);
    const notes = await bobMasto.v1.notifications.list({ types: ["favourite"] });
    expect(notes[0]).toMatchObject({ type: "favourite", account: { acct: "alice" }, status: { id: bobPost.id } });
    const aliceNotes = await megalodon.getNotifications();
    expect(aliceNotes.data.map((n) => n.type)).not.toContain("favourite");
  });
});

describe("polls", () => {
  test("masto posts a poll, bob votes, and the results show once he has voted", async () => {
    const status = await masto.v1.statuses.create({ status: "Picnic or hike?", poll: { options: ["picnic", "hike"], expiresIn: 3600 } });
    expect(status.poll).toMatchObject({ multiple: false, expired: false, voted: false, options: [{ title: "picnic" }, { title: "hike" }] });
    const before = await bobMasto.v1.polls.$select(status.poll!.id).fetch();
    expect(before.options.map((o) => o.votesCount as number | null)).toEqual([null, null]);
    const voted = await bobMasto.v1.polls.$select(status.poll!.id).votes.create({ choices: [1] });
    expect(voted).toMatchObject({ voted: true, ownVotes: [1], votersCount: 1 });
    expect(voted.options.map((o) => o.votesCount)).toEqual([0, 1]);
  });
});

describe("search", () => {
  test("masto and megalodon search the camp; a followers-only post of someone else is never found", async () => {
    const found = await bobMasto.v2.search.list({ q: "picnic", type: "statuses" });
    expect(found.statuses.map((s) => s.content).join()).toContain("Picnic or hike?");
    const people = await megalodon.search("bob", { type: "accounts" });
    expect(people.data.accounts.map((a) => a.acct)).toContain("bob");
    await masto.v1.statuses.create({ status: "zebra secret for followers", visibility: "private", localOnly: false } as mastodon.rest.v1.CreateStatusParams);
    expect((await bobMasto.v2.search.list({ q: "zebra" })).statuses).toEqual([]);
    expect((await masto.v2.search.list({ q: "zebra" })).statuses).toHaveLength(1);
  });
});

describe("media", () => {
  test("masto uploads an image with a description and posts it", async () => {
    const media = await masto.v2.media.create({ file: new Blob([solidPng(12, 10)], { type: "image/png" }), description: "a green square" });
    expect(media).toMatchObject({ type: "image", description: "a green square" });
    const status = await masto.v1.statuses.create({ status: "look", mediaIds: [media.id], visibility: "private" });
    expect(status.mediaAttachments).toHaveLength(1);
    expect(status.mediaAttachments[0]).toMatchObject({ id: media.id, description: "a green square" });
    // The image of a camp-only post loads for the app through its signed link, and not without it.
    const url = new URL(status.mediaAttachments[0]!.url!);
    const file = await fetch(url);
    expect([file.status, file.headers.get("content-type")]).toEqual([200, "image/png"]);
    expect((await fetch(url.origin + url.pathname)).status).toBe(404);
    url.searchParams.set("as", String(Number(url.searchParams.get("as")) + 1));
    expect((await fetch(url)).status).toBe(404);
  });
});

describe("with a server elsewhere", () => {
  test("alice finds someone on the peer and follows them; the peer gets the Follow", async () => {
    const host = new URL(peer.origin).host;
    const found = await masto.v1.accounts.search.list({ q: `pat@${host}`, resolve: true });
    expect(found[0]?.acct).toBe(`pat@${host}`);
    const relationship = await masto.v1.accounts.$select(found[0]!.id).follow();
    expect(relationship.requested).toBe(true);
    await camp.settle();
    const received = await peer.waitFor((a) => a.type === "Follow" && JSON.stringify(a.json).includes(`${camp.config.origin}/users/alice`), "alice's Follow");
    expect(JSON.stringify(received.json)).toContain(peer.actorUri("pat"));
  });

  test("a camp-only post made through the API never reaches a follower on the peer; a public one does", async () => {
    const alice = await peer.lookup(`@alice@${camp.config.domain}`);
    expect(alice).toBeInstanceOf(Person);
    await peer.send("sam", alice as Person, new Follow({ id: new URL(`${peer.origin}/follows/sam-alice`), actor: new URL(peer.actorUri("sam")), object: (alice as Person).id }));
    await camp.settle();
    await peer.waitFor((a) => a.type === "Accept" && JSON.stringify(a.json).includes("sam-alice"), "the Accept of sam's follow");
    const campPost = await masto.v1.statuses.create({ status: "secret camp plans", visibility: "public", localOnly: true } as mastodon.rest.v1.CreateStatusParams);
    const privatePost = await masto.v1.statuses.create({ status: "more camp plans", visibility: "private" });
    const marker = await masto.v1.statuses.create({ status: "hello, sam", visibility: "public" });
    await camp.settle();
    await peer.waitFor((a) => a.type === "Create" && JSON.stringify(a.json).includes(`/posts/${marker.id}`), "the public post");
    const everything = JSON.stringify(peer.received.map((a) => a.json));
    for (const id of [campPost.id, privatePost.id]) expect(everything).not.toContain(`/posts/${id}`);
    expect(everything).not.toContain("camp plans");
    const rows = await camp.db.selectFrom("posts").select("audience").where("author_id", "=", aliceId).where("id", "in", [Number(campPost.id), Number(privatePost.id)]).execute();
    expect(rows.map((r) => r.audience)).toEqual(["camp", "camp"]);
  });
});
