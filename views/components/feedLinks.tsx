/** The <link rel="alternate"> elements that let feed readers find a page's feeds, one per format. */
import type { FeedLink } from "../context.ts";

const FORMATS = [
  { ext: "rss", type: "application/rss+xml", name: "RSS" },
  { ext: "atom", type: "application/atom+xml", name: "Atom" },
  { ext: "json", type: "application/feed+json", name: "JSON Feed" },
];

export function FeedAlternates(props: { feeds?: FeedLink[] }) {
  return <>{(props.feeds ?? []).flatMap((f) => FORMATS.map((x) => <link rel="alternate" type={x.type} title={`${f.title} (${x.name})`} href={`${f.path}.${x.ext}`} />))}</>;
}
