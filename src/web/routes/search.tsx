/**
 * Search: GET /search draws the page (or, for htmx, only the results section, or the next page of
 * posts), POST /search/resolve looks a handle or address up on its own server. Reads are rate limited
 * per member or address, since each one costs a full-text query.
 */
import { Hono, type Context } from "hono";
import { Refusal } from "../../domain/errors.ts";
import { findMember } from "../../domain/members/directory.ts";
import { viewerOf } from "../../domain/posts/visibility.ts";
import { knownReference, referenceIn } from "../../domain/search/known.ts";
import { searchPeople, searchTags } from "../../domain/search/people.ts";
import { searchPosts, type PostFilters } from "../../domain/search/posts.ts";
import { searchTerms } from "../../domain/search/terms.ts";
import { normalizeTag, MAX_TAG_LENGTH } from "../../domain/text/references.ts";
import { lookupAccount, lookupUrl } from "../../federation/lookup.ts";
import { FetchRefused } from "../../federation/safeFetch.ts";
import { SearchHits, SearchPage, SearchResultsView, type SearchForm, type SearchResults } from "../../../views/pages/search.tsx";
import { clientAddress } from "../clientAddress.ts";
import type { WebEnv } from "../env.ts";
import { readForm } from "../forms.ts";
import { isHtmx } from "../htmx.ts";
import { pageContext, render } from "../render.tsx";
import { RateLimiter } from "../rateLimit.ts";
import { requireMember } from "../session.ts";

const MINUTE = 60_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function formOf(c: Context<WebEnv>): SearchForm {
  const q = (name: string) => c.req.query(name) ?? "";
  return { q: q("q"), from: q("from").trim(), tag: q("tag").trim(), after: q("after"), before: q("before"), mine: q("mine") === "1", images: q("images") === "1" };
}

/** The form's address without a cursor, which "More results" pages from. */
function pathOf(form: SearchForm): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    if (value === true) params.set(name, "1");
    else if (typeof value === "string" && value) params.set(name, value);
  }
  return `/search?${params}`;
}

/** A date field as the start of that day (UTC), or a refusal naming the field. */
function dayOf(value: string, label: string): number | null {
  if (!value) return null;
  const at = DATE.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  if (Number.isNaN(at)) throw new Refusal("invalid", `${label} must be a date like 2026-03-01.`);
  return at;
}

/** Turns the form into filters; a member or tag that does not exist is said plainly. */
async function filtersOf(c: Context<WebEnv>, form: SearchForm): Promise<PostFilters> {
  const filters: PostFilters = { before: dayOf(form.before, "Posted before"), after: dayOf(form.after, "Posted on or after"), onlyMine: form.mine, withImages: form.images };
  if (form.from) {
    const member = await findMember(c.var.deps.db, form.from);
    if (!member) throw new Refusal("invalid", `Nobody in this camp is called @${form.from.replace(/^@/, "")}.`);
    filters.authorId = member.id;
  }
  if (form.tag) {
    const tag = normalizeTag(form.tag.replace(/^#/, ""));
    if (!/^[\p{L}\p{N}_]+$/u.test(tag) || tag.length > MAX_TAG_LENGTH) throw new Refusal("invalid", "That is not a tag: type it without spaces, like cooking.");
    filters.tag = tag;
  }
  return filters;
}

const noPosts = { hits: [], next: null };

async function runSearch(c: Context<WebEnv>, form: SearchForm, cursor: string | null): Promise<SearchResults> {
  const db = c.var.deps.db;
  const viewer = viewerOf(c.var.viewer);
  const base = { form, path: pathOf(form), posts: noPosts, people: [], tags: [], reference: null };
  const terms = searchTerms(form.q);
  const filters = await filtersOf(c, form);
  const ref = referenceIn(form.q);
  if (ref) {
    const known = await knownReference(db, viewer, ref, new URL(c.var.deps.config.origin).host);
    return { ...base, asked: true, reference: { known, lookup: !!c.var.viewer } };
  }
  const filtered = Object.values(filters).some((v) => v !== null && v !== undefined && v !== false);
  if (!terms.match && !filtered) return { ...base, asked: false };
  const [posts, people, tags] = await Promise.all([
    searchPosts(db, viewer, terms, filters, cursor),
    cursor || filtered ? [] : searchPeople(db, viewer, terms),
    cursor || filtered ? [] : searchTags(db, viewer, terms),
  ]);
  return { ...base, asked: true, posts, people, tags };
}

export function searchRoutes() {
  const app = new Hono<WebEnv>();
  const visitorSearchesPerMinute = new RateLimiter("visitor-searches-per-address", 30, MINUTE);

  app.get("/search", async (c) => {
    const form = formOf(c);
    const cursor = c.req.query("cursor") ?? null;
    c.header("vary", "HX-Request");
    let results: SearchResults;
    let status: 200 | 422 | 429 = 200;
    const blank = { form, path: pathOf(form), posts: noPosts, people: [], tags: [], reference: null, asked: false };
    if (!c.var.viewer && c.req.url.includes("?") && !(await visitorSearchesPerMinute.hit(c.var.deps.db, clientAddress(c)))) {
      c.var.deps.log.warn("search: rate limited", { requestId: c.var.requestId });
      results = { ...blank, error: "Too many searches in a minute. Wait a moment and search again." };
      status = 429;
    } else {
      try {
        results = await runSearch(c, form, cursor);
      } catch (error) {
        if (!(error instanceof Refusal)) throw error;
        c.var.deps.log.info("search: refused", { requestId: c.var.requestId, reason: error.message });
        results = { ...blank, error: error.message };
        status = 422;
      }
    }
    if (isHtmx(c) && cursor) return c.html(<SearchHits posts={results.posts} path={results.path} />, status);
    if (isHtmx(c)) return c.html(<SearchResultsView {...results} csrf={c.var.csrfToken} />, status);
    return render(c, <SearchPage page={await pageContext(c)} results={results} />, status);
  });

  app.post("/search/resolve", requireMember, async (c) => {
    const q = (await readForm(c)).text("q");
    const ref = referenceIn(q);
    try {
      if (ref?.kind === "url") {
        const found = await lookupUrl(c.var.deps, ref.url);
        return c.redirect(found.kind === "post" ? `/posts/${found.id}` : `/remote/${found.id}`, 303);
      }
      const id = await lookupAccount(c.var.deps, q);
      return c.redirect(`/remote/${id}`, 303);
    } catch (error) {
      if (!(error instanceof FetchRefused)) throw error;
      c.var.deps.log.info("search: lookup failed", { requestId: c.var.requestId, reason: error.message });
      const form = { ...formOf(c), q };
      const results: SearchResults = { form, path: pathOf(form), posts: noPosts, people: [], tags: [], asked: false, reference: null,
        error: /^(Type a handle|Paste the whole)/.test(error.message) ? error.message : `We could not look that up: ${error.message}` };
      return render(c, <SearchPage page={await pageContext(c)} results={results} />, 422);
    }
  });

  return app;
}
