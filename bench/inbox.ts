/**
 * Inbox ingestion: many remote actors deliver signed Create(Note) activities to the camp's shared
 * inbox, 32 at a time. Each is signed beforehand with the actor's own key (the data set stored the
 * public halves in accounts.public_key_pem, so the camp verifies without fetching), using the
 * federation module's own draft-cavage signer. Counts what was accepted and what was stored.
 */
import { createPrivateKey, type KeyObject } from "node:crypto";
import type { Signer } from "./dataset/accounts.ts";
import { signRequest } from "../src/federation/signatures.ts";
import { sentences } from "./dataset/text.ts";
import { Random } from "./dataset/random.ts";

export interface SignedDelivery {
  body: string;
  headers: Record<string, string>;
  /** The Note's id, to find it in the database afterwards. */
  noteUri: string;
}

export interface InboxRun {
  sent: number;
  accepted: number;
  stored: number;
  /** Deliveries answered 2xx per second of sending. */
  acceptedPerSecond: number;
  /** Notes found in the database per second, from the first send to the last one stored. */
  storedPerSecond: number;
  statuses: Record<number, number>;
}

/** Builds and signs `count` Create activities, round-robin over the signers, for the inbox at `inboxUrl`. */
export function signedCreates(signers: Signer[], inboxUrl: string, count: number, runTag: string, mentionUri: string): SignedDelivery[] {
  const random = new Random(count);
  const keys = new Map<number, KeyObject>();
  const out: SignedDelivery[] = [];
  for (let i = 0; i < count; i++) {
    const signer = signers[i % signers.length]!;
    let privateKey = keys.get(signer.id);
    if (!privateKey) keys.set(signer.id, (privateKey = createPrivateKey(signer.privateKeyPem)));
    const noteUri = `${signer.uri}/statuses/${runTag}-${i}`;
    const mentions = random.chance(0.1);
    const published = new Date().toISOString();
    const activity = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${noteUri}/activity`,
      type: "Create",
      actor: signer.uri,
      published,
      to: ["https://www.w3.org/ns/activitystreams#Public"],
      cc: [`${signer.uri}/followers`, ...(mentions ? [mentionUri] : [])],
      object: {
        id: noteUri,
        type: "Note",
        attributedTo: signer.uri,
        url: `https://${signer.domain}/@${signer.handle}/${runTag}-${i}`,
        published,
        to: ["https://www.w3.org/ns/activitystreams#Public"],
        cc: [`${signer.uri}/followers`, ...(mentions ? [mentionUri] : [])],
        content: `<p>${sentences(random)}</p>`,
        tag: mentions ? [{ type: "Mention", href: mentionUri }] : [],
      },
    };
    const body = JSON.stringify(activity);
    const headers = signRequest({ method: "POST", url: inboxUrl, body, keyId: signer.keyId, privateKey });
    out.push({ body, headers: { ...headers, "content-type": "application/activity+json" }, noteUri });
  }
  return out;
}

/**
 * Sends the deliveries over `connections` concurrent keep-alive connections, then waits until
 * `storedCount` finds them all in the database (or `settleMs` passes without progress).
 */
export async function deliverAll(
  inboxUrl: string,
  deliveries: SignedDelivery[],
  connections: number,
  storedCount: () => number,
  settleMs = 10_000,
): Promise<InboxRun> {
  const statuses: Record<number, number> = {};
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < deliveries.length) {
      const delivery = deliveries[next++]!;
      const response = await fetch(inboxUrl, { method: "POST", headers: delivery.headers, body: delivery.body });
      await response.arrayBuffer();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const sentSeconds = (performance.now() - started) / 1000;
  let stored = storedCount();
  let lastProgress = performance.now();
  while (stored < deliveries.length && performance.now() - lastProgress < settleMs) {
    await Bun.sleep(25);
    const now = storedCount();
    if (now > stored) lastProgress = performance.now();
    stored = now;
  }
  const storedSeconds = (lastProgress - started) / 1000;
  const accepted = Object.entries(statuses).filter(([s]) => Number(s) >= 200 && Number(s) < 300).reduce((n, [, c]) => n + c, 0);
  return {
    sent: deliveries.length,
    accepted,
    stored,
    acceptedPerSecond: accepted / sentSeconds,
    storedPerSecond: stored / storedSeconds,
    statuses,
  };
}

/**
 * Sends the deliveries at a steady `perSecond`, delivery i at i/perSecond seconds after the start,
 * over up to `connections` requests at once, until they run out or `stop()` says so (background
 * load for the mixed measurement). Returns how many were sent and accepted, and over how long.
 */
export async function deliverPaced(
  inboxUrl: string,
  deliveries: SignedDelivery[],
  perSecond: number,
  connections: number,
  stop: () => boolean,
): Promise<{ sent: number; accepted: number; seconds: number }> {
  let next = 0;
  let sent = 0;
  let accepted = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < deliveries.length && !stop()) {
      const i = next++;
      const wait = started + (i * 1000) / perSecond - performance.now();
      if (wait > 0) await Bun.sleep(wait);
      if (stop()) break;
      sent++;
      const response = await fetch(inboxUrl, { method: "POST", headers: deliveries[i]!.headers, body: deliveries[i]!.body }).catch(() => null);
      await response?.arrayBuffer();
      if (response && response.status >= 200 && response.status < 300) accepted++;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return { sent, accepted, seconds: (performance.now() - started) / 1000 };
}
