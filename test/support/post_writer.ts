/**
 * A member posting steadily, in a process of its own so a test can SIGKILL it
 * in the middle of a write. Each post goes through the real domain code (the post and its
 * post.created job in one transaction); "ack ID" is printed only after the commit. Given a remote
 * inbox, a remote follower with that inbox is added first, so every public post queues a delivery.
 *
 *   bun test/support/post_writer.ts DATA_DIR DOMAIN [FOLLOWER_INBOX]
 */
import { join } from "node:path";
import { openStore } from "../../src/db/open.ts";
import { insertMember, prepareMember } from "../../src/domain/members/accounts.ts";
import { createPost } from "../../src/domain/posts/create.ts";

const [dataDir, domain, followerInbox] = process.argv.slice(2) as [string, string, string | undefined];
const store = await openStore(join(dataDir, "kith.sqlite"));
const author = await insertMember(store.db, await prepareMember({ handle: "writer", displayName: "Writer", password: "correct horse battery" }), "member", null);
if (followerInbox) {
  const remote = new URL(followerInbox);
  const follower = await store.db
    .insertInto("accounts")
    .values({ handle: "friend", domain: remote.host, uri: `${remote.origin}/users/friend`, inbox_uri: followerInbox, created_at: Date.now() })
    .returning("id")
    .executeTakeFirstOrThrow();
  await store.db.insertInto("follows").values({ follower_id: follower.id, followee_id: author, state: "accepted", created_at: Date.now() }).execute();
}
const place = { mediaDir: join(dataDir, "media"), domain };
console.log(`ready ${author}`);
for (let i = 0; ; i++) {
  const id = await createPost(store.db, place, author, { source: `Post number ${i}`, contentWarning: "", audience: "public" });
  console.log(`ack ${id}`);
  // A steady stream rather than a flood, so the test kills it after tens of posts, not thousands.
  await Bun.sleep(2);
}
