/** The camp's one SQLite file: WAL, foreign keys enforced, a busy timeout, and every migration applied. */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { migrations } from "../src/db/migrations/index.ts";

let camp: TestCamp;
beforeAll(async () => {
  camp = await testCamp();
});
afterAll(() => camp.close());

const pragma = (name: string) => camp.store.sqlite.query(`pragma ${name}`)[0];

test("the database runs in WAL mode with foreign keys on and a busy timeout", () => {
  expect(pragma("journal_mode")).toEqual({ journal_mode: "wal" });
  expect(pragma("foreign_keys")).toEqual({ foreign_keys: 1 });
  expect(pragma("busy_timeout")).toEqual({ timeout: 5000 });
});

test("foreign keys are really enforced: a member row needs its account", async () => {
  await expect(
    camp.db.insertInto("members").values({ account_id: 424242, password_hash: "x", role: "member", invite_id: null, created_at: Date.now() }).execute(),
  ).rejects.toThrow(/FOREIGN KEY/i);
});

test("every registered migration is applied, in order", () => {
  const applied = camp.store.sqlite.query("select name from kysely_migration order by name") as { name: string }[];
  expect(applied.map((row) => row.name)).toEqual(Object.keys(migrations).sort());
});
