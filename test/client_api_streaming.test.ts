/**
 * Mastodon's streaming API against a served camp: a post made on the web reaches an app's user
 * stream as `event: update` with the same Status the timelines give, a mention arrives as
 * `event: notification`, edits and deletions as `status.update` and `delete`; a post the member may
 * not see (a camp-only post of someone who blocked them, a followers-only one) never arrives; the
 * subscription ends when the app disconnects; and masto's own streaming client (WebSocket) hears
 * the same events.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createStreamingAPIClient } from "masto";
import { closeLiveHub, liveHub } from "../src/domain/live/hub.ts";
import { revokeApp } from "../src/domain/oauth/tokens.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { tokenFor } from "./support/clientApi.ts";

setDefaultTimeout(30_000);

let camp: TestCamp;
let alice: string, bob: string, dana: string;
let aliceId: number, bobId: number, danaId: number;

beforeAll(async () => {
  camp = await testCamp();
  await camp.serve();
  aliceId = await camp.addMember("alice");
  bobId = await camp.addMember("bob");
  danaId = await camp.addMember("dana");
  [alice, bob, dana] = await Promise.all([tokenFor(camp, "alice"), tokenFor(camp, "bob"), tokenFor(camp, "dana")]);
  await api(bob, `/api/v1/accounts/${aliceId}/follow`, "POST");
}, 60_000);
afterAll(async () => {
  closeLiveHub(camp.db);
  await camp.close();
});

/** Waits until the camp's live hub has `count` subscribers (a stream subscribes once its request is read). */
async function subscribers(count: number): Promise<number> {
  const hub = liveHub(camp.db, () => undefined);
  const deadline = Date.now() + 8000;
  while (hub.size !== count && Date.now() < deadline) await Bun.sleep(50);
  return hub.size;
}

async function api(token: string, path: string, method = "GET", body?: unknown) {
  const response = await fetch(camp.config.origin + path, {
    method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() as any };
}

interface SseEvent { event: string; data: string }

/** Opens an SSE stream the way an app does and collects its events and comments until closed. */
async function openStream(path: string, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const response = await fetch(camp.config.origin + path, { headers, signal: abort.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let wake = () => {};
  const reading = (async () => {
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += value;
        let cut: number;
        while ((cut = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 1);
          if (line.startsWith(":")) comments.push(line);
          else if (line.startsWith("event: ")) events.push({ event: line.slice(7), data: "" });
          else if (line.startsWith("data: ")) events[events.length - 1]!.data = line.slice(6);
          else if (line === "") wake();
        }
      }
    } catch {
      // aborted by the test
    }
  })();
  return {
    response, events, comments,
    /** Settles when the server ends the stream. */
    ended: reading,
    /** Waits for an event that matches (resolves null after `ms`). */
    async next(match: (e: SseEvent) => boolean, ms = 5000): Promise<SseEvent | null> {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = events.find(match);
        if (found || Date.now() > deadline) return found ?? null;
        await new Promise<void>((resolve) => { wake = resolve; setTimeout(resolve, 100); });
      }
    },
    async close() {
      abort.abort();
      await reading;
    },
  };
}

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const statusOf = (e: SseEvent | null) => (e ? JSON.parse(e.data) : null);

