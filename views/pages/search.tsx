/**
 * The search page: the query and its filters, then people, tags and posts. The results section is
 * also the fragment htmx swaps in as one types (and "More results" appends), so with or without
 * JavaScript the same markup is drawn. Snippet text is escaped like any text; only <mark> is ours.
 */
import type { AuthorView } from "../../src/domain/posts/present.ts";
import type { SearchHit, PostSearchPage } from "../../src/domain/search/posts.ts";
import { Layout } from "../layout.tsx";
import type { PageContext } from "../context.ts";
import { AUDIENCE_LABELS } from "../components/audience.tsx";
import { AuthorLink } from "../components/post.tsx";
import { CsrfField } from "../components/forms.tsx";

export interface SearchForm {
  q: string;
  from: string;
  tag: string;
  after: string;
  before: string;
  mine: boolean;
  images: boolean;
}

export interface SearchResults {
  form: SearchForm;
  /** What went wrong with the query, in words for the person. */
  error?: string | null;
  /** Whether anything was asked at all (an empty page shows no "nothing found"). */
  asked: boolean;
  posts: PostSearchPage;
  people: AuthorView[];
  tags: string[];
  /** A handle or address typed in: where it leads here, and whether to offer a lookup on its server. */
  reference: { known: { href: string; label: string } | null; lookup: boolean } | null;
  /** The address of this search without a cursor, which "More results" adds to. */
  path: string;
}

const moreHref = (path: string, cursor: string) => `${path}${path.includes("?") ? "&" : "?"}cursor=${encodeURIComponent(cursor)}`;

function Hit(props: { hit: SearchHit }) {
  const p = props.hit.item.post;
  const created = new Date(p.createdAt).toISOString();
  const snippet = <p class="snippet">{props.hit.snippet.map((part) => (part.hit ? <mark>{part.text}</mark> : part.text))}</p>;
  return (
    <li class="hit">
      <p class="meta">
        {AuthorLink({ author: p.author })} · <a href={`/posts/${p.id}`}><time datetime={created}>{`${created.slice(0, 16).replace("T", " ")} UTC`}</time></a>
        {" · "}<span class="audience">{AUDIENCE_LABELS[p.audience]}</span>
      </p>
      {p.contentWarning ? <details class="cw"><summary><span class="cw-label">Content warning:</span> {p.contentWarning}</summary>{snippet}</details> : snippet}
    </li>
  );
}

/** Posts of one page and the link to the next; the fragment "More results" appends. */
export function SearchHits(props: { posts: PostSearchPage; path: string }) {
  const next = props.posts.next;
  return (
    <>
      {props.posts.hits.map((hit) => <Hit hit={hit} />)}
      {next !== null && (
        <li class="more">
          <a href={moreHref(props.path, next)} hx-get={moreHref(props.path, next)} hx-target="closest .more" hx-swap="outerHTML">More results</a>
        </li>
      )}
    </>
  );
}

function Reference(props: { reference: NonNullable<SearchResults["reference"]>; q: string; csrf: string }) {
  const r = props.reference;
  return (
    <section class="lookup" aria-label="Elsewhere">
      {r.known && <p><a href={r.known.href}>{r.known.label}</a></p>}
      {r.lookup && (
        <form method="post" action="/search/resolve" class="inline">
          <CsrfField csrf={props.csrf} />
          <input type="hidden" name="q" value={props.q} />
          <button type="submit">{r.known ? "Look it up again on its server" : "Look it up on its server"}</button>
        </form>
      )}
    </section>
  );
}

/** The results section: the part htmx replaces as one types. */
export function SearchResultsView(props: SearchResults & { csrf: string }) {
  const found = props.posts.hits.length + props.people.length + props.tags.length;
  return (
    <section id="search-results" aria-label="Search results">
      {props.error && <p class="error" role="alert">{props.error}</p>}
      {props.reference && <Reference reference={props.reference} q={props.form.q} csrf={props.csrf} />}
      {props.asked && !props.error && (
        <p role="status" class="result-count">{found === 0 ? "Nothing found that you can see." : `${props.posts.hits.length}${props.posts.next ? "+" : ""} posts found.`}</p>
      )}
      {props.people.length > 0 && (
        <>
          <h2>People</h2>
          <ul class="directory">{props.people.map((a) => <li>{AuthorLink({ author: a })}</li>)}</ul>
        </>
      )}
      {props.tags.length > 0 && (
        <>
          <h2>Tags</h2>
          <ul class="tags">{props.tags.map((t) => <li><a href={`/tags/${encodeURIComponent(t)}`}>#{t}</a></li>)}</ul>
        </>
      )}
      {props.posts.hits.length > 0 && (
        <>
          <h2>Posts</h2>
          <ol class="hits"><SearchHits posts={props.posts} path={props.path} /></ol>
        </>
      )}
    </section>
  );
}

function Filters(props: { form: SearchForm; member: boolean }) {
  const f = props.form;
  const open = !!(f.from || f.tag || f.after || f.before || f.mine || f.images);
  return (
    <details class="filters" open={open}>
      <summary>Filters</summary>
      <div class="field"><label for="search-from">From member (handle)</label><input type="text" id="search-from" name="from" value={f.from} maxlength={31} /></div>
      <div class="field"><label for="search-tag">Tagged</label><input type="text" id="search-tag" name="tag" value={f.tag} maxlength={65} /></div>
      <div class="field"><label for="search-after">Posted on or after</label><input type="date" id="search-after" name="after" value={f.after} /></div>
      <div class="field"><label for="search-before">Posted before</label><input type="date" id="search-before" name="before" value={f.before} /></div>
      {props.member && <label><input type="checkbox" name="mine" value="1" checked={f.mine} /> Only my posts</label>}
      <label><input type="checkbox" name="images" value="1" checked={f.images} /> Only posts with images</label>
    </details>
  );
}

export function SearchPage(props: { page: PageContext; results: SearchResults }) {
  const form = props.results.form;
  return (
    <Layout page={props.page} title="Search">
      <form role="search" method="get" action="/search" aria-label="Search posts and people" class="search"
        hx-get="/search" hx-trigger="submit, input delay:300ms" hx-target="#search-results" hx-swap="outerHTML" hx-push-url="true">
        <div class="field">
          <label for="search-q">Search for</label>
          <p class="hint" id="search-q-hint">Words (all must match; "quote a phrase"), @someone@example.social, or the address of a post.</p>
          <input type="search" id="search-q" name="q" value={form.q} maxlength={500} aria-describedby="search-q-hint" />
        </div>
        <Filters form={form} member={!!props.page.viewer} />
        <button type="submit">Search</button>
      </form>
      <SearchResultsView {...props.results} csrf={props.page.csrf} />
    </Layout>
  );
}
