/**
 * Every signed request to an inbox looks its signer up by key id (federation/fetchRemote.ts
 * keyOwner). Without an index that is a scan of every remote account, PEMs and all: 2.5 ms per
 * request with 2,000 known actors in the benchmark data set, growing with every actor the camp
 * ever meets. With it, one index lookup.
 * Frozen in time: this file never imports application code.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("accounts_public_key_id").on("accounts").column("public_key_id").execute();
}
