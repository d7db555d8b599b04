/** Mastodon's Poll entity from a page's poll view; its id is the post's, as Kith keeps one poll per post. */
import type { PollView } from "../../../domain/polls/view.ts";

export function pollEntity(postId: number, poll: PollView) {
  return {
    id: String(postId),
    expires_at: new Date(poll.closesAt).toISOString(),
    expired: poll.closed,
    multiple: poll.multiple,
    votes_count: poll.options.reduce((sum, o) => sum + o.votes, 0),
    voters_count: poll.votersCount,
    // Results are shown after voting, once closed or to the author, as on the page.
    options: poll.options.map((o) => ({ title: o.title, votes_count: poll.showResults ? o.votes : null })),
    emojis: [],
    voted: poll.myChoices.length > 0,
    own_votes: poll.myChoices,
  };
}
