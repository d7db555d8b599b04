/** The member's own filters: muted words (hide or collapse), muted people, hidden boosts. */
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import type { FormState } from "./auth.tsx";
import { ErrorBox, Field, Form, Notice, PostButton } from "../components/forms.tsx";

export interface FiltersView {
  words: { id: number; word: string; action: "hide" | "collapse" }[];
  mutes: { kind: "mute" | "hide_boosts"; id: number; handle: string; domain: string | null; display_name: string }[];
}

export function FiltersPage(props: { page: PageContext; filters: FiltersView; state: FormState; notice?: string | null }) {
  const { words, mutes } = props.filters;
  const acct = (m: FiltersView["mutes"][number]) => (m.domain ? `@${m.handle}@${m.domain}` : `@${m.handle}`);
  return (
    <Layout page={props.page} title="Your filters">
      <Notice message={props.notice} />
      <ErrorBox message={props.state.error} />
      <p>Filters only change what you see. Nobody is told.</p>
      <h2>Muted words</h2>
      {words.length === 0 ? <p>No muted words.</p> : (
        <ul class="filter-list">
          {words.map((w) => (
            <li>“{w.word}”: {w.action === "hide" ? "hidden" : "collapsed"}{" "}
              <PostButton action={`/filters/words/${w.id}/delete`} csrf={props.page.csrf} label={`Unmute “${w.word}”`} class="link" />
            </li>
          ))}
        </ul>
      )}
      <Form action="/filters/words" csrf={props.page.csrf} label="Mute a word">
        <Field name="word" label="Word or phrase" value={props.state.values?.word} required maxlength={100}
          error={props.state.field === "word" ? props.state.error : null} />
        <fieldset class="field">
          <legend>Posts containing it</legend>
          <input type="radio" id="action-collapse" name="action" value="collapse" checked />
          <label for="action-collapse" class="radio">Collapse them behind a note</label>
          <input type="radio" id="action-hide" name="action" value="hide" />
          <label for="action-hide" class="radio">Hide them from my streams</label>
        </fieldset>
        <button type="submit">Mute word</button>
      </Form>
      <h2>People</h2>
      {mutes.length === 0 ? <p>You have not muted anyone. Use the buttons on a profile.</p> : (
        <ul class="filter-list">
          {mutes.map((m) => (
            <li>{m.display_name} <span class="handle">{acct(m)}</span>: {m.kind === "mute" ? "muted" : "boosts hidden"}{" "}
              <PostButton action={`/accounts/${m.id}/${m.kind === "mute" ? "unmute" : "show-boosts"}`} csrf={props.page.csrf}
                label={m.kind === "mute" ? `Unmute ${acct(m)}` : `Show boosts from ${acct(m)}`} class="link" />
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
