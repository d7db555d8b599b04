/** Our own actors: members by handle, and the instance actor that signs server-level fetches. */
import type { KeyObject } from "node:crypto";
import type { Config } from "../config.ts";
import { compiledOnce } from "../db/compiledOnce.ts";
import type { Db } from "../db/open.ts";
import { now } from "../domain/clock.ts";
import { keysOf } from "./keys.ts";
import type { LocalActorFacts } from "./vocab/actor.ts";
import { actorUri, INSTANCE_ACTOR_HANDLE, instanceActorUri, keyId } from "./urls.ts";

/** A member as federation needs it; suspended members are returned so routes can answer 410. */
export async function findLocalActor(db: Db, handle: string) {
  const [member] = await localActorByHandle(db, {}, { handle: handle.toLowerCase() });
  return member;
}

/** Asked by every actor fetch: built once (see compiledOnce). */
const localActorByHandle = compiledOnce((db: Db, _shape: object, v: { handle: string }) => db.selectFrom("accounts")
  .leftJoin("media", "media.id", "accounts.avatar_media_id")
  .innerJoin("members", "members.account_id", "accounts.id")
  .select(["accounts.id", "accounts.handle", "accounts.kind", "accounts.display_name", "accounts.bio_html", "accounts.locked",
    "accounts.created_at", "accounts.suspended_at", "accounts.also_known_as", "accounts.moved_to_uri", "media.storage_key"])
  .where("accounts.domain", "is", null)
  .where((eb) => eb(eb.fn("lower", ["accounts.handle"]), "=", v.handle))
  .limit(1));

/** What the actor document needs to know about a member found by findLocalActor. */
export function actorFactsOf(config: Config, member: NonNullable<Awaited<ReturnType<typeof findLocalActor>>>): LocalActorFacts {
  return {
    handle: member.handle, kind: member.kind, displayName: member.display_name, bioHtml: member.bio_html, locked: member.locked === 1,
    createdAt: member.created_at, avatarUrl: member.storage_key ? `${config.origin}/media/${member.storage_key}` : null,
    alsoKnownAs: JSON.parse(member.also_known_as) as string[], movedTo: member.moved_to_uri,
  };
}

/** True when the handle belonged to a member whose account was deleted (its ids answer 410 Gone). */
export async function isDeletedHandle(db: Db, handle: string): Promise<boolean> {
  const row = await db.selectFrom("accounts").select("id").where("domain", "is", null).where("deleted_at", "is not", null)
    .where((eb) => eb(eb.fn("lower", ["handle"]), "=", handle.toLowerCase())).executeTakeFirst();
  return row !== undefined;
}

const instanceActorIds = new WeakMap<Db, number>();

/** The instance actor's account id, creating its row (kind Application) on first need. */
export async function instanceActorAccountId(db: Db): Promise<number> {
  const cached = instanceActorIds.get(db);
  if (cached !== undefined) return cached;
  const find = () => db.selectFrom("accounts").select("id").where("domain", "is", null).where("kind", "=", "Application").where("handle", "=", INSTANCE_ACTOR_HANDLE).executeTakeFirst();
  let row = await find();
  if (!row) {
    await db.insertInto("accounts").values({ handle: INSTANCE_ACTOR_HANDLE, domain: null, kind: "Application", display_name: "", created_at: now() })
      .onConflict((oc) => oc.doNothing()).execute();
    row = await find();
  }
  if (!row) throw new Error("the instance actor's handle is taken by another account");
  instanceActorIds.set(db, row.id);
  return row.id;
}

export interface Signer {
  keyId: string;
  privateKey: KeyObject;
}

/** How one of our accounts signs: its key id and private key. */
export async function signerFor(db: Db, config: Config, accountId: number): Promise<Signer> {
  const account = await db.selectFrom("accounts").select(["handle", "kind"]).where("id", "=", accountId).where("domain", "is", null).executeTakeFirstOrThrow();
  const id = account.kind === "Application" ? instanceActorUri(config.origin) : actorUri(config.origin, account.handle);
  return { keyId: keyId(id), privateKey: (await keysOf(db, accountId)).rsaPrivate };
}

/** The instance actor's signer, for fetches made on behalf of the whole camp. */
export async function instanceSigner(db: Db, config: Config): Promise<Signer> {
  return signerFor(db, config, await instanceActorAccountId(db));
}
