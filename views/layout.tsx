/** The one layout: skip link, header with navigation, main content, footer. */
import type { Child } from "hono/jsx";
import type { PageContext } from "./context.ts";
import { PostButton } from "./components/forms.tsx";
import { UnreadBadge } from "./components/unreadBadge.tsx";
import { FeedAlternates } from "./components/feedLinks.tsx";
import { SearchBox } from "./components/searchBox.tsx";
import { mayModerate } from "../src/domain/reports/moderators.ts";

interface NavLink {
  href: string;
  label: string;
  /** Shows the unread notifications badge after the label. */
  unread?: boolean;
  /** A count of things waiting, shown after the label with what it counts for screen readers. */
  waiting?: { count: number; what: string };
}

function navLinks(page: PageContext): NavLink[] {
  if (!page.viewer) return [{ href: "/about", label: "About" }, { href: "/login", label: "Log in" }];
  const links: NavLink[] = [
    { href: "/", label: "Home" },
    { href: "/camp", label: "Camp" },
    { href: "/notifications", label: "Notifications", unread: true },
    { href: "/members", label: "Members" },
    { href: "/filters", label: "Filters" },
    { href: "/settings", label: "Settings" },
  ];
  if (mayModerate(page.viewer.role)) links.push({ href: "/moderation/reports", label: "Reports", waiting: { count: page.openReports ?? 0, what: "open" } });
  if (page.viewer.role === "operator") links.push({ href: "/admin", label: "Admin" });
  return links;
}

export function Layout(props: { page: PageContext; title: string; children: Child }) {
  const { page } = props;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${page.campName}`}</title>
        <link rel="stylesheet" href="/static/style.css" />
        <FeedAlternates feeds={page.feeds} />
        <script src="/static/htmx.min.js" defer></script>
        <script src="/static/kith.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        <header class="site">
          <a class="camp-name" href="/">{page.campName}</a>
          <SearchBox />
          <nav aria-label="Main">
            <ul>
              {navLinks(page).map((link) => (
                <li>
                  <a href={link.href} aria-current={page.path === link.href ? "page" : undefined}>
                    {link.label}{link.unread && <UnreadBadge count={page.unread} />}
                    {!!link.waiting?.count && <> <span class="badge">{link.waiting.count}</span><span class="visually-hidden"> {link.waiting.what}</span></>}
                  </a>
                </li>
              ))}
              {page.viewer && (
                <li>
                  <PostButton action="/logout" csrf={page.csrf} label="Log out" />
                </li>
              )}
            </ul>
          </nav>
        </header>
        <main id="main" tabindex={-1}>
          <h1>{props.title}</h1>
          {props.children}
        </main>
        <footer class="site">
          <a href="/about">About this camp</a> · Kith
        </footer>
      </body>
    </html>
  );
}
