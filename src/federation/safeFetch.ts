/**
 * The one way Kith talks to other servers. https only; no private, loopback, link-local,
 * unique-local, multicast or unspecified addresses, checked after DNS resolution and again on
 * every redirect; redirects followed by hand and bounded; bounded time and size. The test-only
 * switch config.allowPrivateNetwork allows plain http and private addresses.
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import type { Config } from "../config.ts";

export const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;
export const MAX_REDIRECTS = 3;

export class FetchRefused extends Error {}

export interface SafeFetchOptions {
  method?: "GET" | "POST";
  body?: string;
  /** Headers for each hop; signed requests must be re-signed for every URL they reach. */
  headers?: (url: string) => Record<string, string>;
  maxBytes?: number;
}

export interface SafeResponse {
  status: number;
  url: string;
  headers: Headers;
  text: string;
  /** The body as received, for images and other binary answers. */
  bytes: Uint8Array;
}

type FetchConfig = Pick<Config, "allowPrivateNetwork" | "fetchTimeoutMs">;

/** Fetches a URL under every rule above; refusals throw FetchRefused with the reason. */
export async function safeFetch(config: FetchConfig, url: string, options: SafeFetchOptions = {}): Promise<SafeResponse> {
  const signal = AbortSignal.timeout(config.fetchTimeoutMs);
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    await assertPublicUrl(config, current);
    let response: Response;
    try {
      response = await fetch(current, {
        method: options.method ?? "GET",
        body: options.body,
        headers: options.headers?.(current),
        redirect: "manual",
        signal,
      });
    } catch (error) {
      throw new FetchRefused(signal.aborted ? `no answer from ${hostName(current)} in ${config.fetchTimeoutMs} ms` : `cannot reach ${hostName(current)}: ${(error as Error).message}`);
    }
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location && (options.method ?? "GET") === "GET") {
      await response.body?.cancel();
      current = new URL(location, current).toString();
      continue;
    }
    const bytes = await readLimited(response, options.maxBytes ?? MAX_RESPONSE_BYTES, signal, current);
    return { status: response.status, url: current, headers: response.headers, text: bytes.toString("utf8"), bytes };
  }
  throw new FetchRefused(`more than ${MAX_REDIRECTS} redirects from ${url}`);
}

async function readLimited(response: Response, maxBytes: number, signal: AbortSignal, url: string): Promise<Buffer> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new FetchRefused(`the answer from ${hostName(url)} is larger than ${maxBytes} bytes`);
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw new FetchRefused(`the answer from ${hostName(url)} is larger than ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof FetchRefused) throw error;
    throw new FetchRefused(signal.aborted ? `no full answer from ${hostName(url)} in time` : `reading from ${hostName(url)} failed`);
  }
  return Buffer.concat(chunks);
}

const hostName = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

/** Refuses URLs we must not fetch: wrong scheme, or a host that is or resolves to a non-public address. */
export async function assertPublicUrl(config: Pick<Config, "allowPrivateNetwork">, url: string): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FetchRefused(`not a URL: ${url.slice(0, 200)}`);
  }
  const allowed = config.allowPrivateNetwork ? ["https:", "http:"] : ["https:"];
  if (!allowed.includes(parsed.protocol)) throw new FetchRefused(`only https URLs are fetched, not ${parsed.protocol}`);
  if (parsed.username || parsed.password) throw new FetchRefused("URLs with credentials are not fetched");
  if (config.allowPrivateNetwork) return;
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) ? [host] : await resolveAll(host);
  const bad = addresses.find((address) => !isPublicAddress(address));
  if (bad) throw new FetchRefused(`${host} resolves to a private or reserved address (${bad})`);
}

async function resolveAll(host: string): Promise<string[]> {
  try {
    const results = await lookup(host, { all: true, verbatim: true });
    if (!results.length) throw new FetchRefused(`${host} has no address`);
    return results.map((r) => r.address);
  } catch (error) {
    if (error instanceof FetchRefused) throw error;
    throw new FetchRefused(`${host} does not resolve`);
  }
}

/** True only for globally routable unicast addresses. */
export function isPublicAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) return isPublicV4(address);
  if (version !== 6) return false;
  const lower = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return isPublicV4(mapped[1]!);
  const groups = expandV6(lower);
  if (!groups) return false;
  const first = groups[0]!;
  if (groups.every((g) => g === 0)) return false; // :: unspecified
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7] === 1) return false; // ::1 loopback
  if (groups.slice(0, 6).every((g) => g === 0)) return false; // IPv4-compatible, deprecated
  if ((first & 0xfe00) === 0xfc00) return false; // fc00::/7 unique local
  if ((first & 0xffc0) === 0xfe80) return false; // fe80::/10 link-local
  if ((first & 0xffc0) === 0xfec0) return false; // fec0::/10 site-local
  if ((first & 0xff00) === 0xff00) return false; // ff00::/8 multicast
  if (first === 0x2001 && groups[1] === 0x0db8) return false; // documentation
  if (first === 0x64 && groups[1] === 0xff9b) return false; // NAT64 may reach private v4
  if (first === 0x2002) return false; // 6to4 may embed private v4
  return true;
}

function isPublicV4(address: string): boolean {
  const [a, b, c] = address.split(".").map(Number) as [number, number, number, number];
  if (a === 0 || a === 10 || a === 127) return false;
  if (a === 100 && b >= 64 && b <= 127) return false; // carrier-grade NAT
  if (a === 169 && b === 254) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false;
  if (a === 198 && (b === 18 || b === 19)) return false;
  if (a === 198 && b === 51 && c === 100) return false;
  if (a === 203 && b === 0 && c === 113) return false;
  if (a >= 224) return false; // multicast and reserved, broadcast
  return true;
}

function expandV6(address: string): number[] | null {
  const [head, tail] = address.split("::") as [string, string | undefined];
  const parse = (part: string) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array(Math.max(fill, 0)).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}
