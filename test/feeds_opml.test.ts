/**
 * OPML: a feed reader's export adds many sources at once (folders flattened, duplicates and
 * non-web addresses skipped with a reason, a non-OPML file refused), and opmlOf writes a list that
 * reads back the same.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { opmlOf, readOpml } from "../src/domain/feeds/opml.ts";
import { testCamp, type TestCamp, type TestClient } from "./support/camp.ts";
import { textOf } from "./support/pages.ts";

let camp: TestCamp;
let alice: TestClient;
let aliceId: number;

const OPML = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>My reader</title></head><body>
  <outline text="Blogs">
    <outline type="rss" text="Ana's blog" xmlUrl="https://ana.example/feed.xml" htmlUrl="https://ana.example/"/>
    <outline type="rss" text="Again" xmlUrl="https://ana.example/feed.xml"/>
  </outline>
  <outline type="rss" title="Photos" text="photos" xmlUrl="https://photos.example/atom"/>
  <outline type="rss" text="Gopher" xmlUrl="gopher://old.example/feed"/>
</body></opml>`;

const upload = (text: string) => new Blob([text], { type: "text/xml" });

beforeAll(async () => {
  camp = await testCamp();
  aliceId = await camp.addMember("alice");
  alice = await camp.loggedIn("alice");
});
afterAll(() => camp.close());

test("an OPML file adds each feed once, with the chosen audience, and says what it skipped", async () => {
  const response = await alice.post("/settings/feeds/opml", { opml: upload(OPML), audience: "followers" });
  expect(response.status).toBe(200);
  const page = textOf(await response.text());
  expect(page).toContain("Added 2 feeds");
  expect(page).toContain("https://ana.example/feed.xml (You already follow https://ana.example/feed.xml as a source.)");
  const sources = await camp.db.selectFrom("feed_sources").select(["label", "url", "audience", "poll_token"]).where("account_id", "=", aliceId).orderBy("id").execute();
  expect(sources.map((s) => [s.label, s.url, s.audience])).toEqual([["Ana's blog", "https://ana.example/feed.xml", "followers"], ["Photos", "https://photos.example/atom", "followers"]]);
  // Each is checked by its first poll, queued with the source.
  const jobs = await camp.db.selectFrom("jobs").select("payload").where("kind", "=", "feed.poll").execute();
  expect(jobs.length).toBe(2);
});

test("a file that is not OPML, or a direct audience, is refused and adds nothing", async () => {
  const before = await camp.db.selectFrom("feed_sources").select("id").execute();
  const notOpml = await alice.post("/settings/feeds/opml", { opml: upload("<html><body>hello</body></html>"), audience: "camp" });
  expect(notOpml.status).toBe(422);
  expect(textOf(await notOpml.text())).toContain("not an OPML list of feeds");
  const direct = await alice.post("/settings/feeds/opml", { opml: upload(OPML.replaceAll("example", "other")), audience: "direct" });
  expect(direct.status).toBe(422);
  expect(await camp.db.selectFrom("feed_sources").select("id").execute()).toEqual(before);
});

test("opmlOf writes what readOpml reads back", () => {
  const sources = [{ label: "Ana & friends", url: "https://ana.example/feed.xml?a=1&b=2" }, { label: "Photos", url: "https://photos.example/atom" }];
  expect(readOpml(opmlOf("Alice's feeds", sources))).toEqual(sources);
});
