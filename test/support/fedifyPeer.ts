/**
 * A real ActivityPub server that nobody here wrote: Fedify 2.3.6 on 127.0.0.1, with its own
 * actors, keys and inbox, for proving Kith's federation against it. Signature verification is on;
 * only private addresses are allowed (loopback), as INTEROP.md describes.
 */
import { createFederation, generateCryptoKeyPair, MemoryKvStore, type Federation } from "@fedify/fedify";
import { Activity, Endpoints, Note, Person, type Recipient } from "@fedify/vocab";
import { freePort } from "./camp.ts";

export interface ReceivedActivity {
  type: string;
  id: string | null;
  json: Record<string, unknown>;
}

export interface FedifyPeer {
  origin: string;
  federation: Federation<void>;
  received: ReceivedActivity[];
  notes: Map<string, Note>;
  /** What each actor's outbox lists (newest first). */
  outboxes: Map<string, Activity[]>;
  /** Each actor's aliases (alsoKnownAs): set one before a Move to that actor. */
  aliases: Map<string, string[]>;
  actorUri(identifier: string): string;
  keys(identifier: string): Promise<{ rsa: CryptoKeyPair; ed: CryptoKeyPair }>;
  /** Sends an activity from one of the peer's actors to a recipient, signed by Fedify. */
  send(identifier: string, recipient: Recipient, activity: Activity): Promise<void>;
  /** Looks up a handle or URL the way any Fedify server would. */
  lookup(resource: string): ReturnType<ReturnType<Federation<void>["createContext"]>["lookupObject"]>;
  /** Waits until an activity matching the predicate arrives (or fails after a while). */
  waitFor(predicate: (a: ReceivedActivity) => boolean, what: string): Promise<ReceivedActivity>;
  close(): Promise<void>;
}

const originalFetch = globalThis.fetch;

/**
 * Fedify resolves handles with https://host/.well-known/webfinger whatever its settings; on
 * loopback nobody speaks TLS, so such requests go over plain http.
 */
function installLoopbackWebFinger(): void {
  if ((globalThis.fetch as { loopback?: boolean }).loopback) return;
  const wrapped = ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    if (/^https:\/\/127\.0\.0\.1:\d+\/\.well-known\/webfinger/.test(url)) {
      const plain = url.replace(/^https:/, "http:");
      return originalFetch(input instanceof Request ? new Request(plain, input) : plain, init);
    }
    return originalFetch(input as RequestInfo, init);
  }) as typeof fetch & { loopback: boolean };
  wrapped.loopback = true;
  globalThis.fetch = wrapped;
}

export async function startFedifyPeer(): Promise<FedifyPeer> {
  installLoopbackWebFinger();
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const federation = createFederation<void>({ kv: new MemoryKvStore(), origin, allowPrivateAddress: true });
  const keyPairs = new Map<string, Promise<{ rsa: CryptoKeyPair; ed: CryptoKeyPair }>>();
  const keys = (identifier: string) => {
    let pair = keyPairs.get(identifier);
    if (!pair) keyPairs.set(identifier, (pair = Promise.all([generateCryptoKeyPair("RSASSA-PKCS1-v1_5"), generateCryptoKeyPair("Ed25519")]).then(([rsa, ed]) => ({ rsa, ed }))));
    return pair;
  };
  const received: ReceivedActivity[] = [];
  const notes = new Map<string, Note>();
  const outboxes = new Map<string, Activity[]>();
  const aliases = new Map<string, string[]>();

  federation.setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    const pairs = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: `Peer ${identifier}`,
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      followers: new URL(`${ctx.getActorUri(identifier).href}/followers`),
      outbox: ctx.getOutboxUri(identifier),
      publicKey: pairs[0]!.cryptographicKey,
      assertionMethods: pairs.map((p) => p.multikey),
      aliases: (aliases.get(identifier) ?? []).map((uri) => new URL(uri)),
    });
  }).setKeyPairsDispatcher(async (_ctx, identifier) => {
    const { rsa, ed } = await keys(identifier);
    return [rsa, ed];
  });

  federation.setObjectDispatcher(Note, "/notes/{id}", (_ctx, values) => notes.get(values.id) ?? null);
  federation.setOutboxDispatcher("/users/{identifier}/outbox", (_ctx, identifier) => ({ items: outboxes.get(identifier) ?? [] }));

  federation.setInboxListeners("/users/{identifier}/inbox", "/inbox").on(Activity, async (_ctx, activity) => {
    const json = (await activity.toJsonLd({ format: "compact" })) as Record<string, unknown>;
    received.push({ type: String(json.type), id: activity.id?.href ?? null, json });
  });

  const server = Bun.serve({ hostname: "127.0.0.1", port, fetch: (request) => federation.fetch(request, { contextData: undefined }) });
  const context = () => federation.createContext(new URL(origin), undefined);

  return {
    origin,
    federation,
    received,
    notes,
    outboxes,
    aliases,
    actorUri: (identifier) => `${origin}/users/${identifier}`,
    keys,
    send: (identifier, recipient, activity) => context().sendActivity({ identifier }, recipient, activity),
    lookup: (resource) => context().lookupObject(resource),
    async waitFor(predicate, what) {
      for (let i = 0; i < 200; i++) {
        const found = received.find(predicate);
        if (found) return found;
        await Bun.sleep(25);
      }
      throw new Error(`the peer never received ${what}; it got: ${received.map((a) => `${a.type} ${a.id}`).join(", ") || "nothing"}`);
    },
    async close() {
      await server.stop(true);
    },
  };
}
