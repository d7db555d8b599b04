/** The member's feed sources: add one (or many from OPML), see each one's last check, switch off, import older entries, remove. */
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import type { Audience } from "../../src/db/schema.ts";
import type { FormState } from "./auth.tsx";
import { AUDIENCE_LABELS } from "../components/audience.tsx";
import { ErrorBox, Field, Form, Notice, PostButton } from "../components/forms.tsx";

export interface FeedSourceView {
  id: number;
  label: string;
  url: string;
  audience: Audience;
  enabled: number;
  last_checked_at: number | null;
  last_result: string | null;
  last_error: string | null;
  next_poll_at: number | null;
  held_back: number;
}

const when = (ms: number | null) => (ms === null ? "not yet" : `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`);

function AudienceChoice(props: { id: string; audiences: readonly Audience[]; value?: string }) {
  return (
    <div class="field">
      <label for={props.id}>Who can see the posts it brings in</label>
      <select id={props.id} name="audience">
        {props.audiences.map((a) => <option value={a} selected={a === (props.value ?? "camp")}>{AUDIENCE_LABELS[a]}</option>)}
      </select>
    </div>
  );
}

function SourceItem(props: { source: FeedSourceView; csrf: string; audiences: readonly Audience[] }) {
  const s = props.source;
  return (
    <li class="feed-source">
      <h3>{s.label}</h3>
      <p><a href={s.url} rel="nofollow noopener">{s.url}</a> · {AUDIENCE_LABELS[s.audience]} · {s.enabled ? "on" : "off"}</p>
      <p>Last checked: {when(s.last_checked_at)}{s.last_result ? `: ${s.last_result}` : ""}</p>
      {s.last_error && <p class="error">Last error: {s.last_error}</p>}
      {s.enabled ? <p>Next check: {when(s.next_poll_at)}</p> : null}
      <details>
        <summary>Change the label or audience of {s.label}</summary>
        <Form action={`/settings/feeds/${s.id}`} csrf={props.csrf} label={`Change ${s.label}`}>
          <div class="field">
            <label for={`source-${s.id}-label`}>Label</label>
            <input id={`source-${s.id}-label`} name="label" value={s.label} required maxlength={100} />
          </div>
          <AudienceChoice id={`source-${s.id}-audience`} audiences={props.audiences} value={s.audience} />
          <button type="submit">Save {s.label}</button>
        </Form>
      </details>
      {s.held_back > 0 && s.enabled ? (
        <PostButton action={`/settings/feeds/${s.id}/import-held`} csrf={props.csrf} label={`Import the ${s.held_back} older entries too`} />
      ) : null}
      <PostButton action={`/settings/feeds/${s.id}/${s.enabled ? "off" : "on"}`} csrf={props.csrf} label={s.enabled ? `Switch off ${s.label}` : `Switch on ${s.label}`} />
      <PostButton action={`/settings/feeds/${s.id}/delete`} csrf={props.csrf} label={`Remove ${s.label}`} class="link" />
    </li>
  );
}

/** The member's own public feed: its addresses, and the switch. */
function OwnFeed(props: { csrf: string; handle: string; enabled: boolean }) {
  const base = `/@${props.handle}/feed`;
  return (
    <>
      <h2>Your public posts as a feed</h2>
      {props.enabled ? (
        <p>
          Feed readers can follow your public and unlisted posts (never camp-only, followers-only or direct ones) at{" "}
          <a href={`${base}.rss`}>RSS</a>, <a href={`${base}.atom`}>Atom</a> and <a href={`${base}.json`}>JSON Feed</a>.
        </p>
      ) : <p>Your feed is off: its addresses answer "not found".</p>}
      <form method="post" action="/settings/feeds/publish" class="inline">
        <input type="hidden" name="_csrf" value={props.csrf} />
        <input type="hidden" name="enabled" value={props.enabled ? "0" : "1"} />
        <button type="submit">{props.enabled ? "Turn my feed off" : "Turn my feed on"}</button>
      </form>
    </>
  );
}

export function FeedsPage(props: { page: PageContext; sources: FeedSourceView[]; audiences: readonly Audience[]; perCheck: number; feedEnabled: boolean; state: FormState; notice?: string | null }) {
  const v = props.state.values ?? {};
  const fieldError = (name: string) => (props.state.field === name ? props.state.error : null);
  return (
    <Layout page={props.page} title="Your feeds">
      <Notice message={props.notice} />
      <ErrorBox message={props.state.error} />
      <p>
        Tie in what you make elsewhere: new entries of your blog, photo site or code host become your posts here, marked with
        where they came from, and friends can comment on them. Each feed is checked at most every 15 minutes. A check brings
        in at most {props.perCheck} new posts (the newest); older entries wait until you choose to import them.
      </p>
      <h2>Add a feed</h2>
      <Form action="/settings/feeds" csrf={props.page.csrf} label="Add a feed">
        <Field name="url" label="Address of the feed or of your site" type="url" value={v.url} required
          hint="For a site, Kith finds its feed." error={fieldError("url")} />
        <Field name="label" label="Label (optional)" value={v.label} maxlength={100} hint="Shown on this page; the feed's title if empty." error={fieldError("label")} />
        <AudienceChoice id="feed-audience" audiences={props.audiences} value={v.audience} />
        <button type="submit">Add feed</button>
      </Form>
      <h2>Your feeds</h2>
      {props.sources.length === 0 ? <p>No feeds yet.</p> : (
        <ul class="feed-sources">{props.sources.map((s) => <SourceItem source={s} csrf={props.page.csrf} audiences={props.audiences} />)}</ul>
      )}
      <h2>Import from a feed reader</h2>
      <Form action="/settings/feeds/opml" csrf={props.page.csrf} multipart label="Import OPML">
        <Field name="opml" label="OPML file" type="file" accept=".opml,.xml,text/xml,application/xml" required
          hint="Export it from your feed reader; every feed in it is added." error={fieldError("opml")} />
        <AudienceChoice id="opml-audience" audiences={props.audiences} />
        <button type="submit">Import feeds</button>
      </Form>
      <OwnFeed csrf={props.page.csrf} handle={props.page.viewer!.handle} enabled={props.feedEnabled} />
    </Layout>
  );
}
