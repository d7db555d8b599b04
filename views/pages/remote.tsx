/** Following people on other servers: the lookup form, and a remote account's profile with follow and block buttons. */
import { raw } from "hono/html";
import { type MovedTo, MovedNotice } from "./moving.tsx";
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import { ErrorBox, Field, Form, PostButton } from "../components/forms.tsx";
import { Stream, type StreamProps } from "../components/stream.tsx";
import { Avatar } from "./members.tsx";

export function RemoteLookupPage(props: { page: PageContext; query: string; error?: string | null }) {
  return (
    <Layout page={props.page} title="Find someone elsewhere">
      <p>Follow people on Mastodon and other fediverse servers. Paste their handle or the address of their profile.</p>
      <p><a href="/follow-requests">Follow requests</a>: choose whether you approve new followers, and answer those who ask.</p>
      <ErrorBox message={props.error} />
      <Form action="/remote" csrf={props.page.csrf} label="Find someone elsewhere">
        <Field name="query" label="Handle or profile address" value={props.query} required
          hint="Like @someone@example.social or https://example.social/@someone" error={props.error} />
        <button type="submit">Look up</button>
      </Form>
    </Layout>
  );
}

export interface RemoteAccountView {
  id: number;
  handle: string;
  domain: string;
  displayName: string;
  bioHtml: string;
  avatarUrl: string | null;
  url: string | null;
  locked: boolean;
  follow: "pending" | "accepted" | null;
  blocked: boolean;
}

function FollowButtons(props: { account: RemoteAccountView; csrf: string }) {
  const a = props.account;
  const to = (action: string) => `/remote/${a.id}/${action}`;
  if (a.blocked) return <div class="actions relation"><PostButton action={to("unblock")} csrf={props.csrf} label="Unblock" /></div>;
  return (
    <div class="actions relation">
      {a.follow === null && <PostButton action={to("follow")} csrf={props.csrf} label={`Follow @${a.handle}@${a.domain}`} />}
      {a.follow === "pending" && <><p class="notice" role="status">Requested: waiting for {a.domain} to accept.</p><PostButton action={to("unfollow")} csrf={props.csrf} label="Withdraw follow request" /></>}
      {a.follow === "accepted" && <PostButton action={to("unfollow")} csrf={props.csrf} label={`Unfollow @${a.handle}@${a.domain}`} />}
      <PostButton action={to("block")} csrf={props.csrf} label="Block" class="secondary" />
      <a href={`/accounts/${a.id}/report`}>Report @{a.handle}@{a.domain}</a>
    </div>
  );
}

export function RemoteProfilePage(props: { page: PageContext; account: RemoteAccountView; stream: Omit<StreamProps, "csrf" | "signedIn">; moved?: MovedTo | null }) {
  const a = props.account;
  return (
    <Layout page={props.page} title={a.displayName || a.handle}>
      <MovedNotice moved={props.moved ?? null} name={a.displayName || a.handle} />
      <section class="profile" aria-label="Profile">
        <Avatar url={a.avatarUrl} size={96} />
        <p class="handle">@{a.handle}@{a.domain}{a.locked && " · approves followers"}</p>
        <div class="bio">{raw(a.bioHtml)}</div>
        {a.url && <p><a href={a.url} rel="nofollow noopener noreferrer">Profile on {a.domain}</a></p>}
      </section>
      <FollowButtons account={a} csrf={props.page.csrf} />
      <h2>Posts</h2>
      <Stream {...props.stream} csrf={props.page.csrf} signedIn={!!props.page.viewer} />
    </Layout>
  );
}

export interface FollowRequestView {
  id: number;
  name: string;
  acct: string;
}

/** Who asks to follow the member, with approve and decline buttons, and the switch to approve followers at all. */
export function FollowRequestsPage(props: { page: PageContext; approves: boolean; requests: FollowRequestView[]; notice?: string | null }) {
  const csrf = props.page.csrf;
  return (
    <Layout page={props.page} title="Follow requests">
      {props.notice && <p class="notice" role="status">{props.notice}</p>}
      <Form action="/follow-requests/settings" csrf={csrf} label="Approving followers">
        <label><input type="checkbox" name="approves" value="1" checked={props.approves} /> Approve new followers myself (here and on other servers)</label>
        <button type="submit">Save</button>
      </Form>
      {props.requests.length === 0 ? <p class="empty">Nobody is waiting.</p> : (
        <ul class="directory">
          {props.requests.map((r) => (
            <li>
              <span>{r.name}</span> <span class="handle">{r.acct}</span>
              <PostButton action={`/follow-requests/${r.id}/approve`} csrf={csrf} label={`Approve ${r.acct}`} />
              <PostButton action={`/follow-requests/${r.id}/decline`} csrf={csrf} label={`Decline ${r.acct}`} class="secondary" />
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
