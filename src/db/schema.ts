/** Kysely's view of the database: one interface per table, matching migrations/. */
import type { Generated, Insertable, Selectable } from "kysely";

export type Audience = "camp" | "followers" | "unlisted" | "public" | "direct";
export type Role = "operator" | "moderator" | "member";

export interface CampTable {
  id: number;
  name: Generated<string>;
  description: Generated<string>;
  rules: Generated<string>;
  about: Generated<string>;
  support_url: string | null;
  setup_token_hash: string | null;
  authorized_fetch: Generated<number>;
  federation_mode: Generated<"open" | "allowlist">;
  /** 1 when moderators may suspend and reinstate members (006_operations). */
  moderators_may_suspend: Generated<number>;
  /** The camp's accent colour, `#rrggbb`; null for Kith's own. */
  accent_color: string | null;
  logo_media_id: number | null;
}

export interface AccountsTable {
  id: Generated<number>;
  handle: string;
  domain: string | null;
  kind: Generated<string>;
  display_name: Generated<string>;
  bio_source: Generated<string>;
  bio_html: Generated<string>;
  avatar_media_id: number | null;
  avatar_url: string | null;
  locked: Generated<number>;
  uri: string | null;
  url: string | null;
  inbox_uri: string | null;
  shared_inbox_uri: string | null;
  followers_uri: string | null;
  public_key_id: string | null;
  public_key_pem: string | null;
  fetched_at: number | null;
  suspended_at: number | null;
  deleted_at: number | null;
  created_at: number;
  /** The member's public posts are offered as RSS, Atom and JSON Feed (1) or not (0). */
  feed_enabled: Generated<number>;
  /** JSON array of actor URIs this account says it also is (its aliases). */
  also_known_as: Generated<string>;
  /** The account this one moved to, and when. */
  moved_to_uri: Generated<string | null>;
  moved_at: Generated<number | null>;
}

export interface MembersTable {
  account_id: number;
  password_hash: string;
  role: Generated<Role>;
  operator_note: Generated<string>;
  invite_id: number | null;
  created_at: number;
  /** An IANA time zone such as "Europe/Berlin"; null until chosen (pages then use UTC). */
  time_zone: string | null;
}

export interface AccountKeysTable {
  account_id: number;
  rsa_public_pem: string;
  rsa_private_pem: string;
  ed25519_public: string;
  ed25519_private: string;
  created_at: number;
}

export interface SessionsTable {
  id_hash: string;
  account_id: number;
  created_at: number;
  expires_at: number;
}

export interface InvitesTable {
  id: Generated<number>;
  token_hash: string;
  note: Generated<string>;
  created_by: number | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  used_by: number | null;
}

