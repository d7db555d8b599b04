/** Each `kith` subcommand: open the store, do one thing, say what happened. Returns the exit code. */
import type { Config } from "../config.ts";
import { migrateToLatest, openStore, type Store } from "../db/open.ts";
import { createInvite } from "../domain/members/invites.ts";
import { listAllMembers } from "../domain/members/directory.ts";
import { createResetToken } from "../domain/members/passwordResets.ts";
import { inviteUrl, resetUrl } from "../urls.ts";
import { UsageError, type ParsedArgs } from "./args.ts";
import { serve } from "./serve.ts";
import { backup } from "./backup.ts";
import { restore } from "./restore.ts";
import { doctor } from "./doctor.ts";

export type CommandName = "serve" | "invite" | "members" | "reset-link" | "backup" | "restore" | "doctor" | "migrate";

/** Opens and migrates the store, runs `work`, and always closes the store. */
async function withStore<T>(config: Config, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(config.dbFile);
  try {
    await migrateToLatest(store.db);
    return await work(store);
  } finally {
    await store.close();
  }
}

export const commands: Record<CommandName, (config: Config, args: ParsedArgs) => Promise<number>> = {
  serve,

  invite: (config, args) =>
    withStore(config, async ({ db }) => {
      const days = args.options.days ?? "7";
      if (!/^\d+$/.test(days)) throw new UsageError(`--days must be a whole number of days, not "${days}".`);
      const invite = await createInvite(db, { note: args.options.note ?? "", days: Number(days), createdBy: null });
      console.log(inviteUrl(config.origin, invite.token));
      console.error(`Single use; expires ${new Date(invite.expiresAt).toISOString()}.`);
      return 0;
    }),

  members: (config) =>
    withStore(config, async ({ db }) => {
      const members = await listAllMembers(db);
      if (members.length === 0) console.log("No members yet. Start the server and open the setup link it prints.");
      for (const m of members) {
        console.log([`@${m.handle}`.padEnd(32), m.role.padEnd(10), m.suspended_at ? "suspended" : "active", m.display_name].join(" "));
      }
      return 0;
    }),

  "reset-link": (config, args) =>
    withStore(config, async ({ db }) => {
      console.log(resetUrl(config.origin, await createResetToken(db, args.positional[0]!)));
      return 0;
    }),

  backup,
  restore,
  doctor,

  migrate: (config) =>
    withStore(config, async () => {
      console.log(`Database at ${config.dbFile} is up to date.`);
      return 0;
    }),
};
