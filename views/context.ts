/** What every page needs to draw the layout, passed in by the route that renders it. */
import type { TimeContext } from "./components/time.ts";
import type { LivePlace } from "./components/live.ts";

export interface PageContext {
  campName: string;
  csrf: string;
  viewer: { id: number; handle: string; displayName: string; role: string } | null;
  /** Path of the page, so navigation can mark where the visitor is. */
  path: string;
  /** The member's unread notifications, shown in the navigation. */
  unread: number;
  /** Open reports, for the operator's and moderators' navigation. */
  openReports?: number;
  /** The reader's time zone (UTC until they choose one) and the moment the page is drawn. */
  time: TimeContext;
  /** The member has not chosen a time zone yet: their browser may send its own. */
  timeZoneUnset: boolean;
  /** The camp's accent colour (#rrggbb) and logo, chosen in Admin; null for Kith's own look. */
  accent: string | null;
  logoUrl: string | null;
  /** What this page follows live with JavaScript on (a stream or conversation); notifications always. */
  live?: LivePlace;
  /** Feeds this page offers to feed readers (<link rel="alternate">). */
  feeds?: FeedLink[];
}

export interface FeedLink {
  title: string;
  /** The feed's path without its format's extension. */
  path: string;
}
