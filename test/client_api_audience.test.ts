/**
 * Apps see exactly what the audience gate lets their member see: for every audience and every kind
 * of member (author, follower, mentioned, other member, someone the author blocks), a status, its
 * context, the author's statuses, home and the camp stream through the API agree with `mayView`
 * (which post_visibility_table.test.ts holds to the hand-written table). A suspended member's token
 * answers 401.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { AUDIENCES, mayView } from "../src/domain/audience.ts";
import { suspendMember } from "../src/domain/members/moderation.ts";
import { blockAccount } from "../src/domain/remote/blocks.ts";
import { loadWithFacts } from "../src/domain/posts/visibility.ts";
import type { Audience } from "../src/db/schema.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { tokenFor } from "./support/clientApi.ts";
import { follows, postAs } from "./support/posts.ts";

setDefaultTimeout(30_000);

const KINDS = ["author", "follower", "mentioned", "other member", "blocked"] as const;
type Kind = (typeof KINDS)[number];

let camp: TestCamp;
let authorId: number;
const accounts = new Map<Kind, number>();
const tokens = new Map<Kind, string>();
const posts = new Map<Audience, number>();

beforeAll(async () => {
  camp = await testCamp();
  authorId = await camp.addMember("ann");
  const handles: Record<Kind, string> = { author: "ann", follower: "fay", mentioned: "meg", "other member": "oli", blocked: "bea" };
  accounts.set("author", authorId);
  for (const kind of KINDS.slice(1)) accounts.set(kind, await camp.addMember(handles[kind]));
  await follows(camp, accounts.get("follower")!, authorId);
  await follows(camp, accounts.get("blocked")!, authorId);
  for (const audience of AUDIENCES) posts.set(audience, await postAs(camp, authorId, { source: `For ${audience} readers, @meg`, audience }));
  for (const kind of KINDS) tokens.set(kind, await tokenFor(camp, handles[kind], "read"));
  await blockAccount(camp.db, authorId, accounts.get("blocked")!);
}, 60_000);
afterAll(() => camp.close());

const get = async (kind: Kind, path: string) => {
  const response = await camp.client().request(path, { headers: { authorization: `Bearer ${tokens.get(kind)}` } });
  return { status: response.status, body: await response.json() as any };
};

async function gateSays(kind: Kind, audience: Audience): Promise<boolean> {
  const viewer = { kind: "member" as const, accountId: accounts.get(kind)! };
  const id = posts.get(audience)!;
  return mayView(viewer, (await loadWithFacts(camp.db, viewer, [id])).get(id)!.facts);
}

describe("every audience against every kind of member, through the API", () => {
  for (const kind of KINDS) {
    for (const audience of AUDIENCES) {
      test(`${kind}, ${audience} post: status and context agree with the gate`, async () => {
        const expected = await gateSays(kind, audience);
        const id = posts.get(audience)!;
        const status = await get(kind, `/api/v1/statuses/${id}`);
        expect(status.status).toBe(expected ? 200 : 404);
        if (expected) expect(status.body.content).toContain(`For ${audience} readers`);
        expect((await get(kind, `/api/v1/statuses/${id}/context`)).status).toBe(expected ? 200 : 404);
      });
    }
    test(`${kind}: the author's statuses, home and the camp stream list exactly what the gate allows`, async () => {
      const allowed: string[] = [];
      for (const audience of AUDIENCES) if (await gateSays(kind, audience)) allowed.push(String(posts.get(audience)));
      const sorted = (ids: string[]) => [...ids].sort();
      const listed = (await get(kind, `/api/v1/accounts/${authorId}/statuses`)).body as { id: string }[];
      expect(sorted(listed.map((s) => s.id))).toEqual(sorted(allowed));
      const home = (await get(kind, "/api/v1/timelines/home?limit=40")).body as { id: string }[];
      const fromAuthor = (ids: string[]) => ids.filter((id) => [...posts.values()].map(String).includes(id));
      const expectedHome = kind === "author" || kind === "follower" ? allowed : [];
      expect(sorted(fromAuthor(home.map((s) => s.id)))).toEqual(sorted(expectedHome));
      const campStream = (await get(kind, "/api/v1/timelines/public?local=true&limit=40")).body as { id: string }[];
      expect(sorted(fromAuthor(campStream.map((s) => s.id)))).toEqual(sorted(allowed));
    });
  }

  test("the gate's answers are not all the same, so the table above can fail", async () => {
    const seen = new Set<boolean>();
    for (const kind of KINDS) for (const audience of AUDIENCES) seen.add(await gateSays(kind, audience));
    expect(seen).toEqual(new Set([true, false]));
    expect(await gateSays("other member", "followers")).toBe(false);
    expect(await gateSays("other member", "camp")).toBe(true);
  });

  test("a suspended member's app is signed out: 401 everywhere", async () => {
    const operator = { id: await camp.addMember("olga", "operator"), role: "operator" };
    await suspendMember(camp.db, accounts.get("other member")!, operator);
    expect((await get("other member", `/api/v1/statuses/${posts.get("public")}`)).status).toBe(401);
    expect((await get("other member", "/api/v1/timelines/home")).status).toBe(401);
  });
});
