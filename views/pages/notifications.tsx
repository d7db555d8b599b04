/** The member's notifications, newest first, with "mark all read" and the badge htmx keeps fresh. */
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import type { NotificationRow } from "../../src/domain/notifications/inbox.ts";
import { CsrfField } from "../components/forms.tsx";

const WHAT: Record<NotificationRow["kind"], string> = {
  reply: "replied to your post",
  mention: "mentioned you",
  like: "liked your post",
  boost: "boosted your post",
  follow: "followed you",
  follow_request: "asked to follow you",
  poll: "ran a poll that has now closed",
};

export function NotificationsPage(props: { page: PageContext; items: NotificationRow[]; next: number | null; notice?: string | null }) {
  const newest = props.items[0]?.id;
  return (
    <Layout page={props.page} title="Notifications">
      {props.notice && <p class="notice" role="status">{props.notice}</p>}
      {newest !== undefined && (
        <form method="post" action="/notifications/read" aria-label="Mark all read">
          <CsrfField csrf={props.page.csrf} />
          <input type="hidden" name="upTo" value={String(newest)} />
          <button type="submit">Mark all read</button>
        </form>
      )}
      {props.items.length === 0 && <p class="empty">Nothing yet. When someone replies, mentions you, likes, boosts or follows, it shows up here.</p>}
      <ol class="notifications">
        {props.items.map((n) => (
          <li class={n.unread ? "unread" : undefined}>
            {n.unread && <span class="visually-hidden">New: </span>}
            <a href={n.actor.domain === null ? `/@${n.actor.handle}` : (n.actor.url ?? "#")}>{n.actor.displayName || n.actor.handle}</a>{" "}
            {WHAT[n.kind]}
            {n.postId !== null && <>{" · "}<a href={`/posts/${n.postId}`}>see the post</a></>}
            {" · "}<time datetime={new Date(n.createdAt).toISOString()}>{new Date(n.createdAt).toISOString().slice(0, 16).replace("T", " ")} UTC</time>
          </li>
        ))}
      </ol>
      {props.next !== null && <p class="more"><a href={`/notifications?before=${props.next}`}>Older notifications</a></p>}
    </Layout>
  );
}
