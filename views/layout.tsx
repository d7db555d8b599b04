/** The one layout: skip link, header with navigation, main content, footer. */
import { html, raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { PageContext } from "./context.ts";
import { drawn, escapeHtml } from "./components/markupText.ts";
import { PostButton } from "./components/forms.tsx";
import { UnreadBadge } from "./components/unreadBadge.tsx";
import { AccentStyle } from "./components/campLook.tsx";
import { LiveConnection } from "./components/live.ts";
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

/** The three places a member goes most, always in view; the rest fold into "More" on small screens. */
function primaryLinks(page: PageContext): NavLink[] {
  if (!page.viewer) return [{ href: "/about", label: "About" }, { href: "/login", label: "Log in" }];
  return [
    { href: "/", label: "Home" },
    { href: "/camp", label: "Camp" },
    { href: "/notifications", label: "Notifications", unread: true },
  ];
}

function moreLinks(page: PageContext): NavLink[] {
  if (!page.viewer) return [];
  const links: NavLink[] = [
    { href: "/members", label: "Members" },
    { href: "/filters", label: "Filters" },
    { href: "/settings", label: "Settings" },
  ];
  if (mayModerate(page.viewer.role)) links.push({ href: "/moderation/reports", label: "Reports", waiting: { count: page.openReports ?? 0, what: "open" } });
  if (page.viewer.role === "operator") links.push({ href: "/admin", label: "Admin" });
  return links;
}

function navItemOf(link: NavLink, page: PageContext): string {
  const current = page.path === link.href ? ' aria-current="page"' : "";
  const waiting = link.waiting?.count ? ` <span class="badge">${link.waiting.count}</span><span class="visually-hidden"> ${escapeHtml(link.waiting.what)}</span>` : "";
  return `<li><a href="${escapeHtml(link.href)}"${current}>${escapeHtml(link.label)}${link.unread ? UnreadBadge({ count: page.unread }) : ""}${waiting}</a></li>`;
}

/**
 * The main navigation. The rarer links sit in a `<details>` "More" menu, which opens without
 * JavaScript; on wide screens the stylesheet shows them inline and hides the "More" toggle.
 */
function mainNavOf(page: PageContext): string {
  const primary = primaryLinks(page).map((link) => navItemOf(link, page)).join("");
  const more = page.viewer
    ? `<details class="nav-more"><summary>More</summary><ul>${moreLinks(page).map((link) => navItemOf(link, page)).join("")}<li>${PostButton({ action: "/logout", csrf: page.csrf, label: "Log out" })}</li></ul></details>`
    : "";
  return `<nav aria-label="Main"><ul class="nav-primary">${primary}</ul>${more}</nav>`;
}

/** Everything of the page before its content (the title and its heading included), as a string. */
function pageTop(page: PageContext, title: string): string {
  const logo = page.logoUrl ? `<img class="camp-logo" src="${escapeHtml(page.logoUrl)}" alt="" width="32" height="32"/>` : "";
  return '<html lang="en"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>'
    + `<title>${escapeHtml(`${title} · ${page.campName}`)}</title><link rel="stylesheet" href="/static/style.css"/>`
    + `${AccentStyle({ hex: page.accent })}${FeedAlternates({ feeds: page.feeds })}`
    + '<script src="/static/htmx.min.js" defer=""></script><script src="/static/kith.js" defer=""></script>'
    + (page.viewer ? '<script src="/static/hx-sse.js" defer=""></script>' : "")
    + (page.timeZoneUnset ? `<meta name="kith-guess-time-zone" content="${escapeHtml(page.csrf)}"/>` : "")
    + '</head><body><a class="skip" href="#main">Skip to content</a>'
    + `<header class="site"><a class="camp-name" href="/">${logo}${escapeHtml(page.campName)}</a>${SearchBox({})}${mainNavOf(page)}</header>`
    + (page.viewer ? drawn(LiveConnection({ place: page.live ?? null })) : "")
    + `<main id="main" tabindex="-1"><h1>${escapeHtml(title)}</h1>`;
}

const PAGE_BOTTOM = '</main><footer class="site"><a href="/about">About this camp</a> · Kith</footer></body></html>';

/**
 * The layout around every page's content. Its own markup is joined strings, drawn for every page at
 * a fraction of what JSX costs (see markupText.ts); the content is whatever the page passes.
 */
export function Layout(props: { page: PageContext; title: string; children: Child }) {
  return html`${raw(pageTop(props.page, props.title))}${props.children}${raw(PAGE_BOTTOM)}`;
}
