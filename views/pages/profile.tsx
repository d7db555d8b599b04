/** A member's profile: the header, follow and filter buttons, counts, and their posts. */
import { Layout } from "../layout.tsx";
import { type MovedTo, MovedNotice } from "./moving.tsx";
import type { PageContext } from "../context.ts";
import type { AuthorView } from "../../src/domain/posts/present.ts";
import { ProfileHeader, type MemberCard } from "./members.tsx";
import { PostButton } from "../components/forms.tsx";
import { Stream, type StreamProps } from "../components/stream.tsx";
import { AuthorLink } from "../components/post.tsx";

export interface Relation {
  self: boolean;
  follow: "pending" | "accepted" | null;
  muted: boolean;
  boostsHidden: boolean;
}

function RelationButtons(props: { accountId: number; relation: Relation; csrf: string; acct: string }) {
  const r = props.relation;
  if (r.self) return null;
  const to = (action: string) => `/accounts/${props.accountId}/${action}`;
  return (
    <div class="actions relation">
      {r.follow === null
        ? <PostButton action={to("follow")} csrf={props.csrf} label={`Follow @${props.acct}`} />
        : <PostButton action={to("unfollow")} csrf={props.csrf} label={r.follow === "pending" ? "Withdraw follow request" : `Unfollow @${props.acct}`} />}
      <PostButton action={to(r.muted ? "unmute" : "mute")} csrf={props.csrf} label={r.muted ? "Unmute" : "Mute"} class="secondary" />
      <PostButton action={to(r.boostsHidden ? "show-boosts" : "hide-boosts")} csrf={props.csrf} label={r.boostsHidden ? "Show boosts" : "Hide boosts"} class="secondary" />
      <a href={to("report")}>Report @{props.acct}</a>
    </div>
  );
}

export function MemberProfilePage(props: {
  page: PageContext;
  member: MemberCard & { id: number; bio_html: string };
  domain: string;
  relation: Relation;
  counts: { followers: number; following: number };
  stream: Omit<StreamProps, "csrf" | "signedIn">;
  moved?: MovedTo | null;
}) {
  const m = props.member;
  return (
    <Layout page={props.page} title={m.display_name}>
      <MovedNotice moved={props.moved ?? null} name={m.display_name} />
      <ProfileHeader member={m} domain={props.domain} />
      <p class="follow-counts">
        <a href={`/@${m.handle}/followers`}>{props.counts.followers} followers</a> · <a href={`/@${m.handle}/following`}>{props.counts.following} following</a>
      </p>
      <RelationButtons accountId={m.id} relation={props.relation} csrf={props.page.csrf} acct={m.handle} />
      <h2>Posts</h2>
      <Stream {...props.stream} csrf={props.page.csrf} signedIn={!!props.page.viewer} />
    </Layout>
  );
}

export function FollowListPage(props: { page: PageContext; title: string; back: string; people: AuthorView[] }) {
  return (
    <Layout page={props.page} title={props.title}>
      <p><a href={props.back}>Back to the profile</a></p>
      {props.people.length === 0 ? <p class="empty">Nobody yet.</p> : (
        <ul class="directory">
          {props.people.map((a) => <li><AuthorLink author={a} /></li>)}
        </ul>
      )}
    </Layout>
  );
}
