/**
 * The fan-out sink: one process answering as many "servers" (one loopback port each), with one
 * shared inbox per server. It checks every delivery's HTTP signature the way a peer would
 * (fetching the signer's key from the camp once) and counts what verified. The harness reads the
 * counts from a control port. Run as `bun bench/sink.ts SERVERS`; prints {"control","ports"} as JSON.
 */
import { createPublicKey } from "node:crypto";
import { checkCoverage, parseSignature, verifyWith } from "../src/federation/signatures.ts";

export interface SinkStats {
  verified: number;
  failed: number;
  lastFailure: string | null;
  /** Distinct servers (ports) that received at least one verified delivery. */
  servers: number;
  /** Epoch ms of the first and last verified delivery. */
  firstAt: number | null;
  lastAt: number | null;
}

const servers = Number(process.argv[2] ?? 500);
const keys = new Map<string, Promise<string>>();
let stats: SinkStats = { verified: 0, failed: 0, lastFailure: null, servers: 0, firstAt: null, lastAt: null };
let reached = new Set<number>();

/** The signer's public key, fetched from its actor document as any peer would, once per key id. */
function publicKeyOf(keyId: string): Promise<string> {
  let key = keys.get(keyId);
  if (!key) {
    key = fetch(keyId, { headers: { accept: "application/activity+json" } })
      .then((r) => r.json() as Promise<{ publicKey?: { id?: string; publicKeyPem?: string } }>)
      .then((doc) => {
        const pem = doc.publicKey?.id === keyId ? doc.publicKey.publicKeyPem : undefined;
        if (!pem) throw new Error(`the document at ${keyId} does not hold that key`);
        createPublicKey(pem);
        return pem;
      });
    key.catch(() => keys.delete(keyId));
    keys.set(keyId, key);
  }
  return key;
}

async function receive(request: Request, port: number): Promise<Response> {
  if (request.method !== "POST") return new Response("not found", { status: 404 });
  const body = new Uint8Array(await request.arrayBuffer());
  try {
    const parsed = parseSignature({ method: request.method, url: request.url, headers: request.headers, body });
    checkCoverage({ method: request.method, url: request.url, headers: request.headers, body }, parsed, Date.now());
    if (!verifyWith(parsed, await publicKeyOf(parsed.keyId))) throw new Error("the signature does not verify");
    JSON.parse(new TextDecoder().decode(body));
  } catch (error) {
    stats.failed++;
    stats.lastFailure = (error as Error).message;
    return new Response("signature refused", { status: 401 });
  }
  const at = Date.now();
  stats.verified++;
  stats.firstAt ??= at;
  stats.lastAt = at;
  reached.add(port);
  stats.servers = reached.size;
  return new Response(null, { status: 202 });
}

const ports: number[] = [];
for (let i = 0; i < servers; i++) {
  let port = 0;
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (request): Promise<Response> => receive(request, port) });
  port = server.port!;
  ports.push(port);
}
const control = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch(request) {
    if (new URL(request.url).pathname === "/reset") {
      stats = { verified: 0, failed: 0, lastFailure: null, servers: 0, firstAt: null, lastAt: null };
      reached = new Set();
    }
    return Response.json(stats);
  },
});
console.log(JSON.stringify({ control: control.port, ports }));
