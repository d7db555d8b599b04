/**
 * Followed tags through the client API, driven by masto: following a tag lists it, shows
 * `following: true`, and brings its posts the member may see into their Home (the same rule as on
 * the web: followers-only posts of people they do not follow stay out); unfollowing undoes it; a
 * name that is not a tag and a token without write:follows are refused.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { createRestAPIClient, type mastodon } from "masto";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { tokenFor } from "./support/clientApi.ts";

setDefaultTimeout(30_000);

let camp: TestCamp;
let alice: mastodon.rest.Client;
let bob: mastodon.rest.Client;
let aliceToken: string;

beforeAll(async () => {
  camp = await testCamp();
  await camp.serve();
  await camp.addMember("alice");
  await camp.addMember("bob");
  aliceToken = await tokenFor(camp, "alice");
  alice = createRestAPIClient({ url: camp.config.origin, accessToken: aliceToken });
  bob = createRestAPIClient({ url: camp.config.origin, accessToken: await tokenFor(camp, "bob") });
}, 60_000);
afterAll(() => camp.close());

const homeContents = async () => (await alice.v1.timelines.home.list({ limit: 40 })).map((s) => s.content).join("\n");

describe("followed tags", () => {
  test("alice follows #Gardening: it is listed, the tag says following, and its posts reach her Home", async () => {
    const followed = await alice.v1.tags.$select("Gardening").follow();
    expect(followed).toMatchObject({ name: "gardening", following: true, url: `${camp.config.origin}/tags/gardening` });
    expect((await alice.v1.followedTags.list()).map((t) => [t.name, t.following])).toEqual([["gardening", true]]);
    expect((await alice.v1.tags.$select("gardening").fetch()).following).toBe(true);
    expect((await bob.v1.tags.$select("gardening").fetch()).following).toBe(false);

    await bob.v1.statuses.create({ status: "tomatoes need sun #gardening" });
    await bob.v1.statuses.create({ status: "only for my followers #gardening", visibility: "private", localOnly: false } as mastodon.rest.v1.CreateStatusParams);
    const home = await homeContents();
    expect(home).toContain("tomatoes need sun");
    expect(home).not.toContain("only for my followers");
  });

  test("unfollowing takes the tag off the list and its posts out of Home", async () => {
    const unfollowed = await alice.v1.tags.$select("gardening").unfollow();
    expect(unfollowed).toMatchObject({ name: "gardening", following: false });
    expect(await alice.v1.followedTags.list()).toEqual([]);
    expect(await homeContents()).not.toContain("tomatoes need sun");
  });

  test("a name that is not a tag is not found; a token that may only read cannot follow", async () => {
    const bad = await fetch(`${camp.config.origin}/api/v1/tags/${encodeURIComponent("no spaces!")}/follow`, { method: "POST", headers: { authorization: `Bearer ${aliceToken}` } });
    expect([bad.status, await bad.json()]).toEqual([404, { error: "Record not found" }]);
    const readOnly = await tokenFor(camp, "alice", "read");
    const refused = await fetch(`${camp.config.origin}/api/v1/tags/cooking/follow`, { method: "POST", headers: { authorization: `Bearer ${readOnly}` } });
    expect(refused.status).toBe(403);
    expect(await alice.v1.followedTags.list()).toEqual([]);
  });
});
