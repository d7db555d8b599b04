/**
 * HTTP Signatures as Mastodon speaks them (draft-cavage, rsa-sha256 over `(request-target)`,
 * `host`, `date` and, with a body, `digest`), plus reading RFC 9421 signatures, which Fedify
 * sends first. Only the cryptography and header parsing live here; finding the key is keyFetch.ts.
 */
import { createHash, createPublicKey, type KeyObject, sign, verify } from "node:crypto";

/** A request's `Date` may be this old... */
export const MAX_AGE_MS = 60 * 60 * 1000;
/** ...or this far in the future (clock skew). */
export const MAX_FUTURE_MS = 5 * 60 * 1000;

export const sha256Base64 = (body: string | Uint8Array) => createHash("sha256").update(body).digest("base64");

/** Headers for a signed request: Host, Date, Digest (with a body) and Signature. */
export function signRequest(input: { method: string; url: string; body?: string; keyId: string; privateKey: KeyObject; date?: Date }): Record<string, string> {
  const url = new URL(input.url);
  const headers: Record<string, string> = { host: url.host, date: (input.date ?? new Date()).toUTCString() };
  if (input.body !== undefined) headers.digest = `SHA-256=${sha256Base64(input.body)}`;
  const names = ["(request-target)", ...Object.keys(headers)];
  const target = `${input.method.toLowerCase()} ${url.pathname}${url.search}`;
  const base = names.map((n) => `${n}: ${n === "(request-target)" ? target : headers[n]}`).join("\n");
  // One-shot sign and verify: the stream-based createSign/createVerify cost far more per request.
  const signature = sign("sha256", Buffer.from(base), input.privateKey).toString("base64");
  headers.signature = `keyId="${input.keyId}",algorithm="rsa-sha256",headers="${names.join(" ")}",signature="${signature}"`;
  return headers;
}

/** What a verifier needs from the request, independent of the HTTP framework. */
export interface IncomingRequest {
  method: string;
  /** Full URL as the sender addressed it. */
  url: string;
  headers: Headers;
  body: Uint8Array;
}

/** A signature read from the headers, ready to be checked against a key. */
export interface ParsedSignature {
  keyId: string;
  /** The exact bytes the sender signed. */
  base: string;
  signature: Buffer;
  /** When the sender says it signed, for the freshness window. */
  signedAt: number | null;
  /** The header names / components covered, lowercased. */
  covered: string[];
}

export class SignatureError extends Error {}

/** Reads a draft-cavage or RFC 9421 signature from the request, or explains why it cannot. */
export function parseSignature(request: IncomingRequest): ParsedSignature {
  const input = request.headers.get("signature-input");
  if (input) return parseRfc9421(request, input, request.headers.get("signature") ?? "");
  const header = request.headers.get("signature") ?? authorizationSignature(request.headers.get("authorization"));
  if (!header) throw new SignatureError("no Signature header");
  return parseCavage(request, header);
}

function authorizationSignature(value: string | null): string | null {
  return value?.startsWith("Signature ") ? value.slice(10) : null;
}

function parseCavage(request: IncomingRequest, header: string): ParsedSignature {
  const params = new Map<string, string>();
  for (const match of header.matchAll(/([a-zA-Z]+)="([^"]*)"|([a-zA-Z]+)=(\d+)/g)) {
    params.set((match[1] ?? match[3])!.toLowerCase(), (match[2] ?? match[4])!);
  }
  const keyId = params.get("keyid");
  const signature = params.get("signature");
  if (!keyId || !signature) throw new SignatureError("Signature header lacks keyId or signature");
  const algorithm = params.get("algorithm") ?? "hs2019";
  if (!["rsa-sha256", "hs2019"].includes(algorithm.toLowerCase())) throw new SignatureError(`unsupported algorithm ${algorithm}`);
  const covered = (params.get("headers") ?? "date").toLowerCase().split(/\s+/).filter(Boolean);
  const url = new URL(request.url);
  const lines = covered.map((name) => {
    if (name === "(request-target)") return `${name}: ${request.method.toLowerCase()} ${url.pathname}${url.search}`;
    if (name === "(created)") return `${name}: ${params.get("created") ?? ""}`;
    if (name === "(expires)") return `${name}: ${params.get("expires") ?? ""}`;
    const value = request.headers.get(name);
    if (value === null) throw new SignatureError(`signed header ${name} is missing`);
    return `${name}: ${value}`;
  });
  const created = params.get("created");
  const date = request.headers.get("date");
  const signedAt = created ? Number(created) * 1000 : date ? Date.parse(date) : null;
  return { keyId, base: lines.join("\n"), signature: Buffer.from(signature, "base64"), signedAt: Number.isNaN(signedAt) ? null : signedAt, covered };
}

