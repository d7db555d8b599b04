/**
 * Importing Mastodon's CSVs: the follows, lists, blocked domains and bookmarks files exported from one Kith
 * camp re-imported into a second (both on loopback, with a Fedify peer in the graph) reproduce the
 * follow graph, the lists, the domain blocks and the saved posts, row by row with a result; the same file twice
 * changes nothing; bad rows fail alone, with a reason; a crash mid-import resumes and no row runs
 * twice; binary files, wrong columns and files over the cap are refused whole, with nothing stored.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { Follow, Person } from "@fedify/vocab";
import { follow } from "../src/domain/follows/follow.ts";
import { addToList, createList } from "../src/domain/lists/lists.ts";
import { blockDomain } from "../src/domain/domainBlocks/domainBlocks.ts";
import { bookmarkPost } from "../src/domain/bookmarks/bookmarks.ts";
import { createPost } from "../src/domain/posts/create.ts";
import { setDomainRule } from "../src/domain/remote/federationPolicy.ts";
import { startImport } from "../src/domain/import/start.ts";
import { importHandler, type Resolved } from "../src/domain/import/run.ts";
import { lookupAccount } from "../src/federation/lookup.ts";
import { federatedCamp, type FederatedCamp } from "./support/federation.ts";
import { startFedifyPeer, type FedifyPeer } from "./support/fedifyPeer.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";

setDefaultTimeout(60_000);

const csvBlob = (text: string) => new Blob([text], { type: "text/csv" });

/** `handle@domain` of every account a member follows (pending or accepted), as a sorted list. */
async function followGraph(camp: TestCamp, accountId: number): Promise<string[]> {
  const rows = await camp.db.selectFrom("follows").innerJoin("accounts", "accounts.id", "follows.followee_id")
    .select(["accounts.handle", "accounts.domain"]).where("follows.follower_id", "=", accountId).execute();
  return rows.map((r) => `${r.handle}@${r.domain ?? camp.config.domain}`).sort();
}