export interface PasswordResetsTable {
  token_hash: string;
  account_id: number;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface MediaTable {
  id: Generated<number>;
  owner_id: number;
  post_id: number | null;
  position: Generated<number>;
  storage_key: string | null;
  remote_url: string | null;
  mime: string;
  bytes: Generated<number>;
  width: number | null;
  height: number | null;
  alt: Generated<string>;
  created_at: number;
}

export interface PostsTable {
  id: Generated<number>;
  author_id: number;
  audience: Generated<Audience>;
  uri: string | null;
  url: string | null;
  in_reply_to_id: number | null;
  in_reply_to_uri: string | null;
  thread_root_id: number | null;
  boost_of_id: number | null;
  content_warning: Generated<string>;
  source: Generated<string>;
  html: Generated<string>;
  language: string | null;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
}

export interface PostEditsTable {
  id: Generated<number>;
  post_id: number;
  content_warning: string;
  source: string;
  html: string;
  audience: Audience;
  replaced_at: number;
}

export interface MentionsTable {
  post_id: number;
  account_id: number;
}

/** `user@domain` mentions not yet tied to an account; federation resolves them. */
export interface PendingMentionsTable {
  post_id: number;
  acct: string;
  created_at: number;
}

export interface PostTagsTable {
  post_id: number;
  tag: string;
}

export interface LikesTable {
  id: Generated<number>;
  account_id: number;
  post_id: number;
  uri: string | null;
  created_at: number;
}

export interface FollowsTable {
  id: Generated<number>;
  follower_id: number;
  followee_id: number;
  state: "pending" | "accepted";
  uri: string | null;
  created_at: number;
}

export interface BlocksTable {
  account_id: number;
  target_id: number;
  uri: string | null;
  created_at: number;
}

export interface MutesTable {
  account_id: number;
  target_id: number;
  kind: "mute" | "hide_boosts";
  created_at: number;
}

export interface MutedWordsTable {
  id: Generated<number>;
  account_id: number;
  word: string;
  action: "hide" | "collapse";
  created_at: number;
}

export type NotificationKind = "reply" | "mention" | "like" | "boost" | "follow" | "follow_request" | "poll";

export interface NotificationsTable {
  id: Generated<number>;
  recipient_id: number;
  kind: NotificationKind;
  actor_id: number;
  post_id: number | null;
  created_at: number;
  read_at: number | null;
}

export interface ReportsTable {
  id: Generated<number>;
  reporter_id: number | null;
  target_id: number | null;
  post_ids: Generated<string>;
  comment: Generated<string>;
  uri: string | null;
  created_at: number;
  resolved_at: number | null;
  /** How the report was dealt with (006_operations). */
  resolution_note: Generated<string>;
  resolved_by: number | null;
}

export interface DomainRulesTable {
  domain: string;
  policy: "block" | "allow";
  created_at: number;
}

export interface SeenActivitiesTable {
  uri: string;
  received_at: number;
}

export interface InboxHealthTable {
  inbox_uri: string;
  domain: string;
  failing_since: number | null;
  unavailable_at: number | null;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  payload: string;
  dedupe_key: string | null;
  attempts: Generated<number>;
  run_at: number;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
}

export interface Database {
  camp: CampTable;
  accounts: AccountsTable;
  members: MembersTable;
  account_keys: AccountKeysTable;
  sessions: SessionsTable;
  invites: InvitesTable;
  password_resets: PasswordResetsTable;
  media: MediaTable;
  posts: PostsTable;
  post_edits: PostEditsTable;
  mentions: MentionsTable;
  post_tags: PostTagsTable;
  pending_mentions: PendingMentionsTable;
  likes: LikesTable;
  follows: FollowsTable;
  blocks: BlocksTable;
  mutes: MutesTable;
  muted_words: MutedWordsTable;
  notifications: NotificationsTable;
  reports: ReportsTable;
  domain_rules: DomainRulesTable;
  seen_activities: SeenActivitiesTable;
  inbox_health: InboxHealthTable;
  jobs: JobsTable;
  moderation_log: ModerationLogTable;
  feed_sources: FeedSourcesTable;
  feed_entries: FeedEntriesTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  bookmarks: BookmarksTable;
  posts_fts: PostsFtsTable;
  accounts_fts: AccountsFtsTable;
  polls: PollsTable;
  poll_options: PollOptionsTable;
  poll_votes: PollVotesTable;
  lists: ListsTable;
  list_members: ListMembersTable;
  followed_tags: FollowedTagsTable;
  exports: ExportsTable;
  imports: ImportsTable;
  import_rows: ImportRowsTable;
  rate_limits: RateLimitsTable;
  oauth_apps: OAuthAppsTable;
  oauth_codes: OAuthCodesTable;
  oauth_tokens: OAuthTokensTable;
  api_markers: ApiMarkersTable;
  client_api_secrets: ClientApiSecretsTable;
  member_domain_blocks: MemberDomainBlocksTable;
}

export type Account = Selectable<AccountsTable>;
export type Member = Selectable<MembersTable>;
export type Post = Selectable<PostsTable>;
export type NewPost = Insertable<PostsTable>;
export type Camp = Selectable<CampTable>;

/** One moderation action, for the operator's audit log. */
export interface ModerationLogTable {
  id: Generated<number>;
  actor_id: number | null;
  action: string;
  target_account_id: number | null;
  report_id: number | null;
  post_id: number | null;
  note: Generated<string>;
  created_at: number;
}

/** A feed a member ties in: polled politely, its new entries become the member's posts. */
export interface FeedSourcesTable {
  id: Generated<number>;
  account_id: number;
  label: string;
  url: string;
  audience: Generated<Audience>;
  enabled: Generated<number>;
  etag: string | null;
  last_modified: string | null;
  /** Only the queued poll carrying this token runs; older ones are stale and do nothing. */
  poll_token: string | null;
  next_poll_at: number | null;
  failures: Generated<number>;
  last_checked_at: number | null;
  last_result: string | null;
  last_error: string | null;
  /** Older entries seen but not imported (first-import and flood caps), for "import the rest". */
  held_back: Generated<number>;
  created_at: number;
}

/** One entry of a source: the post it became, or none while it is held back. */
export interface FeedEntriesTable {
  id: Generated<number>;
  /** Null once the member removed the source: the posts keep their origin. */
  source_id: number | null;
  entry_key: string;
  post_id: number | null;
  link: string | null;
  /** The site shown on the post: "from blog.example". */
  origin_host: string;
  fingerprint: string;
  published_at: number | null;
  created_at: number;
}

/** An outgoing webhook: a member's (their own events) or the operator's camp-wide one. */
export interface WebhooksTable {
  id: Generated<number>;
  account_id: number;
  camp_wide: Generated<number>;
  url: string;
  /** The HMAC-SHA256 key the receiver verifies signatures with; shown to the owner only. */
  secret: string;
  /** The events it wants, space-separated. */
  events: string;
  created_at: number;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: number;
  event_key: string;
  event: string;
  body: string;
  status: "pending" | "delivered" | "failed";
  attempts: Generated<number>;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** A post a member saved for later; private to them. */
export interface BookmarksTable {
  id: Generated<number>;
  account_id: number;
  post_id: number;
  created_at: number;
}

/** FTS5 index of live posts (not boosts), kept by triggers; `posts_fts` is the column MATCH is asked of. */
export interface PostsFtsTable {
  rowid: number;
  posts_fts: string;
  content_warning: string;
  source: string;
}

/** FTS5 index of accounts' handles, names and bios, kept by triggers. */
export interface AccountsFtsTable {
  rowid: number;
  accounts_fts: string;
  handle: string;
  display_name: string;
  bio_source: string;
}

/** A poll carried by a post. */
export interface PollsTable {
  post_id: number;
  multiple: Generated<number>;
  closes_at: number;
  closed_at: number | null;
  /** Remote polls: the voters their server counted. */
  voters_count: Generated<number>;
}

export interface PollOptionsTable {
  poll_id: number;
  position: number;
  title: string;
  /** Remote polls: the votes their server counted. */
  votes_count: Generated<number>;
}

/** One chosen option; `slot` is 0 on single-choice polls (one vote per voter) and the position otherwise. */
export interface PollVotesTable {
  id: Generated<number>;
  poll_id: number;
  account_id: number;
  position: number;
  slot: number;
  uri: string | null;
  created_at: number;
}

/** A member's list of people they follow; an exclusive list's people leave the member's Home. */
export interface ListsTable {
  id: Generated<number>;
  account_id: number;
  title: string;
  exclusive: Generated<number>;
  created_at: number;
}

export interface ListMembersTable {
  list_id: number;
  account_id: number;
}

/** A tag a member follows: its public and camp posts the member may see join their Home. */
export interface FollowedTagsTable {
  account_id: number;
  tag: string;
  created_at: number;
}

export type ExportState = "queued" | "running" | "done" | "failed";

/** A member's archive: built in the background, downloadable until expires_at. */
export interface ExportsTable {
  id: Generated<number>;
  account_id: number;
  state: Generated<ExportState>;
  done_items: Generated<number>;
  total_items: Generated<number>;
  file_name: string | null;
  bytes: Generated<number>;
  error: string | null;
  created_at: number;
  finished_at: number | null;
  expires_at: number | null;
}

export type ImportKind = "follows" | "blocks" | "mutes" | "lists" | "domain_blocks" | "bookmarks";

/** A CSV a member uploaded; its rows are in import_rows. */
export interface ImportsTable {
  id: Generated<number>;
  account_id: number;
  kind: ImportKind;
  file_name: Generated<string>;
  total_rows: number;
  created_at: number;
  finished_at: number | null;
}

export type ImportResult = "followed" | "pending" | "not_found" | "refused" | "done" | "failed";

/** One row of an import: its target (an account address, domain or URL) and, once processed, what happened. */
export interface ImportRowsTable {
  import_id: number;
  row_no: number;
  target: string;
  options: Generated<string>;
  result: ImportResult | null;
  detail: Generated<string>;
}

/** One fixed window of a rate limit, shared by every HTTP worker (key: limit name and subject). */
export interface RateLimitsTable {
  key: string;
  window_start: number;
  count: number;
}

/** An app registered through the client API (POST /api/v1/apps); redirect URIs one per line. */
export interface OAuthAppsTable {
  id: Generated<number>;
  client_id: string;
  client_secret_hash: string;
  name: string;
  website: string | null;
  redirect_uris: string;
  scopes: string;
  created_at: number;
}

/** A one-time authorization code a member granted an app on the consent page. */
export interface OAuthCodesTable {
  code_hash: string;
  app_id: number;
  account_id: number;
  redirect_uri: string;
  scopes: string;
  /** The PKCE S256 challenge, when the app sent one. */
  code_challenge: string | null;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** An access token: a member's (from a code) or an app's own (client credentials, account_id null). */
export interface OAuthTokensTable {
  id: Generated<number>;
  token_hash: string;
  app_id: number;
  account_id: number | null;
  scopes: string;
  /** The code it was issued for, so a reused code revokes it. */
  code_hash: string | null;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

/** Where a member stopped reading a timeline in an app (Mastodon's markers). */
export interface ApiMarkersTable {
  account_id: number;
  timeline: "home" | "notifications";
  last_read_id: number;
  version: Generated<number>;
  updated_at: number;
}

/** Secrets the client API keeps (the key that signs media links for apps), made by the migration. */
export interface ClientApiSecretsTable {
  name: string;
  secret: string;
}

/** A domain a member blocked for themselves: its accounts' posts and notifications leave what they see. */
export interface MemberDomainBlocksTable {
  account_id: number;
  domain: string;
  created_at: number;
}