describe("the streaming endpoints", () => {
  test("health answers OK; an unknown stream, a missing token and a missing scope are refused as Mastodon does", async () => {
    const health = await fetch(`${camp.config.origin}/api/v1/streaming/health`);
    expect([health.status, await health.text()]).toEqual([200, "OK"]);
    const unknown = await fetch(`${camp.config.origin}/api/v1/streaming/nonsense`, { headers: auth(bob) });
    expect([unknown.status, await unknown.json()]).toEqual([400, { error: "Unknown stream type" }]);
    const noToken = await fetch(`${camp.config.origin}/api/v1/streaming/user`);
    expect(noToken.status).toBe(401);
    expect((await noToken.json()).error).toBeString();
    const notificationsOnly = await tokenFor(camp, "bob", "read:notifications");
    const user = await fetch(`${camp.config.origin}/api/v1/streaming/user`, { headers: auth(notificationsOnly) });
    expect(user.status).toBe(403);
    await user.body?.cancel();
    const notifications = await openStream("/api/v1/streaming/user/notification", auth(notificationsOnly));
    expect(notifications.response.status).toBe(200);
    await notifications.close();
  });

  test("a post made on the web reaches bob's user stream as an update, the same Status the timeline gives", async () => {
    const stream = await openStream("/api/v1/streaming/user", auth(bob));
    try {
      expect(stream.response.headers.get("content-type")).toStartWith("text/event-stream");
      const browser = await camp.loggedIn("alice");
      expect((await browser.post("/posts", { source: "tea at four, on the web", audience: "camp" })).status).toBe(303);
      const update = await stream.next((e) => e.event === "update" && e.data.includes("tea at four"));
      expect(update).not.toBeNull();
      const status = statusOf(update);
      const viaRest = await api(bob, `/api/v1/statuses/${status.id}`);
      expect(status).toEqual(viaRest.body);
      expect(status).toMatchObject({ visibility: "private", local_only: true, account: { acct: "alice" } });
      expect(stream.comments[0]).toBe(":)");
    } finally {
      await stream.close();
    }
  });

  test("a mention arrives as a notification; a token given as access_token in the query works too", async () => {
    const stream = await openStream(`/api/v1/streaming?stream=user&access_token=${bob}`);
    try {
      const mention = await api(alice, "/api/v1/statuses", "POST", { status: "@bob are you coming?", visibility: "private" });
      const notification = statusOf(await stream.next((e) => e.event === "notification"));
      expect(notification).toMatchObject({ type: "mention", account: { acct: "alice" }, status: { id: mention.body.id } });
      const listed = await api(bob, "/api/v1/notifications");
      expect(notification).toEqual(listed.body[0]);
    } finally {
      await stream.close();
    }
  });

  test("an edit arrives as status.update and a deletion as delete with the id", async () => {
    const stream = await openStream("/api/v1/streaming/public/local", auth(bob));
    try {
      const post = await api(alice, "/api/v1/statuses", "POST", { status: "picnic at noon" });
      expect(await stream.next((e) => e.event === "update" && statusOf(e).id === post.body.id)).not.toBeNull();
      expect((await api(alice, `/api/v1/statuses/${post.body.id}`, "PUT", { status: "picnic at one" })).status).toBe(200);
      const edited = statusOf(await stream.next((e) => e.event === "status.update"));
      expect(edited).toMatchObject({ id: post.body.id, content: expect.stringContaining("picnic at one") });
      expect(edited.edited_at).toBeString();
      expect((await api(alice, `/api/v1/statuses/${post.body.id}`, "DELETE")).status).toBe(200);
      expect(await stream.next((e) => e.event === "delete")).toEqual({ event: "delete", data: post.body.id });
    } finally {
      await stream.close();
    }
  });
});

describe("tag and list streams", () => {
  test("a tag's stream brings the camp's posts with the tag; a list's stream its people's posts; another's list is refused", async () => {
    const tagged = await openStream("/api/v1/streaming/hashtag?tag=Picnic", auth(bob));
    const list = await api(bob, "/api/v1/lists", "POST", { title: "friends" });
    expect((await api(bob, `/api/v1/lists/${list.body.id}/accounts`, "POST", { account_ids: [String(aliceId)] })).status).toBe(200);
    const listed = await openStream(`/api/v1/streaming?stream=list&list=${list.body.id}`, auth(bob));
    try {
      const untagged = await api(dana, "/api/v1/statuses", "POST", { status: "no tag here" });
      const withTag = await api(dana, "/api/v1/statuses", "POST", { status: "bring blankets #picnic" });
      const byAlice = await api(alice, "/api/v1/statuses", "POST", { status: "alice, for her listeners" });
      expect(statusOf(await tagged.next((e) => e.event === "update"))?.id).toBe(withTag.body.id);
      expect(statusOf(await listed.next((e) => e.event === "update"))?.id).toBe(byAlice.body.id);
      const heard = [...tagged.events, ...listed.events].map((e) => e.data).join("\n");
      expect(heard).not.toContain(`"id":"${untagged.body.id}"`);
      expect(tagged.events.map((e) => statusOf(e).id)).not.toContain(byAlice.body.id);
      expect(listed.events.map((e) => statusOf(e).id)).not.toContain(withTag.body.id);
    } finally {
      await tagged.close();
      await listed.close();
    }
    const notHers = await fetch(`${camp.config.origin}/api/v1/streaming/list?list=${list.body.id}`, { headers: auth(alice) });
    expect([notHers.status, await notHers.json()]).toEqual([404, { error: "List not found" }]);
    const noTag = await fetch(`${camp.config.origin}/api/v1/streaming/hashtag`, { headers: auth(bob) });
    expect([noTag.status, await noTag.json()]).toEqual([400, { error: "Missing tag name parameter" }]);
  });
});

