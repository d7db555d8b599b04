/**
 * Environment and flags turned into one typed, validated config object, read once at start.
 * Every bad value is refused with a message a person can act on.
 */
import { availableParallelism } from "node:os";
import { resolve } from "node:path";

export interface Config {
  dataDir: string;
  dbFile: string;
  mediaDir: string;
  port: number;
  host: string;
  /** Public host name, with a port when it is not the default one. */
  domain: string;
  /** The origin every public URL starts with, e.g. https://camp.example.org */
  origin: string;
  secure: boolean;
  /** Test-only: lets federation talk plain http to loopback and private addresses. */
  allowPrivateNetwork: boolean;
  /** How long federation waits for another server before giving up (KITH_FETCH_TIMEOUT_MS). */
  fetchTimeoutMs: number;
  /** Behind a reverse proxy (Caddy): take the client address from the last X-Forwarded-For entry. */
  trustProxy: boolean;
  logLevel: "debug" | "info" | "warn" | "error";
  /** Where off-site backups go, as rclone's REMOTE:PATH (KITH_OFFSITE), or null. */
  offsite: string | null;
  /** The passphrase that encrypts off-site backups: KITH_BACKUP_PASSPHRASE, or the first line of KITH_BACKUP_PASSPHRASE_FILE. */
  backupPassphrase: { value: string } | { file: string } | null;
  /** HTTP workers (KITH_WORKERS; default: one per core). With more than one, a further process runs the job queue and answers no HTTP. */
  workers: number;
  /** Client API requests each app token may make per five minutes (KITH_API_RATE_LIMIT; Mastodon's 300 by default). */
  apiRateLimit: number;
}

export class ConfigError extends Error {}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$/i;
const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;

export type ConfigInput = Partial<Record<"data" | "port" | "host" | "domain" | "logLevel", string>>;

/** Builds the config from flags (which win) and the environment. */
export function loadConfig(flags: ConfigInput, env: Record<string, string | undefined> = process.env): Config {
  const dataDir = resolve(flags.data ?? env.KITH_DATA ?? "./data");
  const port = parsePort(flags.port ?? env.KITH_PORT ?? "8080");
  const host = flags.host ?? env.KITH_HOST ?? "127.0.0.1";
  if (!/^[0-9a-f:.]+$/i.test(host) && !HOST_NAME.test(host)) {
    throw new ConfigError(`KITH_HOST "${host}" is not an address to listen on (try 127.0.0.1 or 0.0.0.0).`);
  }
  const domain = (flags.domain ?? env.KITH_DOMAIN ?? `localhost:${port}`).toLowerCase();
  const domainPort = domain.match(/:(\d+)$/)?.[1];
  const domainPortOk = domainPort === undefined || (Number(domainPort) >= 1 && Number(domainPort) <= 65535);
  if ((!HOST_NAME.test(domain) && !/^\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?$/.test(domain)) || !domainPortOk) {
    throw new ConfigError(`KITH_DOMAIN "${domain}" is not a host name (like camp.example.org, without https://; a port from 1 to 65535 may follow a colon).`);
  }
  const logLevel = (flags.logLevel ?? env.KITH_LOG_LEVEL ?? "info") as Config["logLevel"];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`KITH_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, not "${logLevel}".`);
  }
  const secure = !isLocalDomain(domain);
  return {
    dataDir,
    dbFile: resolve(dataDir, "kith.sqlite"),
    mediaDir: resolve(dataDir, "media"),
    port,
    host,
    domain,
    origin: `${secure ? "https" : "http"}://${domain}`,
    secure,
    allowPrivateNetwork: env.KITH_UNSAFE_ALLOW_PRIVATE_NETWORK === "1",
    fetchTimeoutMs: parseTimeout(env.KITH_FETCH_TIMEOUT_MS ?? "10000"),
    trustProxy: env.KITH_TRUST_PROXY === "1",
    logLevel,
    offsite: parseOffsite(env.KITH_OFFSITE),
    backupPassphrase: env.KITH_BACKUP_PASSPHRASE ? { value: env.KITH_BACKUP_PASSPHRASE }
      : env.KITH_BACKUP_PASSPHRASE_FILE ? { file: resolve(env.KITH_BACKUP_PASSPHRASE_FILE) } : null,
    workers: parseWorkers(env.KITH_WORKERS),
    apiRateLimit: parseApiRateLimit(env.KITH_API_RATE_LIMIT ?? "300"),
  };
}

/** An rclone remote and path, such as `b2:my-bucket/kith` or `nas:/backups/kith`. */
export const OFFSITE_TARGET = /^[A-Za-z0-9_][A-Za-z0-9_. -]*:[^\0\n]*$/;

function parseOffsite(value: string | undefined): string | null {
  if (!value) return null;
  if (!OFFSITE_TARGET.test(value)) throw new ConfigError(`KITH_OFFSITE must be an rclone remote and path, like b2:my-bucket/kith, not "${value}".`);
  return value.replace(/\/+$/, "");
}

/** KITH_WORKERS, or one worker per core. Under Node there is one: only Bun.serve shares a port between processes. */
function parseWorkers(value: string | undefined): number {
  if (value === undefined || value === "") return process.versions?.bun ? Math.max(1, availableParallelism()) : 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new ConfigError(`KITH_WORKERS must be a whole number from 1 to 64, not "${value}".`);
  return n;
}

/** A camp on localhost or a loopback address is served over plain http; any other domain over https. */
function isLocalDomain(domain: string): boolean {
  const host = domain.replace(/:\d+$/, "");
  return host === "localhost" || host.endsWith(".localhost") || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function parseApiRateLimit(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 1_000_000_000) {
    throw new ConfigError(`KITH_API_RATE_LIMIT must be a whole number of requests per five minutes, at least 1, not "${value}".`);
  }
  return n;
}

function parseTimeout(value: string): number {
  const ms = Number(value);
  if (!/^\d+$/.test(value) || ms < 10 || ms > 120_000) {
    throw new ConfigError(`KITH_FETCH_TIMEOUT_MS must be a number of milliseconds from 10 to 120000, not "${value}".`);
  }
  return ms;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new ConfigError(`The port must be a number from 1 to 65535, not "${value}".`);
  }
  return port;
}