describe("between two Kith camps and a Fedify peer", () => {
  let a: FederatedCamp;
  let b: FederatedCamp;
  let peer: FedifyPeer;
  let aliceOnA: number;
  let aliceOnB: number;
  let csv: string;

  beforeAll(async () => {
    peer = await startFedifyPeer();
    a = await federatedCamp();
    b = await federatedCamp();
    aliceOnA = await a.addMember("alice");
    const bobOnA = await a.addMember("bob");
    await b.addMember("carol");
    aliceOnB = await b.addMember("alice");
    // On A, Alice follows Bob (here), Carol (on B) and Pat (on the peer); B accepts Carol's follow at once.
    await follow(a.db, aliceOnA, bobOnA);
    const deps = { db: a.db, config: a.config, log: { debug() {}, info() {}, warn() {}, error() {} } };
    await follow(a.db, aliceOnA, await lookupAccount(deps, `carol@${b.config.domain}`));
    await follow(a.db, aliceOnA, await lookupAccount(deps, `pat@${new URL(peer.origin).host}`));
    await a.settle();
    await b.settle();
    // The peer does not answer follows by itself: it accepts Pat's like a person would.
    const follows = await a.db.selectFrom("follows").innerJoin("accounts", "accounts.id", "follows.followee_id").select(["follows.uri", "accounts.uri as target"])
      .where("follows.follower_id", "=", aliceOnA).where("accounts.domain", "=", new URL(peer.origin).host).executeTakeFirstOrThrow();
    const { Accept } = await import("@fedify/vocab");
    const aliceActor = (await peer.lookup(`${a.config.origin}/users/alice`)) as Person;
    await peer.send("pat", aliceActor, new Accept({ id: new URL(`${peer.origin}/accepts/1`), actor: new URL(peer.actorUri("pat")), object: new Follow({ id: new URL(follows.uri!), actor: aliceActor.id, object: new URL(follows.target!) }) }));
    await a.settle();
    csv = await (await (await a.loggedIn("alice")).get("/settings/export/following_accounts.csv")).text();
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await peer.close();
  });

  test("A's export lists the three accounts Alice follows, in Mastodon's shape", () => {
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe("Account address,Show boosts,Notify on new posts,Languages");
    expect(lines.slice(1).map((l) => l.split(",")[0]).sort()).toEqual([`bob@${a.config.domain}`, `carol@${b.config.domain}`, `pat@${new URL(peer.origin).host}`].sort());
  });

  test("importing it on B follows the same people, with a result per row on the progress page", async () => {
    const alice = await b.loggedIn("alice");
    const started = await alice.post("/settings/import", { kind: "follows", file: new File([csv], "following_accounts.csv", { type: "text/csv" }) });
    expect(started.status).toBe(303);
    const progressPath = started.headers.get("location")!;
    await b.settle();
    await a.settle();
    expect(await followGraph(b, aliceOnB)).toEqual([`bob@${a.config.domain}`, `carol@${b.config.domain}`, `pat@${new URL(peer.origin).host}`].sort());
    const page = await (await alice.get(progressPath)).text();
    expect(page).toContain("done, 3 rows");
    expect(page).toMatch(/<td>carol@[^<]+<\/td><td>followed<\/td>/);
    expect(page).toMatch(/<td>pat@[^<]+<\/td><td>pending<\/td>/);
    // Bob's camp accepted the Follow that went through the queue.
    await peer.waitFor((x) => x.type === "Follow" && JSON.stringify(x.json).includes(`${b.config.origin}/users/alice`), "B's Follow of Pat");
    const bob = await b.db.selectFrom("follows").innerJoin("accounts", "accounts.id", "follows.followee_id").select("follows.state")
      .where("follows.follower_id", "=", aliceOnB).where("accounts.handle", "=", "bob").executeTakeFirstOrThrow();
    expect(bob.state).toBe("accepted");
  });

  test("the same file twice changes nothing: no new follow, no new delivery", async () => {
    const before = { graph: await followGraph(b, aliceOnB), follows: await b.db.selectFrom("follows").selectAll().execute() };
    const sentBefore = peer.received.length;
    const alice = await b.loggedIn("alice");
    expect((await alice.post("/settings/import", { kind: "follows", file: new File([csv], "following_accounts.csv") })).status).toBe(303);
    await b.settle();
    expect(await b.db.selectFrom("follows").selectAll().execute()).toEqual(before.follows);
    expect(await followGraph(b, aliceOnB)).toEqual(before.graph);
    expect(peer.received.length).toBe(sentBefore);
  });

  test("A's lists and blocked domains re-import on B the same, and a second import changes nothing", async () => {
    const host = new URL(peer.origin).host;
    const [bobOnA, carolOnA, patOnA] = await Promise.all(["bob", "carol", "pat"].map(async (handle) =>
      (await a.db.selectFrom("accounts").select("id").where("handle", "=", handle).executeTakeFirstOrThrow()).id));
    const close = await createList(a.db, aliceOnA, { title: "Close, friends", exclusive: false });
    const far = await createList(a.db, aliceOnA, { title: "Far away", exclusive: true });
    for (const [list, who] of [[close, bobOnA], [close, carolOnA], [far, patOnA]] as const) await addToList(a.db, aliceOnA, list, who!);
    await blockDomain(a.db, aliceOnA, "spam.example", a.config.domain);
    await blockDomain(a.db, aliceOnA, "ads.example", a.config.domain);
    const onA = await a.loggedIn("alice");
    const listsCsv = await (await onA.get("/settings/export/lists.csv")).text();
    const domainsCsv = await (await onA.get("/settings/export/domain_blocks.csv")).text();
    expect(domainsCsv).toBe("#domain\nads.example\nspam.example\n");

    const alice = await b.loggedIn("alice");
    const importBoth = async () => {
      for (const [kind, file, name] of [["lists", listsCsv, "lists.csv"], ["domain_blocks", domainsCsv, "domain_blocks.csv"]]) {
        expect((await alice.post("/settings/import", { kind: kind!, file: new File([file!], name!, { type: "text/csv" }) })).status).toBe(303);
      }
      await b.settle();
      await a.settle();
    };
    const listsOnB = async () => (await b.db.selectFrom("lists").innerJoin("list_members", "list_members.list_id", "lists.id")
      .innerJoin("accounts", "accounts.id", "list_members.account_id").select(["lists.title", "accounts.handle", "accounts.domain"])
      .where("lists.account_id", "=", aliceOnB).execute()).map((r) => `${r.title}: ${r.handle}@${r.domain ?? b.config.domain}`).sort();
    await importBoth();
    expect(await listsOnB()).toEqual([`Close, friends: bob@${a.config.domain}`, `Close, friends: carol@${b.config.domain}`, `Far away: pat@${host}`]);
    const blocked = async () => (await b.db.selectFrom("member_domain_blocks").select("domain").where("account_id", "=", aliceOnB).orderBy("domain").execute()).map((r) => r.domain);
    expect(await blocked()).toEqual(["ads.example", "spam.example"]);
    const imported = await b.db.selectFrom("imports").select("id").where("account_id", "=", aliceOnB).where("kind", "=", "lists").executeTakeFirstOrThrow();
    const page = await (await alice.get(`/settings/import/${imported.id}`)).text();
    expect(page).toContain("done, 3 rows");
    expect(page).toMatch(/<td>carol@[^<]+<\/td><td>done<\/td><td>On the list “Close, friends”.<\/td>/);

    const before = {
      lists: await b.db.selectFrom("lists").selectAll().execute(),
      members: await b.db.selectFrom("list_members").selectAll().execute(),
      follows: await b.db.selectFrom("follows").selectAll().execute(),
      domains: await b.db.selectFrom("member_domain_blocks").selectAll().execute(),
    };
    const sentBefore = peer.received.length;
    await importBoth();
    expect(await b.db.selectFrom("lists").selectAll().execute()).toEqual(before.lists);
    expect(await b.db.selectFrom("list_members").selectAll().execute()).toEqual(before.members);
    expect(await b.db.selectFrom("follows").selectAll().execute()).toEqual(before.follows);
    expect(await b.db.selectFrom("member_domain_blocks").selectAll().execute()).toEqual(before.domains);
    expect(peer.received.length).toBe(sentBefore);
  });

  test("A's bookmarks re-import on B: a public post is fetched from A and saved, a camp-only one is not found; twice changes nothing", async () => {
    const bobOnA = (await a.db.selectFrom("accounts").select("id").where("handle", "=", "bob").where("domain", "is", null).executeTakeFirstOrThrow()).id;
    const place = { mediaDir: a.config.mediaDir, domain: a.config.domain };
    const open = await createPost(a.db, place, bobOnA, { source: "A public thought", contentWarning: "", audience: "public" });
    const secret = await createPost(a.db, place, bobOnA, { source: "A camp secret", contentWarning: "", audience: "camp" });
    for (const id of [open, secret]) await bookmarkPost(a.db, aliceOnA, id);
    await a.settle();
    const bookmarksCsv = await (await (await a.loggedIn("alice")).get("/settings/export/bookmarks.csv")).text();
    expect(bookmarksCsv).toBe(`${a.config.origin}/posts/${secret}\n${a.config.origin}/posts/${open}\n`);

    const alice = await b.loggedIn("alice");
    const run = async () => {
      const started = await alice.post("/settings/import", { kind: "bookmarks", file: new File([`${bookmarksCsv}not a post\n`], "bookmarks.csv") });
      expect(started.status).toBe(303);
      await b.settle();
      return (await alice.get(started.headers.get("location")!)).text();
    };
    const page = await run();
    expect(page).toContain(`<td>${a.config.origin}/posts/${open}</td><td>done</td><td>Saved.</td>`);
    expect(page).toContain(`<td>${a.config.origin}/posts/${secret}</td><td>not found</td>`);
    expect(page).toContain("<td>not a post</td><td>failed</td>");
    const saved = async () => (await b.db.selectFrom("bookmarks").innerJoin("posts", "posts.id", "bookmarks.post_id").select(["posts.uri", "posts.html"])
      .where("bookmarks.account_id", "=", aliceOnB).execute());
    expect(await saved()).toEqual([{ uri: `${a.config.origin}/posts/${open}`, html: expect.stringContaining("A public thought") }]);
    // The camp-only post never left A.
    expect(await b.db.selectFrom("posts").select("id").where("html", "like", "%camp secret%").execute()).toEqual([]);
    const before = { bookmarks: await b.db.selectFrom("bookmarks").selectAll().execute(), posts: await b.db.selectFrom("posts").select("id").execute() };
    await run();
    expect(await b.db.selectFrom("bookmarks").selectAll().execute()).toEqual(before.bookmarks);
    expect(await b.db.selectFrom("posts").select("id").execute()).toEqual(before.posts);
  });

  test("bad rows of a lists or domains file fail alone, each with its reason", async () => {
    const alice = await b.loggedIn("alice");
    const run = async (kind: string, file: string) => {
      const started = await alice.post("/settings/import", { kind, file: new File([file], `${kind}.csv`) });
      expect(started.status).toBe(303);
      await b.settle();
      return (await alice.get(started.headers.get("location")!)).text();
    };
    const lists = await run("lists", `List name,Account address\nCamp,carol@${b.config.domain}\n,carol@${b.config.domain}\nCamp,not an address\n`);
    expect(lists).toContain("done, 3 rows");
    expect(lists).toMatch(/<td>carol@[^<]+<\/td><td>done<\/td>/);
    expect(lists).toContain("<td>failed</td><td>This row names no list: a list&#39;s name comes first, then the address.</td>");
    expect(lists).toContain("<td>not an address</td><td>failed</td>");
    const domains = await run("domain_blocks", `#domain\nbad.example\nnot a domain!\n${b.config.domain}\n`);
    expect(domains).toContain("<td>bad.example</td><td>done</td>");
    expect(domains).toContain("<td>not a domain!</td><td>failed</td><td>Type a domain like example.social");
    expect(domains).toContain(`<td>${b.config.domain}</td><td>failed</td><td>${b.config.domain} is this camp&#39;s own domain.`);
    expect(await b.db.selectFrom("member_domain_blocks").select("domain").where("account_id", "=", aliceOnB).where("domain", "in", ["bad.example", b.config.domain, "not a domain!"]).execute())
      .toEqual([{ domain: "bad.example" }]);
  });

  test("an address nobody answers for is not found; a server the camp blocks is refused by policy", async () => {
    await setDomainRule(b.db, "blocked.example", "block", { id: await b.addMember("olga", "operator"), role: "operator" });
    const alice = await b.loggedIn("alice");
    const file = `nobody@${a.config.domain}\nsomeone@blocked.example\nnot an address\n`;
    const started = await alice.post("/settings/import", { kind: "blocks", file: new File([file], "blocked_accounts.csv") });
    await b.settle();
    const page = await (await alice.get(started.headers.get("location")!)).text();
    expect(page).toMatch(/<td>nobody@[^<]+<\/td><td>not found<\/td>/);
    expect(page).toContain("<td>someone@blocked.example</td><td>refused</td><td>This camp does not federate with blocked.example.</td>");
    expect(page).toContain("<td>not an address</td><td>failed</td>");
    expect(await b.db.selectFrom("blocks").selectAll().where("account_id", "=", aliceOnB).execute()).toEqual([]);
  });
});

