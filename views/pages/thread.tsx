/**
 * A conversation: every post in the order written, replies nested under what they answer (lists
 * inside lists, so screen readers announce the depth), and the reply form under the chosen post.
 */
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import type { Thread, ThreadNode } from "../../src/domain/posts/thread.ts";
import { ComposeForm, type ComposeProps } from "../components/compose.tsx";
import { PostCard } from "../components/post.tsx";
import type { TimeContext } from "../components/time.ts";
import { LIVE_REPLIES_LIST } from "../components/live.ts";

interface ThreadViewProps {
  thread: Thread;
  csrf: string;
  signedIn: boolean;
  compose: ComposeProps | null;
  time?: TimeContext;
}

function Node(props: ThreadViewProps & { node: ThreadNode }) {
  const p = props.node.post;
  const focused = p.id === props.thread.focus.id;
  return (
    <li class={focused ? "focus" : undefined} aria-current={focused ? "true" : undefined}>
      <PostCard item={{ key: p.id, boostedBy: null, post: p }} csrf={props.csrf} signedIn={props.signedIn} returnTo={`/posts/${props.thread.focus.id}#post-${p.id}`} time={props.time} />
      {focused && props.compose && <ComposeForm {...props.compose} />}
      {props.node.replies.length > 0 && (
        <ol class="replies" aria-label={`Replies to @${p.author.acct}`}>
          {props.node.replies.map((child) => <Node {...props} node={child} />)}
        </ol>
      )}
    </li>
  );
}

/** The thread region; htmx replaces it whole after a reply. */
export function ThreadView(props: ThreadViewProps) {
  return (
    <section id="thread" aria-label="Conversation">
      <ol class="thread">
        {props.thread.roots.map((node) => <Node {...props} node={node} />)}
      </ol>
    </section>
  );
}

export function ThreadPage(props: { page: PageContext; thread: Thread; compose: ComposeProps | null; warning?: string | null }) {
  const focus = props.thread.focus;
  return (
    <Layout page={props.page} title={`Post by ${focus.author.displayName}`}>
      {props.warning && <p class="notice" role="status">{props.warning}</p>}
      <ThreadView thread={props.thread} csrf={props.page.csrf} signedIn={!!props.page.viewer} compose={props.compose} time={props.page.time} />
      {props.page.live && LIVE_REPLIES_LIST}
      {!props.page.viewer && <p><a href={`/login?next=/posts/${focus.id}`}>Log in</a> to reply.</p>}
    </Layout>
  );
}
