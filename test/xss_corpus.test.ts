/**
 * Hostile input through posting and through the bio: for each of the corpus' vectors the stored HTML
 * and the served pages (thread, Camp stream, profile) hold no script, no event handler, no htmx
 * attribute, no style attribute and no javascript:/data:/vbscript: URL.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testCamp, type TestCamp, type TestClient } from "./support/camp.ts";
import { dangersIn } from "./support/htmlSafety.ts";
import { XSS_CORPUS } from "./fixtures/xss_corpus.ts";

let camp: TestCamp;
let ann: TestClient;
let bob: TestClient;

beforeAll(async () => {
  camp = await testCamp();
  await camp.addMember("ann");
  await camp.addMember("bob");
  ann = await camp.loggedIn("ann");
  bob = await camp.loggedIn("bob");
});

afterAll(() => camp.close());

test("the corpus is big enough to mean something", () => {
  expect(XSS_CORPUS.length).toBeGreaterThanOrEqual(50);
});

test("the checker itself finds what it should (so a pass below means something)", async () => {
  const found = await dangersIn(`<p onclick="x" style="a" hx-get="/x" data-hx-post="/y"><a href="&#106;avascript:alert(1)">a</a><script>1</script></p>`);
  expect(found.map((f) => f.problem.split(" ")[0])).toEqual(expect.arrayContaining(["event", "style", "htmx", "dangerous", "script"]));
  expect(await dangersIn(`<p><a href="https://example.org" rel="nofollow">fine</a></p>`)).toEqual([]);
});

describe("through posting", () => {
  XSS_CORPUS.forEach((vector, i) => {
    test(`vector ${i + 1}: ${vector.slice(0, 60).replace(/\n/g, "\\n")}`, async () => {
      const response = await ann.post("/posts", { source: vector, contentWarning: i % 5 === 0 ? vector.slice(0, 400) : "", audience: "camp", next: "/" });
      expect(response.status).toBe(303);
      const id = Number(response.headers.get("location")!.match(/#post-(\d+)/)![1]);
      const stored = await camp.db.selectFrom("posts").select(["html", "source"]).where("id", "=", id).executeTakeFirstOrThrow();
      expect(stored.source).toBe(vector);
      expect(await dangersIn(stored.html)).toEqual([]);
      const thread = await (await bob.get(`/posts/${id}`)).text();
      expect(thread).toContain(`id="post-${id}"`);
      expect(await dangersIn(thread, { page: true })).toEqual([]);
    });
  });

  test("the Camp stream with every vector on it is clean", async () => {
    let path: string | null = "/camp";
    let pages = 0;
    while (path) {
      const html = await (await bob.get(path)).text();
      expect(await dangersIn(html, { page: true })).toEqual([]);
      const more = html.match(/<p class="more"><a href="([^"]+)"/);
      path = more ? more[1]!.replace(/&amp;/g, "&") : null;
      pages++;
    }
    expect(pages).toBeGreaterThan(1);
  });
});

describe("through the bio", () => {
  XSS_CORPUS.forEach((vector, i) => {
    test(`vector ${i + 1} in a bio`, async () => {
      const response = await ann.post("/settings/profile", { displayName: `Ann ${vector.slice(0, 40)}`, bio: vector });
      expect(response.status).toBe(303);
      const stored = await camp.db.selectFrom("accounts").select("bio_html").where("handle", "=", "ann").executeTakeFirstOrThrow();
      expect(await dangersIn(stored.bio_html)).toEqual([]);
      const profile = await (await bob.get("/@ann")).text();
      expect(profile).toContain('class="bio"');
      expect(await dangersIn(profile, { page: true })).toEqual([]);
    });
  });
});
