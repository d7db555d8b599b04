/**
 * Following between members from the profile page, the follower and following lists and counts
 * (accepted follows between accounts not suspended), a profile's posts as the viewer may see them,
 * the onboarding checklist staying true, and a post's images served only to those who may see the post.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testCamp, type TestCamp, type TestClient } from "./support/camp.ts";
import { articleKeysIn, follows, postAs } from "./support/posts.ts";
import { textOf } from "./support/pages.ts";
import { solidPng } from "./support/png.ts";
import { checklistsFor } from "../src/domain/members/checklist.ts";

let camp: TestCamp;
let ann = 0;
let bob = 0;
let annClient: TestClient;
let bobClient: TestClient;

beforeAll(async () => {
  camp = await testCamp();
  ann = await camp.addMember("ann");
  bob = await camp.addMember("bob");
  annClient = await camp.loggedIn("ann");
  bobClient = await camp.loggedIn("bob");
});
afterAll(() => camp.close());

describe("following from a profile", () => {
  test("the profile offers Follow; following shows on both lists and Unfollow takes it back", async () => {
    let profile = await (await annClient.get("/@bob")).text();
    expect(profile).toContain(`action="/accounts/${bob}/follow"`);
    const response = await annClient.post(`/accounts/${bob}/follow`);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/@bob");
    profile = await (await annClient.get("/@bob")).text();
    expect(profile).toContain(`action="/accounts/${bob}/unfollow"`);
    expect(textOf(profile)).toContain("1 followers");
    expect(textOf(await (await bobClient.get("/@bob/followers")).text())).toContain("@ann");
    expect(textOf(await (await bobClient.get("/@ann/following")).text())).toContain("@bob");
    expect((await annClient.post(`/accounts/${bob}/follow`)).status).toBe(409);
    expect((await annClient.post(`/accounts/${bob}/unfollow`)).status).toBe(303);
    expect(textOf(await (await bobClient.get("/@bob/followers")).text())).toContain("Nobody yet.");
    expect((await annClient.post(`/accounts/${bob}/unfollow`)).status).toBe(409);
  });

  test("following oneself, or someone who does not exist, is refused", async () => {
    expect((await annClient.post(`/accounts/${ann}/follow`)).status).toBe(422);
    expect((await annClient.post("/accounts/99999/follow")).status).toBe(404);
    expect((await annClient.post("/accounts/x1/follow")).status).toBe(404);
  });

  test("the operator's checklist sees the first post and the first follow", async () => {
    await postAs(camp, ann, { source: "my first post" });
    await annClient.post(`/accounts/${bob}/follow`);
    const list = (await checklistsFor(camp.db)).get(ann)!;
    expect(list.firstPost).toBe(true);
    expect(list.firstFollow).toBe(true);
  });
});

describe("a profile's follow counts", () => {
  test("count accepted follows only, and leave out suspended accounts on either side, as the lists do", async () => {
    const [kim, lou, max, nia] = [await camp.addMember("kim"), await camp.addMember("lou"), await camp.addMember("max"), await camp.addMember("nia")];
    for (const [follower, followee] of [[kim, lou], [max, lou], [lou, kim], [lou, max]] as const) await follows(camp, follower, followee);
    await camp.db.insertInto("follows").values({ follower_id: nia, followee_id: lou, state: "pending", created_at: Date.now() }).execute();
    await camp.db.insertInto("follows").values({ follower_id: lou, followee_id: nia, state: "pending", created_at: Date.now() }).execute();
    const counts = async () => textOf(await (await annClient.get("/@lou")).text()).match(/\d+ followers · \d+ following/)?.[0];
    const listed = async (list: string) => textOf(await (await annClient.get(`/@lou/${list}`)).text());
    expect(await counts()).toBe("2 followers · 2 following");
    expect(await listed("followers")).toContain("@max");
    expect(await listed("following")).toContain("@max");
    await camp.db.updateTable("accounts").set({ suspended_at: Date.now() }).where("id", "=", max).execute();
    expect(await counts()).toBe("1 followers · 1 following");
    expect(await listed("followers")).not.toContain("@max");
    expect(await listed("following")).not.toContain("@max");
    expect(await listed("followers")).toContain("@kim");
  });
});

describe("a profile's posts", () => {
  test("show what the viewer may see: a followers-only post for a follower, not for others", async () => {
    const cat = await camp.addMember("cat");
    const open = await postAs(camp, cat, { source: "for the camp" });
    const closed = await postAs(camp, cat, { source: "for followers", audience: "followers" });
    expect(articleKeysIn(await (await bobClient.get("/@cat")).text())).toEqual([open]);
    await bobClient.post(`/accounts/${cat}/follow`);
    expect(articleKeysIn(await (await bobClient.get("/@cat")).text())).toEqual([closed, open]);
  });
});

describe("images of a post", () => {
  test("are served to those who may see the post and are 404 for everyone else", async () => {
    const data = new FormData();
    data.append("_csrf", bobClient.csrf!);
    data.append("source", "followers get a picture");
    data.append("audience", "followers");
    data.append("image", new Blob([Uint8Array.from(solidPng())]), "p.png");
    data.append("alt", "a green square");
    expect((await bobClient.request("/posts", { method: "POST", body: data })).status).toBe(303);
    const media = await camp.db.selectFrom("media").select("storage_key").where("alt", "=", "a green square").executeTakeFirstOrThrow();
    const url = `/media/${media.storage_key}`;
    expect((await bobClient.get(url)).status).toBe(200);
    expect((await annClient.get(url)).status).toBe(200); // ann follows bob
    const dan = await camp.addMember("dan");
    expect(dan).toBeGreaterThan(0);
    expect((await (await camp.loggedIn("dan")).get(url)).status).toBe(404);
    expect((await camp.client().get(url)).status).toBe(404);
  });
});
