/** The stream pages: Home (with the compose form), Camp, a tag, and a profile's posts. */
import type { Child } from "hono/jsx";
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import { ComposeForm, type ComposeProps } from "../components/compose.tsx";
import { Stream, type StreamProps } from "../components/stream.tsx";
import { NEW_POSTS_SLOT } from "../components/live.ts";

export function StreamPage(props: {
  page: PageContext;
  title: string;
  stream: Omit<StreamProps, "csrf" | "signedIn" | "time">;
  compose?: ComposeProps | null;
  intro?: Child;
}) {
  return (
    <Layout page={props.page} title={props.title}>
      {props.intro}
      {props.compose && <ComposeForm {...props.compose} />}
      {props.page.live && NEW_POSTS_SLOT}
      <Stream {...props.stream} csrf={props.page.csrf} signedIn={!!props.page.viewer} time={props.page.time} />
    </Layout>
  );
}
