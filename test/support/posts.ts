/** Writing posts and following people straight through the domain, for tests about what others then see. */
import type { TestCamp } from "./camp.ts";
import { createPost, type NewPostInput } from "../../src/domain/posts/create.ts";
import { follow } from "../../src/domain/follows/follow.ts";

/** Creates a post as the given account and returns its id. */
export function postAs(camp: TestCamp, authorId: number, input: Partial<NewPostInput> & { source: string }): Promise<number> {
  return createPost(camp.db, { mediaDir: camp.config.mediaDir, domain: camp.config.domain }, authorId, {
    contentWarning: "", audience: "camp", ...input,
  });
}

/** Makes `followerId` follow `followeeId` (accepted at once between members). */
export async function follows(camp: TestCamp, followerId: number, followeeId: number): Promise<void> {
  await follow(camp.db, followerId, followeeId);
}

/** The ids of the posts (in page order) a stream page shows. */
export const idsOf = (page: { items: { post: { id: number } }[] }): number[] => page.items.map((i) => i.post.id);

/** Post ids linked as articles in a served page, in order. */
export const articleKeysIn = (html: string): number[] => [...html.matchAll(/<article class="post" id="post-(\d+)"/g)].map((m) => Number(m[1]));

/** The card of post `key` on a page (from its article to the next), or null when the page does not show it. */
export function cardOf(html: string, key: number): string | null {
  const start = html.indexOf(`<article class="post" id="post-${key}"`);
  return start === -1 ? null : html.slice(start, html.indexOf("</article>", start));
}