function parseRfc9421(request: IncomingRequest, input: string, signatureHeader: string): ParsedSignature {
  const inputMatch = /^\s*([a-zA-Z0-9_-]+)=(\(([^)]*)\)(.*))$/.exec(input.split(/,(?=\s*[a-zA-Z0-9_-]+=\()/)[0]!);
  if (!inputMatch) throw new SignatureError("malformed Signature-Input");
  const [, label, paramsValue, componentList, rest] = inputMatch;
  const sigMatch = new RegExp(`(?:^|,)\\s*${label}=:([A-Za-z0-9+/=]+):`).exec(signatureHeader);
  if (!sigMatch) throw new SignatureError("Signature lacks the label named in Signature-Input");
  const components = [...componentList!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!.toLowerCase());
  const keyId = /;keyid="([^"]+)"/.exec(rest!)?.[1];
  if (!keyId) throw new SignatureError("Signature-Input lacks keyid");
  const alg = /;alg="([^"]+)"/.exec(rest!)?.[1];
  if (alg && alg !== "rsa-v1_5-sha256") throw new SignatureError(`unsupported alg ${alg}`);
  const created = /;created=(\d+)/.exec(rest!)?.[1];
  const url = new URL(request.url);
  const lines = components.map((name) => {
    const value =
      name === "@method" ? request.method.toUpperCase()
      : name === "@target-uri" ? request.url
      : name === "@authority" ? url.host
      : name === "@path" ? url.pathname
      : name === "@query" ? url.search || "?"
      : name.startsWith("@") ? null
      : request.headers.get(name);
    if (value === null) throw new SignatureError(`signed component ${name} is missing`);
    return `"${name}": ${value}`;
  });
  lines.push(`"@signature-params": ${paramsValue}`);
  return {
    keyId,
    base: lines.join("\n"),
    signature: Buffer.from(sigMatch[1]!, "base64"),
    signedAt: created ? Number(created) * 1000 : null,
    covered: components.map((c) => (c === "@method" || c === "@target-uri" || c === "@path" ? "(request-target)" : c)),
  };
}

/**
 * The checks that need no key: the signature is fresh, covers the request target and,
 * for a request with a body, a digest that matches the body.
 */
export function checkCoverage(request: IncomingRequest, parsed: ParsedSignature, at: number): void {
  if (parsed.signedAt === null) throw new SignatureError("no Date or created time is signed");
  if (parsed.signedAt < at - MAX_AGE_MS) throw new SignatureError("signature is too old");
  if (parsed.signedAt > at + MAX_FUTURE_MS) throw new SignatureError("signature is dated in the future");
  if (!parsed.covered.includes("(request-target)")) throw new SignatureError("signature does not cover the request target");
  // A request signed for another server must not be replayed here: a signed Host must be ours.
  if (parsed.covered.includes("host") && request.headers.get("host")?.toLowerCase() !== new URL(request.url).host) {
    throw new SignatureError("signature was made for another host");
  }
  if (!parsed.covered.includes("date") && !parsed.covered.includes("(created)") && !parsed.base.includes(";created=")) {
    throw new SignatureError("signature does not cover the date");
  }
  if (request.method.toUpperCase() === "GET" || request.method.toUpperCase() === "HEAD") return;
  checkDigest(request, parsed);
}

function checkDigest(request: IncomingRequest, parsed: ParsedSignature): void {
  const expected = sha256Base64(request.body);
  if (parsed.covered.includes("digest")) {
    const digest = request.headers.get("digest") ?? "";
    const sha = digest.split(",").map((part) => part.trim()).find((part) => /^sha-256=/i.test(part));
    if (!sha || sha.slice(8) !== expected) throw new SignatureError("Digest does not match the body");
    return;
  }
  if (parsed.covered.includes("content-digest")) {
    const sha = /sha-256=:([A-Za-z0-9+/=]+):/.exec(request.headers.get("content-digest") ?? "")?.[1];
    if (sha !== expected) throw new SignatureError("Content-Digest does not match the body");
    return;
  }
  throw new SignatureError("signature does not cover a digest of the body");
}

const publicKeys = new Map<string, KeyObject>();

/** True when the signature over the base verifies with the PEM public key (parsed once, then cached). */
export function verifyWith(parsed: ParsedSignature, publicKeyPem: string): boolean {
  let key = publicKeys.get(publicKeyPem);
  if (!key) {
    key = createPublicKey(publicKeyPem);
    if (publicKeys.size > 5000) publicKeys.clear();
    publicKeys.set(publicKeyPem, key);
  }
  try {
    return verify("sha256", Buffer.from(parsed.base), key, parsed.signature);
  } catch {
    return false;
  }
}
