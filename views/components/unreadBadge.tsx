/** The unread notifications badge in the navigation; htmx asks for it again every 30 seconds. */
export function UnreadBadge(props: { count: number }) {
  return (
    <span id="unread-count" class="unread" hx-get="/notifications/unread" hx-trigger="every 30s" hx-swap="outerHTML">
      {props.count > 0 && <> <span class="badge">{props.count}</span><span class="visually-hidden"> unread</span></>}
    </span>
  );
}
