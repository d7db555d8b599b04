/** Mastodon's Relationship entity from how a member stands with an account. */
import type { Relationship } from "../../../domain/accounts/relationships.ts";

export function relationshipEntity(r: Relationship) {
  return {
    id: String(r.id), following: r.following, showing_reblogs: r.showingReblogs, notifying: false, languages: null,
    followed_by: r.followedBy, blocking: r.blocking, blocked_by: r.blockedBy, muting: r.muting, muting_notifications: r.muting,
    requested: r.requested, requested_by: r.requestedBy, domain_blocking: false, endorsed: false, note: "",
  };
}
