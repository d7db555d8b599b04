/**
 * Polls in the camp: writing one (plain form), every bad input refused with no half-written rows,
 * voting and changing a vote, raced votes from two tabs counting once, closed and invisible polls,
 * results only after voting or closing, and the author told when it closes.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testCamp, type TestCamp, type TestClient } from "./support/camp.ts";
import { postAs } from "./support/posts.ts";
import { voteInPoll } from "../src/domain/polls/vote.ts";
import { closePoll } from "../src/domain/polls/close.ts";
import { Refusal } from "../src/domain/errors.ts";

const HOUR = 3600_000;
let camp: TestCamp;
let ann = 0;
let bob = 0;
let annClient: TestClient;
let bobClient: TestClient;

beforeAll(async () => {
  camp = await testCamp();
  ann = await camp.addMember("ann");
  bob = await camp.addMember("bob");
  await camp.addMember("cy");
  annClient = await camp.loggedIn("ann");
  bobClient = await camp.loggedIn("bob");
});
afterAll(() => camp.close());

const poll = (options: string[], extra: { multiple?: boolean; closesAt?: number } = {}) =>
  ({ options, multiple: extra.multiple ?? false, closesAt: extra.closesAt ?? Date.now() + HOUR });
const pollPost = (authorId: number, options: string[], extra: { multiple?: boolean; closesAt?: number; audience?: string; source?: string } = {}) =>
  postAs(camp, authorId, { source: extra.source ?? "Which one?", audience: extra.audience ?? "camp", poll: poll(options, extra) });
const votesOf = (postId: number) => camp.db.selectFrom("poll_votes").select(["account_id", "position"]).where("poll_id", "=", postId).orderBy("position").execute();
const count = async (table: "posts" | "polls" | "poll_options") => Number((await camp.db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
const refusal = async (work: Promise<unknown>) => work.then(() => null, (error) => (error instanceof Refusal ? error : Promise.reject(error)));

describe("writing a poll", () => {
  test("from the compose form without JavaScript: the post carries the poll, closing after the chosen time", async () => {
    const before = Date.now();
    const response = await annClient.post("/posts", {
      source: "Picnic or museum?", audience: "camp", next: "/", poll_option_0: "Picnic", poll_option_1: "Museum", poll_option_2: "",
      poll_duration: "86400", poll_multiple: "",
    });
    expect(response.status).toBe(303);
    const id = Number(/#post-(\d+)/.exec(response.headers.get("location")!)![1]);
    const stored = await camp.db.selectFrom("polls").selectAll().where("post_id", "=", id).executeTakeFirstOrThrow();
    expect(stored.multiple).toBe(0);
    expect(stored.closes_at).toBeGreaterThanOrEqual(before + 86400_000);
    expect((await camp.db.selectFrom("poll_options").select("title").where("poll_id", "=", id).orderBy("position").execute()).map((o) => o.title)).toEqual(["Picnic", "Museum"]);
    const job = await camp.db.selectFrom("jobs").select(["run_at"]).where("kind", "=", "poll.close").where("dedupe_key", "=", `poll.close ${id}`).executeTakeFirstOrThrow();
    expect(job.run_at).toBe(stored.closes_at);
    const page = await (await bobClient.get(`/posts/${id}`)).text();
    expect(page).toContain(`action="/posts/${id}/vote"`);
    expect(page).toContain('type="radio" name="choice" value="1"');
  });

  const bad: [string, ReturnType<typeof poll>, string][] = [
    ["one option", poll(["Only"]), "at least 2 options"],
    ["fifty options", poll(Array.from({ length: 50 }, (_, i) => `o${i}`)), "at most 8 options"],
    ["duplicate options", poll(["Tea", "tea "]), "must be different"],
    ["an option of 101 characters", poll(["x".repeat(101), "y"]), "at most 100 characters"],
    ["a closing time in the past", poll(["a", "b"], { closesAt: Date.now() - HOUR }), "at least 5 minutes"],
    ["a closing time ten years out", poll(["a", "b"], { closesAt: Date.now() + 10 * 365 * 24 * HOUR }), "within 30 days"],
  ];
  for (const [name, input, message] of bad) {
    test(`${name} is refused with a clear message and nothing is written`, async () => {
      const [posts, polls, options] = [await count("posts"), await count("polls"), await count("poll_options")];
      const error = await refusal(postAs(camp, ann, { source: "A poll", poll: input }));
      expect(error?.kind).toBe("invalid");
      expect(error?.message).toContain(message);
      expect([await count("posts"), await count("polls"), await count("poll_options")]).toEqual([posts, polls, options]);
    });
  }

  test("through the form, a refused poll answers 422 with the message and the options kept", async () => {
    const response = await annClient.post("/posts", { source: "Bad poll", audience: "camp", next: "/", poll_option_0: "Same", poll_option_1: "same", poll_duration: "3600" });
    expect(response.status).toBe(422);
    const page = await response.text();
    expect(page).toContain("Each poll option must be different");
    expect(page).toContain('value="Same"');
  });
});

describe("voting", () => {
  test("without JavaScript: vote, see the results, change the vote; results stay hidden from others until they vote", async () => {
    const id = await pollPost(ann, ["Red", "Blue"]);
    expect(await (await bobClient.get(`/posts/${id}`)).text()).not.toContain("poll-results");
    expect(await (await annClient.get(`/posts/${id}`)).text()).toContain("poll-results");
    const voted = await bobClient.post(`/posts/${id}/vote`, { choice: "0", next: `/posts/${id}` });
    expect(voted.status).toBe(303);
    let page = await (await bobClient.get(`/posts/${id}`)).text();
    expect(page).toContain("poll-results");
    expect(page).toMatch(/Red<\/span><span class="poll-mine"> \(your choice\)<\/span> <span class="poll-count">1 vote, 100%/);
    expect(page).toContain("Change vote");
    await bobClient.post(`/posts/${id}/vote`, { choice: "1", next: `/posts/${id}` });
    expect(await votesOf(id)).toEqual([{ account_id: bob, position: 1 }]);
    page = await (await bobClient.get(`/posts/${id}`)).text();
    expect(page).toContain("1 person voted");
  });

  test("with htmx the answer is the poll box alone", async () => {
    const id = await pollPost(ann, ["Yes", "No"]);
    const response = await bobClient.request(`/posts/${id}/vote`, {
      method: "POST", headers: { "hx-request": "true", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: bobClient.csrf!, choice: "0", next: "/" }),
    });
    expect(response.status).toBe(200);
    const fragment = await response.text();
    expect(fragment).toStartWith('<section class="poll"');
    expect(fragment).toContain("1 vote, 100%");
  });

  test("two tabs voting at once on a single-choice poll: exactly one vote counts", async () => {
    const id = await pollPost(ann, ["Left", "Right", "Middle"]);
    await Promise.allSettled([voteInPoll(camp.db, bob, id, [0]), voteInPoll(camp.db, bob, id, [1]), voteInPoll(camp.db, bob, id, [2])]);
    expect((await votesOf(id)).length).toBe(1);
  });

  test("the database itself refuses a second single-choice row for one voter (the unique key, not a check in code)", async () => {
    const id = await pollPost(ann, ["A", "B"]);
    await voteInPoll(camp.db, bob, id, [0]);
    const second = camp.db.insertInto("poll_votes").values({ poll_id: id, account_id: bob, position: 1, slot: 0, created_at: Date.now() }).execute();
    expect(second).rejects.toThrow(/UNIQUE/);
  });

  test("multiple choice: several options count, and a new vote replaces the whole set", async () => {
    const id = await pollPost(ann, ["Mon", "Tue", "Wed"], { multiple: true });
    await voteInPoll(camp.db, bob, id, [0, 2]);
    expect((await votesOf(id)).map((v) => v.position)).toEqual([0, 2]);
    await voteInPoll(camp.db, bob, id, [1]);
    expect((await votesOf(id)).map((v) => v.position)).toEqual([1]);
    const page = await (await bobClient.get(`/posts/${id}`)).text();
    expect(page).toContain('type="checkbox" name="choice" value="1" checked=""');
  });

  const refusedVotes: [string, () => Promise<[number, number[]]>, string, number][] = [
    ["no choice", async () => [await pollPost(ann, ["a", "b"]), []], "Choose an option", 422],
    ["two choices on a single-choice poll", async () => [await pollPost(ann, ["a", "b"]), [0, 1]], "takes one choice", 422],
    ["an option that is not there", async () => [await pollPost(ann, ["a", "b"]), [7]], "not in this poll", 422],
  ];
  for (const [name, setup, message, status] of refusedVotes) {
    test(`${name}: ${status} with a message, no vote`, async () => {
      const [id, choices] = await setup();
      const body = new URLSearchParams([["_csrf", bobClient.csrf!], ...choices.map((c) => ["choice", String(c)])]);
      const response = await bobClient.request(`/posts/${id}/vote`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
      expect(response.status).toBe(status);
      expect(await response.text()).toContain(message);
      expect(await votesOf(id)).toEqual([]);
    });
  }

  test("after closing: 409, no vote, results shown to everyone", async () => {
    const id = await pollPost(ann, ["x", "y"]);
    await camp.db.updateTable("polls").set({ closes_at: Date.now() - 1000 }).where("post_id", "=", id).execute();
    const response = await bobClient.post(`/posts/${id}/vote`, { choice: "0" });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("This poll has closed");
    expect(await votesOf(id)).toEqual([]);
    const page = await (await bobClient.get(`/posts/${id}`)).text();
    expect(page).toContain("poll-results");
    expect(page).not.toContain(`action="/posts/${id}/vote"`);
  });

  test("a poll the member may not see: 404 through the gate, no vote", async () => {
    const id = await pollPost(ann, ["x", "y"], { audience: "direct", source: "Only for @cy" });
    const response = await bobClient.post(`/posts/${id}/vote`, { choice: "0" });
    expect(response.status).toBe(404);
    expect(await votesOf(id)).toEqual([]);
    expect((await camp.client().post(`/posts/${id}/vote`, { choice: "0" })).status).toBe(303);
    expect(await votesOf(id)).toEqual([]);
  });
});

describe("closing", () => {
  test("at its end time the poll closes once and its author is notified", async () => {
    const id = await pollPost(ann, ["x", "y"]);
    await voteInPoll(camp.db, bob, id, [1]);
    expect(await closePoll(camp.db, id)).toBe(false);
    await camp.db.updateTable("polls").set({ closes_at: Date.now() - 1 }).where("post_id", "=", id).execute();
    expect(await closePoll(camp.db, id)).toBe(true);
    expect(await closePoll(camp.db, id)).toBe(false);
    const notes = await camp.db.selectFrom("notifications").select(["recipient_id", "kind"]).where("post_id", "=", id).execute();
    expect(notes).toEqual([{ recipient_id: ann, kind: "poll" }]);
    expect(await (await annClient.get("/notifications")).text()).toContain("ran a poll that has now closed");
  });
});
