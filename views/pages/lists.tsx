/** Lists: the member's lists with a form to make one, and one list's stream with its people and settings. */
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import type { ListSummary } from "../../src/domain/lists/lists.ts";
import type { AuthorView } from "../../src/domain/posts/present.ts";
import { ErrorBox, Field, Form, Notice, PostButton } from "../components/forms.tsx";
import { Stream, type StreamProps } from "../components/stream.tsx";
import type { FormState } from "./auth.tsx";

const fieldError = (state: FormState, name: string) => (state.field === name ? state.error : null);

function ListFields(props: { state: FormState; title: string; exclusive: boolean }) {
  return (
    <>
      <Field name="title" label="Name" value={props.state.values?.title ?? props.title} required maxlength={100} error={fieldError(props.state, "title")} />
      <label><input type="checkbox" name="exclusive" value="1" checked={props.exclusive} /> Exclusive: their posts leave Home and show only here</label>
    </>
  );
}

export function ListsPage(props: { page: PageContext; lists: ListSummary[]; tags: string[]; state: FormState }) {
  return (
    <Layout page={props.page} title="Lists">
      <p>Group people you follow to read them together. Only you see your lists.</p>
      {props.lists.length === 0 ? <p class="empty">No lists yet.</p> : (
        <ul class="directory">
          {props.lists.map((l) => (
            <li><a href={`/lists/${l.id}`}>{l.title}</a> <span class="handle">{l.members} {l.members === 1 ? "person" : "people"}{l.exclusive && " · exclusive"}</span></li>
          ))}
        </ul>
      )}
      <h2>Tags you follow</h2>
      {props.tags.length === 0 ? <p class="empty">None. Follow a tag from its page (choose a #tag under any post) to see its posts in Home.</p> : (
        <ul class="tags">{props.tags.map((t) => <li><a href={`/tags/${encodeURIComponent(t)}`}>#{t}</a></li>)}</ul>
      )}
      <h2>Make a list</h2>
      <ErrorBox message={props.state.error} />
      <Form action="/lists" csrf={props.page.csrf} label="Make a list">
        <ListFields state={props.state} title="" exclusive={props.state.values?.exclusive === "1"} />
        <button type="submit">Make list</button>
      </Form>
    </Layout>
  );
}

export interface ListPageProps {
  page: PageContext;
  list: { id: number; title: string; exclusive: boolean };
  people: AuthorView[];
  /** People the member follows who are not on the list yet. */
  candidates: AuthorView[];
  stream: Omit<StreamProps, "csrf" | "signedIn">;
  state: FormState;
  notice?: string | null;
}

export function ListPage(props: ListPageProps) {
  const { list, page } = props;
  return (
    <Layout page={page} title={list.title}>
      <p><a href="/lists">All lists</a>{list.exclusive && " · exclusive: these people's posts show here, not on Home"}</p>
      <Notice message={props.notice} />
      <ErrorBox message={props.state.error} />
      <details class="list-settings">
        <summary>People and settings</summary>
        <h2>People</h2>
        {props.people.length === 0 ? <p class="empty">Nobody on this list yet.</p> : (
          <ul class="directory">
            {props.people.map((p) => (
              <li><a href={p.profileUrl}>{p.displayName}</a> <span class="handle">@{p.acct}</span>
                <PostButton action={`/lists/${list.id}/remove/${p.id}`} csrf={page.csrf} label={`Remove @${p.acct}`} class="secondary" /></li>
            ))}
          </ul>
        )}
        {props.candidates.length > 0 && (
          <Form action={`/lists/${list.id}/add`} csrf={page.csrf} label="Add someone">
            <div class="field">
              <label for="list-add">Add someone you follow</label>
              <select id="list-add" name="account">
                {props.candidates.map((p) => <option value={String(p.id)}>{p.displayName} (@{p.acct})</option>)}
              </select>
            </div>
            <button type="submit">Add to list</button>
          </Form>
        )}
        <h2>Settings</h2>
        <Form action={`/lists/${list.id}/edit`} csrf={page.csrf} label="List settings">
          <ListFields state={props.state} title={list.title} exclusive={list.exclusive} />
          <button type="submit">Save list</button>
        </Form>
        <PostButton action={`/lists/${list.id}/delete`} csrf={page.csrf} label="Delete this list" class="danger" />
      </details>
      <Stream {...props.stream} csrf={page.csrf} signedIn />
    </Layout>
  );
}