describe("the audience gate", () => {
  test("bob never hears of a camp-only post of someone who blocked him, nor of followers-only posts he may not see", async () => {
    const stream = await openStream("/api/v1/streaming/public/local", auth(bob));
    const home = await openStream("/api/v1/streaming/user", auth(bob));
    try {
      expect((await api(dana, `/api/v1/accounts/${bobId}/block`, "POST")).body.blocking).toBe(true);
      const hidden = await api(dana, "/api/v1/statuses", "POST", { status: "dana's camp news, not for bob" });
      const forFollowers = await api(dana, "/api/v1/statuses", "POST", { status: "dana's followers only", visibility: "private", local_only: false });
      const toAlice = await api(dana, "/api/v1/statuses", "POST", { status: "@alice just between us", visibility: "direct" });
      const marker = await api(alice, "/api/v1/statuses", "POST", { status: "alice's marker" });
      // The marker comes after the hidden posts: once it has arrived, they would have too.
      expect(await stream.next((e) => e.event === "update" && statusOf(e).id === marker.body.id)).not.toBeNull();
      expect(await home.next((e) => e.event === "update" && statusOf(e).id === marker.body.id)).not.toBeNull();
      const heard = [...stream.events, ...home.events].map((e) => e.data).join("\n");
      for (const post of [hidden, forFollowers, toAlice]) expect(heard).not.toContain(`"id":"${post.body.id}"`);
      expect(heard).not.toContain("dana");
      // Nor of its deletion: bob only hears of deleted posts he could have seen.
      expect((await api(dana, `/api/v1/statuses/${hidden.body.id}`, "DELETE")).status).toBe(200);
      expect((await api(alice, `/api/v1/statuses/${marker.body.id}`, "DELETE")).status).toBe(200);
      expect(await stream.next((e) => e.event === "delete")).toEqual({ event: "delete", data: marker.body.id });
      expect(stream.events.filter((e) => e.event === "delete")).toEqual([{ event: "delete", data: marker.body.id }]);
      // Dana herself hears her camp post in the camp stream.
      const danaStream = await openStream("/api/v1/streaming/public/local", auth(dana));
      try {
        const own = await api(dana, "/api/v1/statuses", "POST", { status: "dana again" });
        expect(await danaStream.next((e) => e.event === "update" && statusOf(e).id === own.body.id)).not.toBeNull();
      } finally {
        await danaStream.close();
      }
    } finally {
      await stream.close();
      await home.close();
    }
  });
});

describe("disconnecting", () => {
  test("the subscription stops when the app goes away: the hub has no subscriber left", async () => {
    // The streams of the tests above end too, once the server notices their apps left.
    expect(await subscribers(0)).toBe(0);
    const stream = await openStream("/api/v1/streaming/user", auth(bob));
    expect(await subscribers(1)).toBe(1);
    await stream.close();
    expect(await subscribers(0)).toBe(0);
  });

  test("a stream ends when its token is revoked, as Revoke on the Settings page does", async () => {
    const token = await tokenFor(camp, "bob", "read");
    const stream = await openStream("/api/v1/streaming/user", auth(token));
    expect(await subscribers(1)).toBe(1);
    const app = await camp.db.selectFrom("oauth_tokens").select("app_id").where("account_id", "=", bobId).orderBy("id", "desc").executeTakeFirstOrThrow();
    await revokeApp(camp.db, bobId, app.app_id);
    const ended = await Promise.race([stream.ended.then(() => "ended"), Bun.sleep(12_000).then(() => "still open")]);
    expect(ended).toBe("ended");
    expect(await subscribers(0)).toBe(0);
  });
});

describe("over WebSocket", () => {
  test("masto's streaming client subscribes to the user stream and hears a new post and a notification", async () => {
    const client = createStreamingAPIClient({ streamingApiUrl: camp.config.origin.replace(/^http/, "ws"), accessToken: bob, retry: false });
    const subscription = client.user.subscribe();
    const heard: { event: string; payload: any }[] = [];
    const listening = (async () => {
      for await (const event of subscription) {
        heard.push(event as { event: string; payload: any });
        if (heard.some((e) => e.event === "notification")) break;
      }
    })();
    try {
      expect(await subscribers(1)).toBe(1);
      const post = await api(alice, "/api/v1/statuses", "POST", { status: "over the socket, @bob" });
      await Promise.race([listening, Bun.sleep(8000)]);
      expect(heard.find((e) => e.event === "update")?.payload).toMatchObject({ id: post.body.id, account: { acct: "alice" } });
      expect(heard.find((e) => e.event === "notification")?.payload).toMatchObject({ type: "mention", status: { id: post.body.id } });
    } finally {
      client.close();
    }
    expect(await subscribers(0)).toBe(0);
  });

  test("masto subscribes to a tag's stream over the same socket protocol", async () => {
    const client = createStreamingAPIClient({ streamingApiUrl: camp.config.origin.replace(/^http/, "ws"), accessToken: bob, retry: false });
    const heard: { event: string; payload: any; stream: string[] }[] = [];
    const listening = (async () => {
      for await (const event of client.hashtag.subscribe({ tag: "lake" })) {
        heard.push(event as { event: string; payload: any; stream: string[] });
        break;
      }
    })();
    try {
      expect(await subscribers(1)).toBe(1);
      const post = await api(alice, "/api/v1/statuses", "POST", { status: "swim at the #lake" });
      await Promise.race([listening, Bun.sleep(8000)]);
      expect(heard[0]).toMatchObject({ event: "update", stream: ["hashtag", "lake"], payload: { id: post.body.id } });
    } finally {
      client.close();
    }
    expect(await subscribers(0)).toBe(0);
  });

  test("a socket with a bad token is refused before it opens", async () => {
    const socket = new WebSocket(`${camp.config.origin.replace(/^http/, "ws")}/api/v1/streaming?stream=user&access_token=wrong`);
    const outcome = await new Promise<string>((resolve) => {
      socket.onopen = () => resolve("open");
      socket.onerror = () => resolve("refused");
    });
    expect(outcome).toBe("refused");
  });
});
