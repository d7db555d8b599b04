/** Every migration, in order, imported statically so the compiled binary carries them. */
import type { Migration } from "kysely";
import * as m001 from "./001_initial.ts";
import * as m002 from "./002_pending_mentions.ts";
import * as m003 from "./003_notifications_unread.ts";
import * as m004 from "./004_accounts_public_key_id.ts";
import * as m005 from "./005_stream_indexes.ts";
import * as m006 from "./006_operations.ts";
import * as m007 from "./007_feeds_and_webhooks.ts";
import * as m008 from "./008_search_polls_bookmarks_lists.ts";
import * as m009 from "./009_portability.ts";
import * as m010 from "./010_client_api.ts";
import * as m011 from "./011_look_and_feel.ts";
import * as m012 from "./012_fast_pages.ts";
import * as m013 from "./013_member_domain_blocks.ts";
import * as m014 from "./014_client_api_more.ts";
import * as m015 from "./015_profile_counts.ts";

export const migrations: Record<string, Migration> = {
  "001_initial": m001,
  "002_pending_mentions": m002,
  "003_notifications_unread": m003,
  "004_accounts_public_key_id": m004,
  "005_stream_indexes": m005,
  "006_operations": m006,
  "007_feeds_and_webhooks": m007,
  "008_search_polls_bookmarks_lists": m008,
  "009_portability": m009,
  "010_client_api": m010,
  "011_look_and_feel": m011,
  "012_fast_pages": m012,
  "013_member_domain_blocks": m013,
  "014_client_api_more": m014,
  "015_profile_counts": m015,
};
