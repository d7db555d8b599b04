/**
 * The visibility table: every audience against every kind of viewer, asked three ways — the
 * in-memory rule (mayView), the SQL rule (visibleTo) on the real database, and the thread page's
 * HTTP status — plus the profile stream, search (domain and page), list streams and polls (votes and
 * results). All must agree with the table written here by hand.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { testCamp, type TestCamp, type TestClient } from "./support/camp.ts";
import { follows, idsOf, postAs } from "./support/posts.ts";
import { AUDIENCES, mayView, visibleTo, wasVisibleTo, type Viewer } from "../src/domain/audience.ts";
import { deletedPostsSeenBy } from "../src/domain/live/changes.ts";
import { loadWithFacts, viewerForAccount } from "../src/domain/posts/visibility.ts";
import { profileStream } from "../src/domain/timelines/streams.ts";
import { suspendMember } from "../src/domain/members/moderation.ts";
import { anonymous } from "../src/domain/audience.ts";
import { searchIdsQuery, searchPosts } from "../src/domain/search/posts.ts";
import { searchTerms } from "../src/domain/search/terms.ts";
import { addToList, createList } from "../src/domain/lists/lists.ts";
import { listIdsQuery, listStream } from "../src/domain/lists/listStream.ts";
import { voteInPoll } from "../src/domain/polls/vote.ts";
import { loadPolls } from "../src/domain/polls/view.ts";
import { Refusal } from "../src/domain/errors.ts";
import type { Audience } from "../src/db/schema.ts";

type Kind = "author" | "follower" | "other member" | "mentioned" | "visitor" | "suspended member";

// Written out by hand from the issue: who may see a post of each audience.
const TABLE: Record<Kind, Record<Audience, boolean>> = {
  author:             { camp: true,  followers: true,  unlisted: true, public: true, direct: true },
  follower:           { camp: true,  followers: true,  unlisted: true, public: true, direct: false },
  "other member":     { camp: true,  followers: false, unlisted: true, public: true, direct: false },
  mentioned:          { camp: true,  followers: true,  unlisted: true, public: true, direct: true },
  visitor:            { camp: false, followers: false, unlisted: true, public: true, direct: false },
  // Follows the author and is mentioned too, so only the suspension can explain a refusal.
  "suspended member": { camp: false, followers: false, unlisted: true, public: true, direct: false },
};

let camp: TestCamp;
let operator: { id: number; role: string };
const postIds = new Map<Audience, number>();
const accountOf = new Map<Kind, number | null>();
const clients = new Map<Kind, TestClient>();
let authorId = 0;

beforeAll(async () => {
  camp = await testCamp();
  authorId = await camp.addMember("ann");
  const fay = await camp.addMember("fay");
  const oli = await camp.addMember("oli");
  const meg = await camp.addMember("meg");
  const sue = await camp.addMember("sue");
  await follows(camp, fay, authorId);
  await follows(camp, sue, authorId);
  for (const audience of AUDIENCES) {
    postIds.set(audience, await postAs(camp, authorId, { source: `For ${audience} readers, @meg and @sue`, audience }));
  }
  const kinds: [Kind, string | null, number | null][] = [
    ["author", "ann", authorId], ["follower", "fay", fay], ["other member", "oli", oli], ["mentioned", "meg", meg],
    ["visitor", null, null], ["suspended member", "sue", sue],
  ];
  for (const [kind, handle, id] of kinds) {
    accountOf.set(kind, id);
    clients.set(kind, handle ? await camp.loggedIn(handle) : camp.client());
  }
  operator = { id: await camp.addMember("olga", "operator"), role: "operator" };
  await suspendMember(camp.db, sue, operator);
});

afterAll(() => camp.close());

async function viewerFor(kind: Kind): Promise<Viewer> {
  const id = accountOf.get(kind);
  return id == null ? anonymous : viewerForAccount(camp.db, id);
}

async function sqlSees(viewer: Viewer, postId: number): Promise<boolean> {
  const row = await camp.db
    .selectFrom("posts")
    .innerJoin("accounts as authors", "authors.id", "posts.author_id")
    .select("posts.id")
    .where("posts.id", "=", postId)
    .where(visibleTo(viewer))
    .executeTakeFirst();
  return row !== undefined;
}

describe("every audience against every kind of viewer", () => {
  for (const kind of Object.keys(TABLE) as Kind[]) {
    for (const audience of AUDIENCES) {
      const expected = TABLE[kind][audience];
      test(`${kind} ${expected ? "sees" : "does not see"} a ${audience} post`, async () => {
        const postId = postIds.get(audience)!;
        const viewer = await viewerFor(kind);
        const facts = (await loadWithFacts(camp.db, viewer, [postId])).get(postId)!.facts;
        expect(mayView(viewer, facts)).toBe(expected);
        expect(await sqlSees(viewer, postId)).toBe(expected);
        const response = await clients.get(kind)!.get(`/posts/${postId}`);
        expect(response.status).toBe(expected ? 200 : 404);
        const body = await response.text();
        expect(body.includes(`For ${audience} readers`)).toBe(expected);
      });
    }
    test(`${kind}: the author's profile stream shows exactly the posts the table allows`, async () => {
      const page = await profileStream(camp.db, await viewerFor(kind), authorId, null);
      const allowed = AUDIENCES.filter((a) => TABLE[kind][a]).map((a) => postIds.get(a)!).sort((a, b) => b - a);
      expect(idsOf(page)).toEqual(allowed);
    });
    test(`${kind}: searching the posts' words finds exactly the posts the table allows, in the domain and on the search page`, async () => {
      const allowed = AUDIENCES.filter((a) => TABLE[kind][a]).map((a) => postIds.get(a)!).sort((a, b) => b - a);
      const viewer = await viewerFor(kind);
      // The SQL alone (before the page's second check in memory), then the whole search.
      const matched = await searchIdsQuery(camp.db, viewer, searchTerms("readers").match!, {}, { lower: 0, upper: Number.MAX_SAFE_INTEGER }, null, 50).execute();
      expect(matched.map((r) => r.id).sort((a, b) => b - a)).toEqual(allowed);
      const found = await searchPosts(camp.db, viewer, searchTerms("readers"), {}, null, 50);
      expect(found.hits.map((h) => h.item.post.id).sort((a, b) => b - a)).toEqual(allowed);
      const page = await (await clients.get(kind)!.get("/search?q=readers")).text();
      for (const audience of AUDIENCES) expect(page.includes(`href="/posts/${postIds.get(audience)}"`)).toBe(TABLE[kind][audience]);
    });
  }
});

describe("list streams", () => {
  // Lists hold only people one follows: the follower and the mentioned reader (who follows too) list the author.
  for (const [kind, handle] of [["follower", "fay"], ["mentioned", "meg"]] as const) {
    test(`${kind}: a list with the author shows exactly the posts the table allows, in SQL and on the page`, async () => {
      const owner = accountOf.get(kind)!;
      if (kind === "mentioned") await follows(camp, owner, authorId);
      const listId = await createList(camp.db, owner, { title: `${handle}'s list`, exclusive: false });
      await addToList(camp.db, owner, listId, authorId);
      const allowed = AUDIENCES.filter((a) => TABLE[kind][a]).map((a) => postIds.get(a)!).sort((a, b) => b - a);
      const sqlIds = (await listIdsQuery(camp.db, owner, listId, null, 50).execute()).map((r) => r.id);
      expect(sqlIds.filter((id) => [...postIds.values()].includes(id))).toEqual(allowed);
      expect(idsOf(await listStream(camp.db, owner, listId, null, 50)).filter((id) => [...postIds.values()].includes(id))).toEqual(allowed);
      const page = await (await clients.get(kind)!.get(`/lists/${listId}`)).text();
      for (const audience of AUDIENCES) expect(page.includes(`For ${audience} readers`)).toBe(TABLE[kind][audience]);
    });
  }
});

describe("deleted posts and suspended authors", () => {
  test("a suspended author's public post is seen by nobody, in any of the three ways", async () => {
    const zed = await camp.addMember("zed");
    const id = await postAs(camp, zed, { source: "zed speaks", audience: "public" });
    await suspendMember(camp.db, zed, operator);
    for (const kind of Object.keys(TABLE) as Kind[]) {
      const viewer = await viewerFor(kind);
      const facts = (await loadWithFacts(camp.db, viewer, [id])).get(id)!.facts;
      expect(mayView(viewer, facts)).toBe(false);
      expect(await sqlSees(viewer, id)).toBe(false);
      expect((await clients.get(kind)!.get(`/posts/${id}`)).status).toBe(404);
    }
  });

  test("a deleted post is seen by nobody, not even its author, in any of the three ways", async () => {
    const id = await postAs(camp, authorId, { source: "soon gone", audience: "public" });
    await camp.db.updateTable("posts").set({ deleted_at: Date.now() }).where("id", "=", id).execute();
    for (const kind of Object.keys(TABLE) as Kind[]) {
      const viewer = await viewerFor(kind);
      const facts = (await loadWithFacts(camp.db, viewer, [id])).get(id)!.facts;
      expect(mayView(viewer, facts)).toBe(false);
      expect(await sqlSees(viewer, id)).toBe(false);
      expect((await clients.get(kind)!.get(`/posts/${id}`)).status).toBe(404);
    }
  });
});

describe("telling of a deletion (apps' streams)", () => {
  test("after each post is deleted, exactly the viewers the table allowed before are told (wasVisibleTo), and nobody sees it", async () => {
    const deleted = new Map<Audience, number>();
    for (const audience of AUDIENCES) {
      const id = await postAs(camp, authorId, { source: `Gone for ${audience} readers, @meg and @sue`, audience });
      await camp.db.updateTable("posts").set({ deleted_at: Date.now() }).where("id", "=", id).execute();
      deleted.set(audience, id);
    }
    for (const kind of Object.keys(TABLE) as Kind[]) {
      const viewer = await viewerFor(kind);
      const told = await deletedPostsSeenBy(camp.db, viewer, [...deleted.values()]);
      // A visitor, and a suspended member (who looks as one), have no stream to be told in.
      expect(told, kind).toEqual(viewer.kind === "anonymous" ? [] : AUDIENCES.filter((a) => TABLE[kind][a]).map((a) => deleted.get(a)!));
      for (const id of deleted.values()) expect(await sqlSees(viewer, id)).toBe(false);
    }
    const rule = await camp.db.selectFrom("posts").innerJoin("accounts as authors", "authors.id", "posts.author_id")
      .select("posts.id").where("posts.id", "in", [...deleted.values()]).where(wasVisibleTo(anonymous)).execute();
    expect(rule.map((r) => r.id).sort((a, b) => a - b)).toEqual(AUDIENCES.filter((a) => TABLE.visitor[a]).map((a) => deleted.get(a)!).sort((a, b) => a - b));
  });
});

describe("polls", () => {
  for (const kind of Object.keys(TABLE) as Kind[]) {
    test(`${kind}: may vote on, and see the results of, exactly the polls the table allows`, async () => {
      const accountId = accountOf.get(kind) ?? null;
      for (const audience of AUDIENCES) {
        const pollId = await postAs(camp, authorId, {
          source: `Poll for ${audience} readers, @meg and @sue`, audience, poll: { options: ["Yes", "No"], multiple: false, closesAt: Date.now() + 3600_000 },
        });
        const allowed = TABLE[kind][audience];
        if (accountId !== null) {
          const outcome = await voteInPoll(camp.db, accountId, pollId, [0]).then(() => "counted", (e) => (e instanceof Refusal ? e.kind : "crash"));
          expect(outcome, `${kind} voting on a ${audience} poll`).toBe(allowed ? "counted" : "not_found");
        }
        const page = await (await clients.get(kind)!.get(`/posts/${pollId}`)).text();
        expect(page.includes('class="poll"'), `${kind} seeing a ${audience} poll`).toBe(allowed);
        // The poll's counts are loaded only beside a post the gate let through (presentItems asks first).
        const viewer = await viewerFor(kind);
        const facts = (await loadWithFacts(camp.db, viewer, [pollId])).get(pollId)!.facts;
        expect(mayView(viewer, facts) && (await loadPolls(camp.db, accountId ?? -1, [{ id: pollId, author_id: authorId }])).has(pollId)).toBe(allowed);
      }
    });
  }
});
