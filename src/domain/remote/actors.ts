/**
 * Remote actors are rows of `accounts` with their domain set, keyed by their ActivityPub id,
 * so follows, posts, likes and blocks treat them exactly like members.
 */
import type { Db } from "../../db/open.ts";
import { now } from "../clock.ts";
import { sanitize } from "../text/sanitize.ts";

/** What we keep of a remote actor's document. Its bio is HTML from elsewhere and is sanitized here. */
export interface RemoteActor {
  uri: string;
  kind: string;
  handle: string;
  domain: string;
  displayName: string;
  bioHtml: string;
  url: string | null;
  inbox: string;
  sharedInbox: string | null;
  followers: string | null;
  publicKeyId: string | null;
  publicKeyPem: string | null;
  avatarUrl: string | null;
  locked: boolean;
  /** Actor ids this actor says it also is (its earlier accounts). */
  alsoKnownAs?: string[];
  /** The account this actor says it moved to. */
  movedTo?: string | null;
}

const MAX_TEXT = 5000;

/** Stores or refreshes a remote actor; returns its account id. */
export async function upsertRemoteActor(db: Db, actor: RemoteActor): Promise<number> {
  const values = {
    handle: actor.handle.slice(0, 100),
    domain: actor.domain,
    kind: actor.kind,
    display_name: actor.displayName.slice(0, 200),
    bio_html: sanitize(actor.bioHtml.slice(0, MAX_TEXT)),
    avatar_url: actor.avatarUrl,
    locked: actor.locked ? 1 : 0,
    url: actor.url,
    inbox_uri: actor.inbox,
    shared_inbox_uri: actor.sharedInbox,
    followers_uri: actor.followers,
    public_key_id: actor.publicKeyId,
    public_key_pem: actor.publicKeyPem,
    fetched_at: now(),
    deleted_at: null,
    also_known_as: JSON.stringify(actor.alsoKnownAs ?? []),
    // A move we recorded stays even when the old server's document no longer says so.
    ...(actor.movedTo ? { moved_to_uri: actor.movedTo } : {}),
  };
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom("accounts").select("id").where("uri", "=", actor.uri).executeTakeFirst();
    // A handle that now belongs to another actor on that server means the old row is stale: free the handle.
    await trx.updateTable("accounts")
      .set((eb) => ({ handle: eb.fn("printf", [eb.val("%s~%d"), "handle", "id"]) }))
      .where("domain", "=", actor.domain)
      .where((eb) => eb(eb.fn("lower", ["handle"]), "=", values.handle.toLowerCase()))
      .where("uri", "!=", actor.uri)
      .execute();
    if (existing) {
      await trx.updateTable("accounts").set(values).where("id", "=", existing.id).execute();
      return existing.id;
    }
    const row = await trx.insertInto("accounts").values({ ...values, uri: actor.uri, created_at: now() }).returning("id").executeTakeFirstOrThrow();
    return row.id;
  });
}

/** The stored remote account behind an ActivityPub id, if we know it. */
export function findRemoteAccountByUri(db: Db, uri: string) {
  return db.selectFrom("accounts").selectAll().where("uri", "=", uri).where("domain", "is not", null).executeTakeFirst();
}

/** A remote actor deleted itself: hide the account and its posts, and end its follows both ways. */
export async function deleteRemoteActor(db: Db, accountId: number): Promise<void> {
  const at = now();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("accounts").set({ deleted_at: at, suspended_at: at, public_key_pem: null }).where("id", "=", accountId).where("domain", "is not", null).execute();
    await trx.updateTable("posts").set({ deleted_at: at }).where("author_id", "=", accountId).where("deleted_at", "is", null).execute();
    await trx.deleteFrom("follows").where((eb) => eb.or([eb("follower_id", "=", accountId), eb("followee_id", "=", accountId)])).execute();
  });
}
