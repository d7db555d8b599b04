/**
 * The key pairs each of our actors signs with: RSA-2048 for HTTP Signatures (what Mastodon
 * checks) and Ed25519, published as a Multikey for Object Integrity Proofs. Generated on first
 * need and kept in account_keys; parsed keys are cached so signing stays cheap under load.
 */
import { createPrivateKey, type KeyObject } from "node:crypto";
import * as ed from "@noble/ed25519";
import { exportPKCS8, exportSPKI, generateKeyPair } from "jose";
import type { Db } from "../db/open.ts";
import { now } from "../domain/clock.ts";

export interface ActorKeys {
  rsaPublicPem: string;
  rsaPrivate: KeyObject;
  /** The Ed25519 public key as a Multikey `publicKeyMultibase` value. */
  ed25519Multibase: string;
}

/** Per database, so several camps in one process (tests) never share keys. */
const caches = new WeakMap<Db, Map<number, ActorKeys>>();

/** The actor's keys, generating and storing them the first time they are needed. */
export async function keysOf(db: Db, accountId: number): Promise<ActorKeys> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const cached = cache.get(accountId);
  if (cached) return cached;
  let row = await db.selectFrom("account_keys").selectAll().where("account_id", "=", accountId).executeTakeFirst();
  if (!row) {
    // A deleted account's keys were forgotten on purpose: nothing may sign as it again.
    const account = await db.selectFrom("accounts").select("deleted_at").where("id", "=", accountId).executeTakeFirst();
    if (!account || account.deleted_at !== null) throw new Error(`account ${accountId} is deleted and has no keys`);
    const fresh = await generateKeys();
    // Two first requests may race; the first insert wins and both read it back.
    await db.insertInto("account_keys").values({ account_id: accountId, ...fresh, created_at: now() })
      .onConflict((oc) => oc.column("account_id").doNothing()).execute();
    row = await db.selectFrom("account_keys").selectAll().where("account_id", "=", accountId).executeTakeFirstOrThrow();
  }
  const keys: ActorKeys = {
    rsaPublicPem: row.rsa_public_pem,
    rsaPrivate: createPrivateKey(row.rsa_private_pem),
    ed25519Multibase: ed25519Multibase(hexToBytes(row.ed25519_public)),
  };
  cache.set(accountId, keys);
  return keys;
}

/** Removes an account's keys for good, from the database and the cache. */
export async function forgetKeys(db: Db, accountId: number): Promise<void> {
  await db.deleteFrom("account_keys").where("account_id", "=", accountId).execute();
  caches.get(db)?.delete(accountId);
}

async function generateKeys() {
  const rsa = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const { secretKey, publicKey } = await ed.keygenAsync();
  return {
    rsa_public_pem: await exportSPKI(rsa.publicKey),
    rsa_private_pem: await exportPKCS8(rsa.privateKey),
    ed25519_public: bytesToHex(publicKey),
    ed25519_private: bytesToHex(secretKey),
  };
}

/** Multikey encoding: base58btc ("z") of the ed25519-pub multicodec prefix 0xed 0x01 and the key. */
export function ed25519Multibase(publicKey: Uint8Array): string {
  const bytes = new Uint8Array(2 + publicKey.length);
  bytes.set([0xed, 0x01]);
  bytes.set(publicKey, 2);
  return `z${base58btc(bytes)}`;
}

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function base58btc(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes) value = value * 256n + BigInt(byte);
  let out = "";
  while (value > 0n) {
    out = ALPHABET[Number(value % 58n)] + out;
    value /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}

const bytesToHex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const hexToBytes = (hex: string) => new Uint8Array(Buffer.from(hex, "hex"));
