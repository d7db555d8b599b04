/**
 * Polls against a real ActivityPub server nobody here wrote (Fedify 2.3.6 on loopback), both ways:
 * a member's public poll leaves as a Question in Mastodon's shape, the peer's vote (a Create(Note)
 * with a name) is counted and the new counts leave as an Update; the peer's Question arrives as a
 * poll, a member's vote on it leaves as a Note addressed to its author alone, and the peer's
 * Update brings new counts. Camp-only polls never leave; oversized Questions lose their poll.
 */
import { afterAll, beforeAll, describe, expect, test, setDefaultTimeout } from "bun:test";
import { Collection, Create, Follow, Mention, Note, Person, PUBLIC_COLLECTION, Question, Update } from "@fedify/vocab";
import { createPost } from "../src/domain/posts/create.ts";
import { voteInPoll } from "../src/domain/polls/vote.ts";
import { storeRemotePost } from "../src/domain/remote/posts.ts";
import { parsePost } from "../src/federation/vocab/parseNote.ts";
import { PUBLIC } from "../src/federation/vocab/context.ts";
import { federatedCamp, type FederatedCamp } from "./support/federation.ts";
import { startFedifyPeer, type FedifyPeer } from "./support/fedifyPeer.ts";

setDefaultTimeout(30_000);

let camp: FederatedCamp;
let peer: FedifyPeer;
let aliceId: number;
let alice: Person;

const postUri = (id: number) => `${camp.config.origin}/posts/${id}`;
const HOUR = 3600_000;

beforeAll(async () => {
  peer = await startFedifyPeer();
  camp = await federatedCamp();
  aliceId = await camp.addMember("alice");
  alice = (await peer.lookup(`@alice@${camp.config.domain}`)) as Person;
  await peer.send("pat", alice, new Follow({ id: new URL(`${peer.origin}/follows/pat-alice`), actor: new URL(peer.actorUri("pat")), object: alice.id }));
  await camp.settle();
  await peer.waitFor((a) => a.type === "Accept", "an Accept of the follow");
});
afterAll(async () => {
  await camp.close();
  await peer.close();
});

/** Runs the poll's delayed poll.changed event now (it waits a minute so that a burst of votes sends one Update). */
async function flushPollUpdates() {
  await camp.db.updateTable("jobs").set({ run_at: Date.now() }).where("dedupe_key", "like", "poll.changed %").execute();
  camp.worker.nudge();
  await camp.settle();
}

const option = (name: string, votes: number) => new Note({ name, replies: new Collection({ totalItems: votes }) });

describe("a member's poll, seen from the peer", () => {
  let pollId = 0;

  test("leaves as a Question: oneOf with names and counts, endTime, votersCount", async () => {
    pollId = await createPost(camp.db, { mediaDir: camp.config.mediaDir, domain: camp.config.domain }, aliceId, {
      source: "Tea or coffee?", contentWarning: "", audience: "public", poll: { options: ["Tea", "Coffee"], multiple: false, closesAt: Date.now() + HOUR },
    });
    await camp.settle();
    const create = await peer.waitFor((a) => a.type === "Create" && JSON.stringify(a.json).includes(postUri(pollId)), "the poll's Create");
    const object = create.json.object as Record<string, unknown>;
    expect(object.type).toBe("Question");
    expect(object.oneOf).toEqual([
      { type: "Note", name: "Tea", replies: { type: "Collection", totalItems: 0 } },
      { type: "Note", name: "Coffee", replies: { type: "Collection", totalItems: 0 } },
    ]);
    expect(typeof object.endTime).toBe("string");
    // Fedify reads it back as its own Question, with the options and the end time.
    const looked = await peer.lookup(postUri(pollId));
    expect(looked).toBeInstanceOf(Question);
    const question = looked as Question;
    expect((await Array.fromAsync(question.getExclusiveOptions())).map((o) => o.name?.toString())).toEqual(["Tea", "Coffee"]);
    expect(question.endTime?.epochMilliseconds).toBeGreaterThan(Date.now());
  });

  test("the peer's vote is counted once and the new counts leave as an Update", async () => {
    const vote = new Note({ id: new URL(`${peer.origin}/users/pat#votes/1`), name: "Coffee", replyTarget: new URL(postUri(pollId)), attribution: new URL(peer.actorUri("pat")), to: alice.id });
    await peer.send("pat", alice, new Create({ id: new URL(`${peer.origin}/users/pat#votes/1/activity`), actor: new URL(peer.actorUri("pat")), object: vote, to: alice.id }));
    const again = new Note({ id: new URL(`${peer.origin}/users/pat#votes/2`), name: "Tea", replyTarget: new URL(postUri(pollId)), attribution: new URL(peer.actorUri("pat")), to: alice.id });
    await peer.send("pat", alice, new Create({ id: new URL(`${peer.origin}/users/pat#votes/2/activity`), actor: new URL(peer.actorUri("pat")), object: again, to: alice.id }));
    await camp.settle();
    const votes = await camp.db.selectFrom("poll_votes").select("position").where("poll_id", "=", pollId).execute();
    expect(votes).toEqual([{ position: 1 }]);
    // Not a post of its own.
    expect(await camp.db.selectFrom("posts").select("id").where("uri", "like", `${peer.origin}/users/pat#votes/%`).execute()).toEqual([]);
    await flushPollUpdates();
    const update = await peer.waitFor((a) => a.type === "Update" && JSON.stringify(a.json).includes(postUri(pollId)), "the poll's Update");
    const object = update.json.object as Record<string, unknown>;
    expect(object.type).toBe("Question");
    expect((object.oneOf as { name: string; replies: { totalItems: number } }[]).map((o) => [o.name, o.replies.totalItems])).toEqual([["Tea", 0], ["Coffee", 1]]);
    expect(object.votersCount).toBe(1);
  });

  test("a camp-only poll and its votes never leave", async () => {
    const campPoll = await createPost(camp.db, { mediaDir: camp.config.mediaDir, domain: camp.config.domain }, aliceId, {
      source: "Secret ballot", contentWarning: "", audience: "camp", poll: { options: ["Yes", "No"], multiple: false, closesAt: Date.now() + HOUR },
    });
    const bob = await camp.addMember("bob");
    await voteInPoll(camp.db, bob, campPoll, [0]);
    await flushPollUpdates();
    const marker = await createPost(camp.db, { mediaDir: camp.config.mediaDir, domain: camp.config.domain }, aliceId, { source: "after the ballot", contentWarning: "", audience: "public" });
    await camp.settle();
    await peer.waitFor((a) => JSON.stringify(a.json).includes(postUri(marker)), "the marker post");
    expect(peer.received.filter((a) => JSON.stringify(a.json).includes(postUri(campPoll)) || JSON.stringify(a.json).includes("Secret ballot"))).toEqual([]);
  });
});

