/**
 * Live updates, driven by the database through the audience gate: a subscriber hears of a new post
 * in the stream they read within 2 s, never of a post they may not see (camp-only to nobody outside,
 * followers-only to a non-follower, direct to someone not mentioned), never of their own, and stops
 * hearing anything once suspended. A second connection to the same SQLite file (as another HTTP
 * worker process would have) sees posts written through the first.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLiveHub, type LiveUpdate } from "../src/domain/live/hub.ts";
import { newPostIds } from "../src/domain/live/streams.ts";
import { openStore, type Store } from "../src/db/open.ts";
import { suspendMember } from "../src/domain/members/moderation.ts";
import { unreadCount } from "../src/domain/notifications/inbox.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { follows, postAs } from "./support/posts.ts";

let camp: TestCamp;
let other: Store;
let ann: number, bob: number, cleo: number, dana: number;
beforeAll(async () => {
  camp = await testCamp();
  ann = await camp.addMember("ann");
  bob = await camp.addMember("bob");
  cleo = await camp.addMember("cleo");
  dana = await camp.addMember("dana");
  await follows(camp, bob, ann);
  // Another process's view of the same file: its own connection, its own hub.
  other = await openStore(camp.config.dbFile);
});
afterAll(async () => {
  await other.close();
  await camp.close();
});

/** Collects a subscriber's updates, and waits for the next one (or gives up after `ms`). */
function listener() {
  const updates: LiveUpdate[] = [];
  let wake: (() => void) | null = null;
  return {
    updates,
    push(update: LiveUpdate) {
      updates.push(update);
      wake?.();
    },
    next(ms: number): Promise<LiveUpdate | null> {
      const seen = updates.length;
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(null), ms);
        wake = () => {
          if (updates.length > seen) { clearTimeout(timer); resolve(updates[seen]!); }
        };
      });
    },
  };
}

const newest = async () => Number((await camp.db.selectFrom("posts").select((eb) => eb.fn.max("id").as("id")).executeTakeFirst())?.id ?? 0);
const postIdsIn = (updates: LiveUpdate[]) => updates.flatMap((u) => (u.kind === "posts" ? u.postIds : []));

describe("the live hub", () => {
  test("a post in the Camp stream arrives within 2 s, through another process's connection", async () => {
    const hub = createLiveHub(other.db, 100, (error) => { throw error; });
    const bobHears = listener();
    const stop = hub.subscribe({ memberId: bob, stream: { kind: "camp" }, afterPostId: await newest(), notifications: false }, bobHears.push);
    try {
      const started = Date.now();
      const arriving = bobHears.next(2000);
      const id = await postAs(camp, ann, { source: "lake on Saturday?" });
      const update = await arriving;
      expect(update).toEqual({ kind: "posts", postIds: [id] });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      stop();
    }
    expect(hub.size).toBe(0);
  });

  test("posts the reader may not see never arrive; the one they may see does, alone", async () => {
    const hub = createLiveHub(camp.db, 100, (error) => { throw error; });
    const cleoHears = listener();
    const stop = hub.subscribe({ memberId: cleo, stream: { kind: "camp" }, afterPostId: await newest(), notifications: false }, cleoHears.push);
    try {
      // Cleo does not follow Ann and is not mentioned.
      await postAs(camp, ann, { source: "followers only", audience: "followers" });
      await postAs(camp, ann, { source: "just for @bob", audience: "direct" });
      await postAs(camp, cleo, { source: "my own post" });
      const visible = await postAs(camp, ann, { source: "for the camp" });
      await cleoHears.next(2000);
      await Bun.sleep(400);
      expect(postIdsIn(cleoHears.updates)).toEqual([visible]);
    } finally {
      stop();
    }
  });

  test("Home brings followed people's posts; a follower hears of followers-only posts", async () => {
    const hub = createLiveHub(camp.db, 100, (error) => { throw error; });
    const bobHears = listener();
    const stop = hub.subscribe({ memberId: bob, stream: { kind: "home" }, afterPostId: await newest(), notifications: false }, bobHears.push);
    try {
      await postAs(camp, dana, { source: "bob does not follow dana" });
      const forFollowers = await postAs(camp, ann, { source: "for my followers", audience: "followers" });
      await bobHears.next(2000);
      await Bun.sleep(300);
      expect(postIdsIn(bobHears.updates)).toEqual([forFollowers]);
    } finally {
      stop();
    }
  });

  test("replies in an open conversation arrive; the unread count is announced and follows a mention", async () => {
    const root = await postAs(camp, ann, { source: "thread root" });
    const hub = createLiveHub(camp.db, 100, (error) => { throw error; });
    const annHears = listener();
    const stop = hub.subscribe({ memberId: ann, stream: { kind: "thread", rootId: root }, afterPostId: await newest(), notifications: true }, annHears.push);
    try {
      const unreadBefore = await unreadCount(camp.db, ann);
      expect(await annHears.next(2000)).toEqual({ kind: "unread", count: unreadBefore });
      const reply = await postAs(camp, bob, { source: "a reply, @ann", inReplyToId: root });
      await annHears.next(2000);
      await Bun.sleep(300);
      expect(postIdsIn(annHears.updates)).toEqual([reply]);
      const unreadNow = await unreadCount(camp.db, ann);
      expect(unreadNow).toBeGreaterThan(unreadBefore);
      expect(annHears.updates.filter((u) => u.kind === "unread").at(-1)).toEqual({ kind: "unread", count: unreadNow });
    } finally {
      stop();
    }
  });

  test("a suspended member hears nothing more", async () => {
    const hub = createLiveHub(camp.db, 100, (error) => { throw error; });
    const danaHears = listener();
    const stop = hub.subscribe({ memberId: dana, stream: { kind: "camp" }, afterPostId: await newest(), notifications: true }, danaHears.push);
    try {
      await danaHears.next(2000);
      await suspendMember(camp.db, dana, { id: await camp.addMember("olga", "operator"), role: "operator" });
      const before = danaHears.updates.length;
      await postAs(camp, ann, { source: "after the suspension" });
      await Bun.sleep(600);
      expect(danaHears.updates.length).toBe(before);
      expect(await newPostIds(camp.db, { kind: "anonymous" }, dana, { kind: "camp" }, 0)).toEqual([]);
    } finally {
      stop();
    }
  });
});

test("closing the hub (the server stopping) tells every subscriber and stops polling", async () => {
  const hub = createLiveHub(camp.db, 100, (error) => { throw error; });
  const heard: LiveUpdate[] = [];
  hub.subscribe({ memberId: bob, stream: { kind: "camp" }, afterPostId: 0, notifications: false }, (u) => heard.push(u));
  hub.close();
  expect(heard.at(-1)).toEqual({ kind: "closed" });
  expect(hub.size).toBe(0);
  await postAs(camp, ann, { source: "after closing" });
  await Bun.sleep(300);
  expect(heard.filter((u) => u.kind === "posts")).toEqual([]);
});
