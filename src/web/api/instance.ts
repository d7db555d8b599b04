/**
 * What an app asks first about the camp: the instance (v1 and v2), custom emojis (none), and the
 * member's preferences. The camp is private, so only counts and settings are shown, never posts.
 */
import { Hono } from "hono";
import { getCamp } from "../../domain/camp/settings.ts";
import { listActiveMembers } from "../../domain/members/directory.ts";
import { MAX_ALT, MAX_ATTACHMENTS, MAX_POST_CHARS } from "../../domain/posts/limits.ts";
import { MAX_IMAGE_BYTES } from "../../domain/media/store.ts";
import type { ApiEnv } from "./env.ts";
import { memberWith } from "./auth.ts";
import { CAMP_AVATAR_PATH } from "./entities/account.ts";

/** Apps turn features on by version; this is the Mastodon API level Kith answers for. */
const VERSION = "4.2.0 (compatible; Kith)";

const CONFIGURATION = {
  statuses: { max_characters: MAX_POST_CHARS, max_media_attachments: MAX_ATTACHMENTS, characters_reserved_per_url: 23 },
  media_attachments: {
    supported_mime_types: ["image/png", "image/jpeg", "image/gif", "image/webp"],
    image_size_limit: MAX_IMAGE_BYTES, image_matrix_limit: 16_777_216, video_size_limit: 0, video_frame_rate_limit: 0, video_matrix_limit: 0,
    description_limit: MAX_ALT,
  },
  polls: { max_options: 0, max_characters_per_option: 0, min_expiration: 0, max_expiration: 0 },
  accounts: { max_featured_tags: 0, max_pinned_statuses: 0 },
  translation: { enabled: false },
};

export function instanceApi() {
  const app = new Hono<ApiEnv>();

  const describe = async (db: ApiEnv["Variables"]["deps"]["db"]) => {
    const [camp, members] = await Promise.all([getCamp(db), listActiveMembers(db)]);
    return { camp, users: members.length, rules: camp.rules.split("\n").map((r) => r.replace(/^\s*([-*]|\d+\.)\s*/, "").trim()).filter(Boolean) };
  };

  app.get("/api/v1/instance", async (c) => {
    const { config } = c.var.deps;
    const { camp, users, rules } = await describe(c.var.deps.db);
    return c.json({
      uri: config.domain, title: camp.name, short_description: camp.description, description: camp.description, email: "",
      version: VERSION, urls: { streaming_api: config.origin.replace(/^http/, "ws") }, stats: { user_count: users, status_count: 0, domain_count: 0 },
      thumbnail: null, languages: ["en"], registrations: false, approval_required: true, invites_enabled: true,
      configuration: CONFIGURATION, contact_account: null, rules: rules.map((text, i) => ({ id: String(i + 1), text })),
    });
  });

  app.get("/api/v2/instance", async (c) => {
    const { config } = c.var.deps;
    const { camp, users, rules } = await describe(c.var.deps.db);
    return c.json({
      domain: config.domain, title: camp.name, version: VERSION, source_url: `${config.origin}/about`, description: camp.description,
      usage: { users: { active_month: users } }, thumbnail: { url: config.origin + CAMP_AVATAR_PATH },
      languages: ["en"], configuration: { urls: { streaming: config.origin.replace(/^http/, "ws") }, ...CONFIGURATION },
      registrations: { enabled: false, approval_required: true, message: "Joining is by invitation from a member." },
      contact: { email: "", account: null }, rules: rules.map((text, i) => ({ id: String(i + 1), text, hint: "" })),
    });
  });

  // The camp has no custom emojis; apps ask at start and expect a list.
  app.get("/api/v1/custom_emojis", (c) => c.json([]));

  app.get("/api/v1/preferences", memberWith("read:accounts"), (c) => c.json({
    // Kith's default audience is the camp, which apps see as private with local_only (README, Using an app).
    "posting:default:visibility": "private",
    "posting:default:sensitive": false,
    "posting:default:language": null,
    "reading:expand:media": "default",
    "reading:expand:spoilers": false,
  }));

  return app;
}
