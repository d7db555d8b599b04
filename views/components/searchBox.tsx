/** The search box in the site header: a plain GET form to /search, so it works without JavaScript. */
export function SearchBox(props: { query?: string }) {
  return (
    <form role="search" method="get" action="/search" class="site-search" aria-label="Site search">
      <label for="site-search-q" class="visually-hidden">Search posts, people and tags</label>
      <input type="search" id="site-search-q" name="q" value={props.query ?? ""} maxlength={500} placeholder="Search" />
      <button type="submit">Search</button>
    </form>
  );
}
