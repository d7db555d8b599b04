/** A stream of posts with its "older posts" link: htmx loads the next page in place, a plain link otherwise. */
import type { JSX } from "hono/jsx/jsx-runtime";
import type { StreamPage } from "../../src/domain/timelines/streams.ts";
import { PostCard } from "./post.tsx";
import type { TimeContext } from "./time.ts";

export interface StreamProps {
  page: StreamPage;
  csrf: string;
  signedIn: boolean;
  /** The stream's own path, which the cursor is added to. */
  path: string;
  /** The address of the page being shown (with its cursor), where plain forms come back to. */
  here: string;
  /** What an empty stream says: a sentence, or a component of its own (which carries class "empty"). */
  empty: string | JSX.Element;
  time?: TimeContext;
}

const withCursor = (path: string, before: number) => `${path}${path.includes("?") ? "&" : "?"}before=${before}`;

/** The posts of one page and the link to the next; the fragment htmx appends when loading more. */
export function StreamItems(props: StreamProps) {
  return (
    <>
      {props.page.items.map((item) => (
        <PostCard item={item} csrf={props.csrf} signedIn={props.signedIn} returnTo={`${props.here}#post-${item.key}`} time={props.time} />
      ))}
      {props.page.next !== null && (
        <p class="more">
          <a href={withCursor(props.path, props.page.next)} hx-get={withCursor(props.path, props.page.next)}
            hx-target="closest .more" hx-swap="outerHTML">Older posts</a>
        </p>
      )}
    </>
  );
}

export function Stream(props: StreamProps) {
  return (
    <section class="stream" id="stream" aria-label="Posts">
      {props.page.items.length === 0 && props.page.next === null && (typeof props.empty === "string" ? <p class="empty">{props.empty}</p> : props.empty)}
      <StreamItems {...props} />
    </section>
  );
}
