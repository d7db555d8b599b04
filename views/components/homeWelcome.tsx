/**
 * What an empty Home says: the next steps in a new camp, not a blank page. The operator also sees how
 * to invite a friend. It disappears by itself once the stream shows a post (see .empty in the stylesheet).
 */
export function HomeWelcome(props: { operator: boolean }) {
  return (
    <section class="empty welcome" aria-labelledby="welcome-heading">
      <h2 id="welcome-heading">Your Home is quiet for now</h2>
      <p>Home shows your posts and those of the people you follow. To fill it:</p>
      <ol class="next-steps">
        <li><a href="#compose-source">Write a first post</a>: say hello, it goes to the camp only.</li>
        <li><a href="/members">Follow someone</a> from the members list; their posts then show up here.</li>
        <li>Have a look at the <a href="/camp">Camp stream</a>: everything members share with the camp.</li>
        {props.operator && <li><a href="/admin/invites">Invite a friend</a>: make an invite link and send it to them.</li>}
      </ol>
    </section>
  );
}
