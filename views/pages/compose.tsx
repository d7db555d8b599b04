/** A post form on its own page: where a refused post comes back with its message when JavaScript is off. */
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import { ComposeForm, type ComposeProps } from "../components/compose.tsx";

export function ComposePage(props: { page: PageContext; compose: ComposeProps }) {
  return (
    <Layout page={props.page} title={props.compose.replyTo ? "Reply" : "Write a post"}>
      <ComposeForm {...props.compose} />
    </Layout>
  );
}
