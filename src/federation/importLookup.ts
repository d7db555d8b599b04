/**
 * How an import finds the accounts and posts a CSV names: members of this camp by handle, everyone
 * else by WebFinger through the guarded lookup; posts of this camp by their address, known remote
 * posts by their id, others fetched from their server. Servers the camp does not federate with are
 * refused by policy; addresses nobody answers for are not found.
 */
import type { Deps } from "../web/env.ts";
import type { AccountResolver, PostResolver } from "../domain/import/run.ts";
import { postById } from "./inbox/local.ts";
import { lookupAccount, lookupUrl } from "./lookup.ts";
import { mayFederateWith } from "./policy.ts";
import { FetchRefused } from "./safeFetch.ts";
import { hostOf } from "./urls.ts";

export function accountResolver(deps: Deps): AccountResolver {
  return async (address) => {
    const at = address.lastIndexOf("@");
    const user = address.slice(0, at).replace(/^@/, "");
    const host = address.slice(at + 1).toLowerCase();
    if (host === deps.config.domain.toLowerCase()) {
      const member = await deps.db.selectFrom("accounts").innerJoin("members", "members.account_id", "accounts.id").select("accounts.id")
        .where("accounts.domain", "is", null).where("accounts.deleted_at", "is", null).where("accounts.suspended_at", "is", null)
        .where((eb) => eb(eb.fn("lower", ["accounts.handle"]), "=", user.toLowerCase())).executeTakeFirst();
      return member ? { found: member.id } : { notFound: `There is no member ${user} in this camp.` };
    }
    if (!(await mayFederateWith(deps.db, host))) return { refused: `This camp does not federate with ${host}.` };
    try {
      return { found: await lookupAccount(deps, `${user}@${host}`) };
    } catch (error) {
      if (!(error instanceof FetchRefused)) throw error;
      return { notFound: error.message };
    }
  };
}

/** Finds a post named by its address for an import of bookmarks. */
export function postResolver(deps: Deps): PostResolver {
  return async (url) => {
    const known = await postById(deps.db, deps.config.origin, url);
    if (known && known.deleted_at === null) return { found: known.id };
    const host = hostOf(url);
    if (!host || host === deps.config.domain.toLowerCase()) return { notFound: "There is no such post in this camp." };
    if (!(await mayFederateWith(deps.db, host))) return { refused: `This camp does not federate with ${host}.` };
    try {
      const found = await lookupUrl(deps, url);
      return found.kind === "post" ? { found: found.id } : { notFound: "That address is not a post that anyone may see." };
    } catch (error) {
      if (!(error instanceof FetchRefused)) throw error;
      return { notFound: error.message };
    }
  };
}
