/**
 * Who signed this request? Checks the signature (draft-cavage or RFC 9421), its freshness and
 * body digest, that the signer's server is one we federate with, and the key itself, fetching
 * it when unknown and refetching once when a cached key fails (keys rotate).
 */
import type { Deps } from "../web/env.ts";
import { type KeyOwner, keyOwner } from "./fetchRemote.ts";
import { mayFederateWithUrl } from "./policy.ts";
import { FetchRefused } from "./safeFetch.ts";
import { checkCoverage, type IncomingRequest, parseSignature, SignatureError, verifyWith } from "./signatures.ts";
import { resumeDeliveriesTo } from "./inboxHealth.ts";
import { hostOf } from "./urls.ts";

export type Verification =
  | { ok: true; owner: KeyOwner }
  | { ok: false; status: 401 | 403; reason: string };

export async function verifyRequest(deps: Deps, request: IncomingRequest): Promise<Verification> {
  let parsed;
  try {
    parsed = parseSignature(request);
    checkCoverage(request, parsed, Date.now());
  } catch (error) {
    if (error instanceof SignatureError) return { ok: false, status: 401, reason: error.message };
    throw error;
  }
  if (!(await mayFederateWithUrl(deps.db, parsed.keyId))) return { ok: false, status: 403, reason: `this camp does not federate with ${hostOf(parsed.keyId) ?? "that server"}` };
  try {
    let owner = await keyOwner(deps, parsed.keyId);
    if (!verifyWith(parsed, owner.publicKeyPem)) {
      owner = await keyOwner(deps, parsed.keyId, { refresh: true });
      if (!verifyWith(parsed, owner.publicKeyPem)) return { ok: false, status: 401, reason: "the signature does not verify with the signer's key" };
    }
    await resumeDeliveriesTo(deps.db, hostOf(owner.actorUri)!);
    return { ok: true, owner };
  } catch (error) {
    if (error instanceof FetchRefused) return { ok: false, status: 401, reason: `cannot get the signer's key: ${error.message}` };
    throw error;
  }
}