describe("the peer's poll, seen from the camp", () => {
  const questionUri = () => `${peer.origin}/notes/question-1`;
  const question = (counts: [number, number]) => new Question({
    id: new URL(questionUri()), attribution: new URL(peer.actorUri("pat")), content: "<p>Cats or dogs, @alice?</p>",
    to: PUBLIC_COLLECTION, tags: [new Mention({ href: alice.id, name: `@alice@${camp.config.domain}` })],
    exclusiveOptions: [option("Cats", counts[0]), option("Dogs", counts[1])],
    endTime: Temporal.Instant.fromEpochMilliseconds(Date.now() + HOUR), voters: counts[0] + counts[1],
  });
  let postId = 0;

  test("arrives as a post with its poll and the peer's counts", async () => {
    await peer.send("pat", alice, new Create({ id: new URL(`${questionUri()}/activity`), actor: new URL(peer.actorUri("pat")), object: question([3, 1]), to: PUBLIC_COLLECTION }));
    await camp.settle();
    postId = (await camp.db.selectFrom("posts").select("id").where("uri", "=", questionUri()).executeTakeFirstOrThrow()).id;
    const options = await camp.db.selectFrom("poll_options").select(["title", "votes_count"]).where("poll_id", "=", postId).orderBy("position").execute();
    expect(options).toEqual([{ title: "Cats", votes_count: 3 }, { title: "Dogs", votes_count: 1 }]);
    const page = await (await camp.loggedIn("alice")).get(`/posts/${postId}`);
    expect(await page.text()).toContain(`action="/posts/${postId}/vote"`);
  });

  test("a member's vote leaves as a Note named after the option, to the poll's author alone; it cannot be changed", async () => {
    await voteInPoll(camp.db, aliceId, postId, [1]);
    await camp.settle();
    const create = await peer.waitFor((a) => a.type === "Create" && JSON.stringify(a.json).includes(questionUri()), "the vote");
    const note = create.json.object as Record<string, unknown>;
    expect(note.type).toBe("Note");
    expect(note.name).toBe("Dogs");
    expect(note.inReplyTo).toBe(questionUri());
    expect(note.to).toBe(peer.actorUri("pat"));
    expect(JSON.stringify(create.json)).not.toContain("Public");
    expect(voteInPoll(camp.db, aliceId, postId, [0])).rejects.toThrow("cannot be changed");
  });

  test("the peer's Update brings new counts, keeping the member's vote", async () => {
    await peer.send("pat", alice, new Update({ id: new URL(`${questionUri()}#update-1`), actor: new URL(peer.actorUri("pat")), object: question([3, 2]), to: PUBLIC_COLLECTION }));
    await camp.settle();
    const options = await camp.db.selectFrom("poll_options").select("votes_count").where("poll_id", "=", postId).orderBy("position").execute();
    expect(options.map((o) => o.votes_count)).toEqual([3, 2]);
    expect(await camp.db.selectFrom("poll_votes").select("account_id").where("poll_id", "=", postId).execute()).toEqual([{ account_id: aliceId }]);
  });

  test("a Question with 10,000 options, or an option name of 1 MB, is kept as a post without its poll, and its page stays whole", async () => {
    // Read and stored the way the inbox does (parsePost, then storeRemotePost); sending such bodies
    // through the peer only measures Fedify's JSON-LD processing.
    const pat = await camp.db.selectFrom("accounts").select(["id", "followers_uri"]).where("uri", "=", peer.actorUri("pat")).executeTakeFirstOrThrow();
    const options = (names: string[]) => names.map((name) => ({ type: "Note", name, replies: { type: "Collection", totalItems: 1 } }));
    for (const [n, oneOf] of [[2, options(Array.from({ length: 10_000 }, (_, i) => `o${i}`))], [3, options(["x".repeat(1024 * 1024), "y"])]] as const) {
      const uri = `${peer.origin}/notes/question-${n}`;
      const parsed = await parsePost(camp.db, camp.config.origin, {
        id: uri, type: "Question", attributedTo: peer.actorUri("pat"), content: `<p>Huge poll ${n}</p>`, to: [PUBLIC], oneOf, endTime: new Date(Date.now() + HOUR).toISOString(),
      }, pat);
      const id = await storeRemotePost(camp.db, parsed!);
      expect(await camp.db.selectFrom("polls").select("post_id").where("post_id", "=", id).execute()).toEqual([]);
      const page = await (await camp.loggedIn("alice")).get(`/posts/${id}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(`Huge poll ${n}`);
    }
  });
});
