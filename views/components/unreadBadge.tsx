import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { UNREAD_COUNTED_UP_TO } from "../../src/domain/notifications/inbox.ts";

/** The unread notifications badge in the navigation; htmx asks for it again every 30 seconds. */
export function UnreadBadge(props: { count: number }): HtmlEscapedString {
  // The count stops at UNREAD_COUNTED_UP_TO: past one less, the badge says "99+".
  const shown = props.count >= UNREAD_COUNTED_UP_TO ? `${UNREAD_COUNTED_UP_TO - 1}+` : String(props.count);
  const badge = props.count > 0 ? ` <span class="badge">${shown}</span><span class="visually-hidden"> unread</span>` : "";
  return raw(`<span id="unread-count" class="unread" hx-get="/notifications/unread" hx-trigger="every 30s" hx-swap="outerHTML">${badge}</span>`);
}
