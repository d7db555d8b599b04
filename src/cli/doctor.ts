/**
 * `kith doctor`: looks the camp over and says plainly what is wrong. Each check prints one line,
 * "ok", "note" (worth knowing, not wrong) or "PROBLEM" with what to do; the exit code is 1 when
 * there is any problem.
 */
import { lookup } from "node:dns/promises";
import { accessSync, constants, existsSync, statfsSync } from "node:fs";
import type { Config } from "../config.ts";
import { openStore } from "../db/open.ts";
import { migrations } from "../db/migrations/index.ts";
import { MIN_FREE_BYTES, OFFSITE_STALE_MS, OVERDUE_AFTER_MS, queueState } from "../health.ts";
import { listOffsite } from "./offsite.ts";
import { checkKithDatabase } from "./restore.ts";
import { ownerOf } from "./dataLock.ts";

type Finding = { level: "ok" | "note" | "PROBLEM"; text: string };

/** The `doctor` command. */
export async function doctor(config: Config): Promise<number> {
  const findings = [...(await checkConfiguration(config)), ...checkDisk(config), ...(await checkDatabase(config)), ...(await checkOffsite(config))];
  for (const f of findings) console.log(`${f.level.padEnd(7)} ${f.text}`);
  const problems = findings.filter((f) => f.level === "PROBLEM").length;
  console.log(problems ? `\n${problems} problem${problems === 1 ? "" : "s"} found.` : "\nAll good.");
  return problems ? 1 : 0;
}

async function checkConfiguration(config: Config): Promise<Finding[]> {
  const out: Finding[] = [{ level: "ok", text: `public address ${config.origin}, listening on ${config.host}:${config.port}, data in ${config.dataDir}` }];
  const host = config.domain.replace(/:\d+$/, "");
  if (!config.secure) {
    out.push({ level: "note", text: `the domain ${config.domain} only works on this machine; set KITH_DOMAIN to the camp's public name to invite people.` });
  } else {
    try {
      await lookup(host);
      out.push({ level: "ok", text: `${host} resolves` });
    } catch (error) {
      out.push({ level: "PROBLEM", text: `${host} does not resolve (${(error as NodeJS.ErrnoException).code}): point the domain's DNS record at this server, or fix KITH_DOMAIN.` });
    }
    if (config.host === "127.0.0.1" && !config.trustProxy) {
      out.push({ level: "PROBLEM", text: "the camp listens on 127.0.0.1 behind a proxy but KITH_TRUST_PROXY is not 1, so every visitor looks like one address to the rate limits." });
    }
  }
  if (config.allowPrivateNetwork) {
    out.push({ level: "PROBLEM", text: "KITH_UNSAFE_ALLOW_PRIVATE_NETWORK=1 is for tests only: it lets federation reach private addresses. Remove it." });
  }
  const owner = ownerOf(config.dataDir);
  out.push(owner ? { level: "ok", text: `a server is running on this data (pid ${owner})` } : { level: "note", text: "no server is running on this data right now" });
  return out;
}

function checkDisk(config: Config): Finding[] {
  if (!existsSync(config.dataDir)) return [{ level: "PROBLEM", text: `the data folder ${config.dataDir} does not exist. Is --data (KITH_DATA) right?` }];
  try {
    accessSync(config.dataDir, constants.W_OK);
  } catch {
    return [{ level: "PROBLEM", text: `the data folder ${config.dataDir} is not writable by this user; run kith as the user the server runs as.` }];
  }
  const fs = statfsSync(config.dataDir);
  const free = fs.bavail * fs.bsize;
  const shown = `${(free / 1024 ** 3).toFixed(1)} GB free (${Math.round((100 * fs.bavail) / fs.blocks)}%)`;
  return [free < MIN_FREE_BYTES ? { level: "PROBLEM", text: `only ${shown} on the disk holding the data: free some space (old backups?) before it fills.` } : { level: "ok", text: `disk: ${shown}` }];
}

async function checkDatabase(config: Config): Promise<Finding[]> {
  if (!existsSync(config.dbFile)) return [{ level: "PROBLEM", text: `there is no database at ${config.dbFile}. Start the server once, or check KITH_DATA.` }];
  try {
    await checkKithDatabase(config.dbFile, config.dbFile);
  } catch (error) {
    return [{ level: "PROBLEM", text: `${(error as Error).message.replace(" Nothing was changed.", "")} Restore the latest backup (kith restore FILE).` }];
  }
  const out: Finding[] = [{ level: "ok", text: "database integrity" }];
  const store = await openStore(config.dbFile);
  try {
    const applied = await store.db.selectFrom("kysely_migration" as never).select("name" as never).execute();
    const pending = Object.keys(migrations).length - applied.length;
    if (pending > 0) out.push({ level: "note", text: `${pending} database migration(s) will be applied at the next start.` });
    const queue = await queueState(store.db);
    out.push({ level: "ok", text: `delivery queue: ${queue.queued} job(s) waiting` });
    if (queue.overdue > 0) {
      out.push({ level: "PROBLEM", text: `${queue.overdue} queued job(s) are overdue by more than ${OVERDUE_AFTER_MS / 60000} minutes: is the server running? Check its log.` });
    }
    if (queue.failing > 0) {
      // Deliveries to a server that is gone fail for days; worth knowing, not the operator's fault.
      out.push({ level: "note", text: `${queue.failing} job(s) keep failing and are being retried; the latest error: ${queue.lastError ?? "none recorded"}` });
    }
  } finally {
    await store.close();
  }
  return out;
}

/** Asks the remote itself (not the recorded status) how old the newest complete off-site copy is. */
async function checkOffsite(config: Config, at = Date.now()): Promise<Finding[]> {
  if (!config.offsite) return [{ level: "note", text: "no off-site backups are set up (KITH_OFFSITE): a lost disk would lose the camp. See the README, Off-site backups." }];
  let listing;
  try {
    listing = await listOffsite(config.offsite);
  } catch (error) {
    return [{ level: "PROBLEM", text: (error as Error).message }];
  }
  const newest = listing.complete.at(-1);
  if (!newest) return [{ level: "PROBLEM", text: `there is no complete off-site backup at ${config.offsite} yet: run kith backup --to ${config.offsite} and read what it says.` }];
  const [, d, t] = newest.match(/^kith-(\d{8})-(\d{6})\.tar$/)!;
  const made = Date.parse(`${d!.slice(0, 4)}-${d!.slice(4, 6)}-${d!.slice(6)}T${t!.slice(0, 2)}:${t!.slice(2, 4)}:${t!.slice(4)}Z`);
  const hours = Math.floor((at - made) / 3_600_000);
  const out: Finding[] = [at - made > OFFSITE_STALE_MS
    ? { level: "PROBLEM", text: `the newest off-site backup, ${config.offsite}/${newest}, is ${hours} hours old: the daily off-site copy has stopped. Check: journalctl -u kith-backup` }
    : { level: "ok", text: `newest off-site backup ${config.offsite}/${newest} (${hours} hour${hours === 1 ? "" : "s"} old, ${listing.complete.length} kept)` }];
  if (listing.partial.length) out.push({ level: "note", text: `${listing.partial.length} unfinished upload(s) at ${config.offsite}; the next backup removes them.` });
  return out;
}
