/**
 * Who is fetching an actor or object: anonymous, or a remote actor proven by a signature.
 * With authorized fetch on, unsigned fetches are refused; a signature that is present must
 * verify either way, and a blocked server is refused.
 */
import type { Context } from "hono";
import type { WebEnv } from "../../web/env.ts";
import type { Viewer } from "../../domain/audience.ts";
import { getCamp } from "../../domain/camp/settings.ts";
import { verifyRequest } from "../verifyRequest.ts";

export type FetchAccess = { ok: true; viewer: Viewer } | { ok: false; response: Response };

/** Whether the request carries an HTTP signature (draft-cavage or RFC 9421), valid or not. */
export const isSigned = (c: Context<WebEnv>): boolean =>
  !!(c.req.header("signature") || c.req.header("signature-input") || c.req.header("authorization")?.startsWith("Signature "));

export async function fetchAccess(c: Context<WebEnv>): Promise<FetchAccess> {
  const { deps, requestId } = c.var;
  if (!isSigned(c)) {
    if ((await getCamp(deps.db)).authorized_fetch) {
      deps.log.info("federation: unsigned fetch refused", { requestId, path: c.req.path });
      return { ok: false, response: c.json({ error: "this camp answers only signed requests" }, 401) };
    }
    return { ok: true, viewer: { kind: "anonymous" } };
  }
  const url = new URL(c.req.url);
  const verified = await verifyRequest(deps, { method: c.req.method, url: `${deps.config.origin}${url.pathname}${url.search}`, headers: c.req.raw.headers, body: new Uint8Array() });
  if (!verified.ok) {
    deps.log.warn("federation: fetch signature refused", { requestId, path: c.req.path, reason: verified.reason });
    return { ok: false, response: c.json({ error: verified.reason }, verified.status) };
  }
  return { ok: true, viewer: { kind: "remote", accountId: verified.owner.accountId } };
}
