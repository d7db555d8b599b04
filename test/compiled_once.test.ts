/**
 * Queries compiled once (src/db/compiledOnce.ts) answer exactly what the same Kysely query built
 * afresh answers, for every set of values and list length, and a builder that reads anything but
 * its shape and values is refused rather than frozen with a stale value.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { compiledOnce } from "../src/db/compiledOnce.ts";
import type { Db } from "../src/db/open.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";

let camp: TestCamp;
beforeEach(async () => {
  camp = await testCamp();
  for (const handle of ["ada", "bo", "cy", "di"]) await camp.addMember(handle);
});
afterEach(() => camp.close());

const accounts = (db: Db, shape: { newestFirst: boolean }, v: { ids: number[]; after: number }) => db
  .selectFrom("accounts").select(["id", "handle"]).where("id", "in", v.ids).where("id", ">", v.after)
  .orderBy("id", shape.newestFirst ? "desc" : "asc");

test("each call binds its own values, lists of any length, in either shape", async () => {
  const run = compiledOnce(accounts);
  const all = (await camp.db.selectFrom("accounts").select("id").orderBy("id").execute()).map((r) => r.id);
  for (const newestFirst of [false, true]) {
    for (const [ids, after] of [[all, 0], [all.slice(1), all[1]!], [all.slice(0, 1), 0], [all.slice(0, 2), all[1]!]] as const) {
      const values = { ids: [...ids], after };
      expect(await run(camp.db, { newestFirst }, values)).toEqual(await accounts(camp.db, { newestFirst }, values).execute());
    }
  }
  // Asked twice with the same shape: the second answer is for the second values, not a cached answer.
  expect((await run(camp.db, { newestFirst: false }, { ids: all, after: all[2]! })).map((r) => r.id)).toEqual(all.slice(3));
});

test("a builder that reads a value it was not given (the clock) is refused", async () => {
  let tick = 0;
  const stale = compiledOnce((db: Db, _shape: object, v: { id: number }) =>
    db.selectFrom("accounts").select("id").where("id", "=", v.id).where("created_at", ">", -(++tick)));
  await expect(stale(camp.db, {}, { id: 1 })).rejects.toThrow("depends on something besides its shape and values");
});
