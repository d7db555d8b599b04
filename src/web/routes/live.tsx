/**
 * Live updates as Server-Sent Events for pages with JavaScript on: "3 new posts" for the stream being
 * read, new replies in an open conversation, and the unread notification count. What is new, and
 * whether the reader may see it, comes from src/domain/live (the audience gate); this route only turns
 * updates into markup. Each answer ends after LIVE_MAX_MS and the browser reconnects, picking up from
 * the last id it was sent (Last-Event-ID), so nothing is announced twice.
 */
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { liveHub, type LiveUpdate } from "../../domain/live/hub.ts";
import { parseLiveStream, type PageStream } from "../../domain/live/streams.ts";
import { presentItems } from "../../domain/posts/present.ts";
import { viewerOf } from "../../domain/posts/visibility.ts";
import { PostCard } from "../../../views/components/post.tsx";
import { newPostsMessage, newRepliesMessage, unreadMessage } from "../../../views/components/live.ts";
import { UnreadBadge } from "../../../views/components/unreadBadge.tsx";
import type { WebEnv } from "../env.ts";
import { timeOf } from "../render.tsx";

/** How long one answer stays open before the browser is asked to reconnect. */
const LIVE_MAX_MS = 5 * 60 * 1000;
/** A comment line this often keeps proxies and the server's idle timeout from closing a quiet stream. */
const HEARTBEAT_MS = 5000;

const STREAM_PATHS: Record<"home" | "camp", string> = { home: "/", camp: "/camp" };

export function liveRoutes() {
  const app = new Hono<WebEnv>();

  app.get("/live", async (c) => {
    const viewer = c.var.viewer;
    if (!viewer) return c.text("Log in to follow the camp live.", 401);
    const { db, log } = c.var.deps;
    const stream: PageStream | null = parseLiveStream(c.req.query("stream") ?? "");
    // A count of new posts is counted again from the page's newest post on every connection; replies
    // are appended, so a reconnection carries on after the last one sent.
    const pageAfter = Math.max(0, Number(c.req.query("after")) || 0);
    const after = stream?.kind === "thread" ? Math.max(pageAfter, Number(c.req.header("last-event-id")) || 0) : pageAfter;
    return streamSSE(c, async (sse) => {
      let newPosts = 0;
      const send = async (update: Extract<LiveUpdate, { kind: "posts" | "unread" }>) => {
        if (update.kind === "unread") {
          await sse.writeSSE({ data: String(await unreadMessage(<UnreadBadge count={update.count} />)) });
          return;
        }
        const lastId = String(update.postIds[update.postIds.length - 1]!);
        if (stream?.kind === "thread") {
          // Rendered for this reader, through the gate once more (presentItems leaves out what they may not see).
          const items = await presentItems(db, viewerOf(viewer), update.postIds, { collapseAllMutedWords: true });
          const cards = items.map((item) => PostCard({ item, csrf: c.var.csrfToken, signedIn: true, returnTo: `/posts/${item.post.id}`, time: timeOf(c) }));
          if (cards.length > 0) await sse.writeSSE({ data: String(await newRepliesMessage(cards)), id: lastId });
        } else if (stream) {
          newPosts += update.postIds.length;
          await sse.writeSSE({ data: String(await newPostsMessage(newPosts, STREAM_PATHS[stream.kind])), id: lastId });
        }
      };
      let queue = Promise.resolve();
      let end = () => {};
      const stop = liveHub(db, (error) => log.error("live: check failed", { error: String(error) })).subscribe(
        { memberId: viewer.id, stream, afterPostId: after, notifications: true },
        (update) => {
          if (update.kind === "closed") end();
          else if (update.kind === "posts" || update.kind === "unread") queue = queue.then(() => send(update)).catch(() => undefined);
        },
      );
      const heartbeat = setInterval(() => { sse.write(": keep-alive\n\n").catch(() => undefined); }, HEARTBEAT_MS);
      try {
        await new Promise<void>((resolve) => {
          const timeout = setTimeout(resolve, LIVE_MAX_MS);
          end = () => { clearTimeout(timeout); resolve(); };
          sse.onAbort(end);
        });
      } finally {
        stop();
        clearInterval(heartbeat);
      }
    });
  });

  return app;
}
