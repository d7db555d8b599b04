/**
 * A boost of a reply shows "Replying to" like the reply itself does, although the reply's parent is
 * two steps from the page; and it still names no parent the viewer may not see.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createPost } from "../src/domain/posts/create.ts";
import { boostPost } from "../src/domain/posts/boost.ts";
import { presentItems } from "../src/domain/posts/present.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";

let camp: TestCamp;
let ids: Record<string, number>;
beforeAll(async () => {
  camp = await testCamp();
  ids = {
    ada: await camp.addMember("ada"),
    bob: await camp.addMember("bob"),
    carol: await camp.addMember("carol"),
    dan: await camp.addMember("dan"),
  };
});
afterAll(() => camp.close());

const place = () => ({ mediaDir: camp.config.mediaDir, domain: camp.config.domain });

/** Carol boosts the post; returns the id of her boost's own row, as a stream lists it. */
async function boostedByCarol(postId: number): Promise<number> {
  await boostPost(camp.db, ids.carol!, postId);
  const row = await camp.db.selectFrom("posts").select("id").where("boost_of_id", "=", postId).where("author_id", "=", ids.carol!).executeTakeFirstOrThrow();
  return row.id;
}

test("a boosted reply names the post it answers", async () => {
  const parent = await createPost(camp.db, place(), ids.ada!, { source: "Who is coming on Saturday?", contentWarning: "", audience: "public" });
  const reply = await createPost(camp.db, place(), ids.bob!, { source: "Me!", contentWarning: "", audience: "public", inReplyToId: parent });
  const boost = await boostedByCarol(reply);
  const [item] = await presentItems(camp.db, { kind: "member", accountId: ids.dan! }, [boost]);
  expect(item!.boostedBy?.handle).toBe("carol");
  expect(item!.post.id).toBe(reply);
  expect(item!.post.inReplyTo).toEqual({ id: parent, author: expect.objectContaining({ handle: "ada" }) });
});

test("a boosted reply to a post the viewer may not see names no parent", async () => {
  const secret = await createPost(camp.db, place(), ids.ada!, { source: "@bob only you", contentWarning: "", audience: "direct" });
  const reply = await createPost(camp.db, place(), ids.bob!, { source: "A public thought", contentWarning: "", audience: "public", inReplyToId: secret });
  const boost = await boostedByCarol(reply);
  const [item] = await presentItems(camp.db, { kind: "member", accountId: ids.dan! }, [boost]);
  expect(item!.post.id).toBe(reply);
  expect(item!.post.inReplyTo).toBeNull();
});
