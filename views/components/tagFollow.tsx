/** Follow or unfollow a tag, on the tag's page: a plain one-button form. */
import { PostButton } from "./forms.tsx";

export function TagFollowButton(props: { tag: string; following: boolean; csrf: string }) {
  const path = `/tags/${encodeURIComponent(props.tag)}/${props.following ? "unfollow" : "follow"}`;
  return (
    <div class="actions relation">
      {props.following && <p class="notice" role="status">You follow #{props.tag}: its public and camp posts show in your Home.</p>}
      <PostButton action={path} csrf={props.csrf} label={props.following ? `Unfollow #${props.tag}` : `Follow #${props.tag}`} />
    </div>
  );
}
