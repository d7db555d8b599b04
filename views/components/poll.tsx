/**
 * A post's poll: the results (after voting, once closed, or for the author) and the vote form (a
 * plain form that works without JavaScript; with htmx the whole box is swapped for the answer).
 */
import type { PollView } from "../../src/domain/polls/view.ts";
import { CsrfField } from "./forms.tsx";

export interface PollBoxProps {
  postId: number;
  poll: PollView;
  csrf: string;
  signedIn: boolean;
  /** Where the plain form returns after voting. */
  returnTo: string;
  error?: string | null;
}

const when = (at: number) => `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC`;
const votes = (n: number) => `${n} ${n === 1 ? "vote" : "votes"}`;

function Results(props: { poll: PollView }) {
  const total = props.poll.options.reduce((sum, o) => sum + o.votes, 0);
  return (
    <ul class="poll-results">
      {props.poll.options.map((o) => {
        const share = total === 0 ? 0 : Math.round((o.votes / total) * 100);
        return (
          <li>
            <span class="poll-option">{o.title}</span>{props.poll.myChoices.includes(o.position) && <span class="poll-mine"> (your choice)</span>}
            {" "}<span class="poll-count">{votes(o.votes)}, {share}%</span>
            <progress max={100} value={share} aria-hidden="true">{share}%</progress>
          </li>
        );
      })}
    </ul>
  );
}

export function PollBox(props: PollBoxProps) {
  const { poll } = props;
  const action = `/posts/${props.postId}/vote`;
  const voted = poll.myChoices.length > 0;
  return (
    <section class="poll" aria-label="Poll">
      {poll.showResults && <Results poll={poll} />}
      {props.signedIn && poll.canVote && (
        <form method="post" action={action} hx-post={action} hx-target="closest .poll" hx-swap="outerHTML">
          <CsrfField csrf={props.csrf} />
          <input type="hidden" name="next" value={props.returnTo} />
          <fieldset>
            <legend>{poll.multiple ? "Choose one or more" : "Choose one"}</legend>
            {poll.options.map((o) => (
              <label class="poll-choice">
                <input type={poll.multiple ? "checkbox" : "radio"} name="choice" value={String(o.position)} checked={poll.myChoices.includes(o.position)} /> {o.title}
              </label>
            ))}
          </fieldset>
          <button type="submit">{voted ? "Change vote" : "Vote"}</button>
        </form>
      )}
      <p class="poll-meta">{poll.votersCount} {poll.votersCount === 1 ? "person" : "people"} voted · {poll.closed ? `Closed` : `Closes ${when(poll.closesAt)}`}{!poll.showResults && " · results after you vote"}</p>
      {props.error && <p class="error" role="alert">{props.error}</p>}
    </section>
  );
}
