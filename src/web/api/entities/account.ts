/** Mastodon's Account entity (and the CredentialAccount of verify_credentials) from Kith's account cards. */
import type { Db } from "../../../db/open.ts";
import { accountCards, type AccountCard, type AccountCounts } from "../../../domain/accounts/cards.ts";

/** Where an app loads the default avatar (initials on the person's colour, as in pages) of someone without a picture. */
export const defaultAvatarPath = (accountId: number) => `/api/kith/avatars/${accountId}.svg`;
/** The camp's own picture for apps: the default avatar of its name. */
export const CAMP_AVATAR_PATH = "/api/kith/avatars/camp.svg";

const iso = (ms: number) => new Date(ms).toISOString();

/** An absolute URL for a path on this camp; other servers' URLs pass through. */
export const absolute = (origin: string, pathOrUrl: string) => (pathOrUrl.startsWith("/") ? origin + pathOrUrl : pathOrUrl);

export function accountEntity(origin: string, card: AccountCard, counts?: AccountCounts) {
  const local = card.domain === null;
  const avatar = absolute(origin, card.avatar ?? defaultAvatarPath(card.id));
  return {
    id: String(card.id),
    username: card.handle,
    acct: local ? card.handle : `${card.handle}@${card.domain}`,
    display_name: card.displayName,
    locked: card.locked,
    bot: card.bot,
    discoverable: false,
    indexable: false,
    group: false,
    noindex: true,
    created_at: iso(card.createdAt),
    note: card.bioHtml,
    url: local ? `${origin}/@${card.handle}` : (card.url ?? card.uri ?? ""),
    uri: local ? `${origin}/users/${card.handle}` : (card.uri ?? ""),
    avatar,
    avatar_static: avatar,
    header: "",
    header_static: "",
    followers_count: counts?.followers ?? 0,
    following_count: counts?.following ?? 0,
    statuses_count: counts?.statuses ?? 0,
    last_status_at: counts?.lastStatusAt ? iso(counts.lastStatusAt).slice(0, 10) : null,
    emojis: [],
    fields: [],
  };
}

/** The member's own account with its source (what apps prefill when editing the profile and composing). */
export function credentialAccountEntity(origin: string, card: AccountCard, counts: AccountCounts, followRequests: number) {
  return {
    ...accountEntity(origin, card, counts),
    source: {
      note: card.bioSource,
      fields: [],
      // Apps take their compose default from here; "private" with local_only is Kith's camp (see README, Using an app).
      privacy: "private",
      sensitive: false,
      language: null,
      follow_requests_count: followRequests,
    },
  };
}

/** The live accounts of these ids as entities, in the order given (for lists: followers, mutes, requests...). */
export async function accountEntities(db: Db, origin: string, ids: number[]) {
  const cards = await accountCards(db, ids);
  return ids.flatMap((id) => { const card = cards.get(id); return card ? [accountEntity(origin, card)] : []; });
}