describe("bad files and crashes", () => {
  let camp: TestCamp;
  let aliceId: number;
  beforeAll(async () => {
    camp = await testCamp();
    aliceId = await camp.addMember("alice");
  });
  afterAll(() => camp.close());

  test("binary content, wrong columns, no file and too many rows are refused whole, with nothing stored", async () => {
    const alice = await camp.loggedIn("alice");
    const cases: [Blob | string, number, string][] = [
      [new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13])]), 422, "binary data"],
      [csvBlob("name,email\nAlice,alice@example.org\n"), 422, "does not look like a list of accounts"],
      [csvBlob("#domain\nspam.example\n"), 422, "A follows file from Mastodon starts with"],
      [csvBlob(`Account address\n${"someone@example.social\n".repeat(50_001)}`), 413, "at most 50,000 are imported at once"],
      ["", 422, "Choose a CSV file"],
    ];
    for (const [file, status, message] of cases) {
      const response = await alice.post("/settings/import", { kind: "follows", file }, { multipart: true });
      expect(response.status).toBe(status);
      expect(await response.text()).toContain(message);
    }
    const otherShapes: [string, string, string][] = [
      ["domain_blocks", "Account address\nsomeone@example.social\n", "does not look like a list of domains"],
      ["lists", "someone@example.social\n", "does not look like lists of accounts"],
      ["bookmarks", "someone@example.social\n", "does not look like a list of posts"],
    ];
    for (const [kind, text, message] of otherShapes) {
      const response = await alice.post("/settings/import", { kind, file: csvBlob(text) }, { multipart: true });
      expect(response.status).toBe(422);
      expect(await response.text()).toContain(message);
    }
    expect(await camp.db.selectFrom("imports").selectAll().execute()).toEqual([]);
    expect(await camp.db.selectFrom("import_rows").selectAll().execute()).toEqual([]);
  });

  test("a file of 50,000 rows is accepted and stored for processing in batches", async () => {
    const id = await startImport(camp.db, aliceId, "mutes", "big.csv", new TextEncoder().encode(`Account address,Hide notifications\n${"x@example.social,true\n".repeat(50_000)}`));
    const count = await camp.db.selectFrom("import_rows").select((eb) => eb.fn.countAll<number>().as("n")).where("import_id", "=", id).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(50_000);
    expect(await camp.db.selectFrom("jobs").select("kind").where("kind", "=", "import").execute()).toHaveLength(1);
    await camp.db.deleteFrom("imports").where("id", "=", id).execute();
    await camp.db.deleteFrom("jobs").execute();
  });

  test("a crash after the first batch resumes at the next row, and no row is processed twice", async () => {
    const addresses = Array.from({ length: 120 }, (_, i) => `ghost${i}@${camp.config.domain}`);
    await startImport(camp.db, aliceId, "blocks", "ghosts.csv", new TextEncoder().encode(addresses.join("\n")));
    const seen = new Map<string, number>();
    const resolve = async (address: string): Promise<Resolved> => {
      seen.set(address, (seen.get(address) ?? 0) + 1);
      return { notFound: "nobody" };
    };
    const log = { debug() {}, info() {}, warn() {}, error() {} };
    const runNext = async () => {
      const job = await camp.db.selectFrom("jobs").select(["id", "payload"]).where("kind", "=", "import").orderBy("id").executeTakeFirst();
      if (!job) return false;
      await importHandler(camp.db, log, { account: resolve, post: resolve, localDomain: camp.config.domain }).run(JSON.parse(job.payload));
      await camp.db.deleteFrom("jobs").where("id", "=", job.id).execute();
      return true;
    };
    await runNext();
    // The process dies here; what was stored is all a fresh one has to go on.
    expect(seen.size).toBe(50);
    const pending = await camp.db.selectFrom("import_rows").select("row_no").where("result", "is", null).execute();
    expect(pending).toHaveLength(70);
    while (await runNext());
    expect(seen.size).toBe(120);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(await camp.db.selectFrom("import_rows").select("row_no").where("result", "is", null).execute()).toEqual([]);
  });
});
