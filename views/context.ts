/** What every page needs to draw the layout, passed in by the route that renders it. */
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
  /** Feeds this page offers to feed readers (<link rel="alternate">). */
  feeds?: FeedLink[];
}

export interface FeedLink {
  title: string;
  /** The feed's path without its format's extension. */
  path: string;
}
