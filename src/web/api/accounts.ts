/**
 * Accounts: the member's own (verify and update), any account by id or handle, its statuses,
 * followers and following, search, relationships, and follow, block and mute. Each action is the
 * same domain function the pages call; the answers are Mastodon's Account and Relationship entities.
 */
import { Hono, type Context } from "hono";
import { accountCards, accountCounts, findAccountByAcct, searchAccounts } from "../../domain/accounts/cards.ts";
import { relationships } from "../../domain/accounts/relationships.ts";
import { addMute, removeMute } from "../../domain/filters/mutes.ts";
import { follow, unfollow } from "../../domain/follows/follow.ts";
import { followersOf, followingOf } from "../../domain/follows/lists.ts";
import { setAvatar } from "../../domain/media/store.ts";
import { updateProfile } from "../../domain/members/profile.ts";
import { blockAccount, unblockAccount } from "../../domain/remote/blocks.ts";
import { pendingFollowRequests } from "../../domain/remote/followRequests.ts";
import { Refusal } from "../../domain/errors.ts";
import { profileStream } from "../../domain/timelines/streams.ts";
import { lookupAccount } from "../../federation/lookup.ts";
import { FetchRefused } from "../../federation/safeFetch.ts";
import { parseId } from "../htmx.ts";
import { memberOf, memberWith } from "./auth.ts";
import type { ApiEnv } from "./env.ts";
import { accountEntities, accountEntity, credentialAccountEntity } from "./entities/account.ts";
import { relationshipEntity } from "./entities/relationship.ts";
import { itemsToStatuses } from "./entities/status.ts";
import { apiError, NOT_FOUND, refusalAnswer } from "./errors.ts";
import { pageOf, readPaging, setLinkHeader } from "./paging.ts";
import type { StreamItem } from "../../domain/posts/present.ts";
import { readParams } from "./params.ts";

const me = (c: Context<ApiEnv>) => ({ kind: "member" as const, accountId: memberOf(c) });

async function fullAccount(c: Context<ApiEnv>, id: number) {
  const card = (await accountCards(c.var.deps.db, [id])).get(id);
  if (!card) return null;
  return accountEntity(c.var.deps.config.origin, card, await accountCounts(c.var.deps.db, me(c), id));
}

async function credentials(c: Context<ApiEnv>) {
  const db = c.var.deps.db;
  const id = memberOf(c);
  const card = (await accountCards(db, [id])).get(id)!;
  const [counts, requests] = await Promise.all([accountCounts(db, me(c), id), pendingFollowRequests(db, id)]);
  return credentialAccountEntity(c.var.deps.config.origin, card, counts, requests.length);
}

const accountList = (c: Context<ApiEnv>, ids: number[]) => accountEntities(c.var.deps.db, c.var.deps.config.origin, ids);

export function accountsApi() {
  const app = new Hono<ApiEnv>();

  app.get("/api/v1/accounts/verify_credentials", memberWith("profile"), async (c) => c.json(await credentials(c)));

  app.patch("/api/v1/accounts/update_credentials", memberWith("write:accounts"), async (c) => {
    const { db, config } = c.var.deps;
    const params = await readParams(c);
    const id = memberOf(c);
    const current = (await accountCards(db, [id])).get(id)!;
    try {
      const displayName = params.text("display_name");
      const note = params.text("note");
      if (displayName !== undefined || note !== undefined) {
        await updateProfile(db, id, { displayName: displayName ?? current.displayName, bio: note ?? current.bioSource });
      }
      const avatar = params.file("avatar");
      if (avatar) await setAvatar(db, config.mediaDir, id, new Uint8Array(await avatar.arrayBuffer()));
    } catch (error) {
      return refusalAnswer(c, error);
    }
    c.var.deps.log.info("api: profile updated", { requestId: c.var.requestId });
    return c.json(await credentials(c));
  });

  app.get("/api/v1/accounts/lookup", memberWith("read:accounts"), async (c) => {
    const id = await findAccountByAcct(c.var.deps.db, c.req.query("acct") ?? "", c.var.deps.config.domain);
    const account = id === null ? null : await fullAccount(c, id);
    return account ? c.json(account) : apiError(c, 404, NOT_FOUND);
  });

  app.get("/api/v1/accounts/search", memberWith("read:accounts"), async (c) => {
    const q = (c.req.query("q") ?? "").trim();
    const limit = Math.min(Math.max(Number(c.req.query("limit")) || 40, 1), 80);
    let ids = await searchAccounts(c.var.deps.db, q, limit);
    // With resolve=true, someone elsewhere is looked up by WebFinger, as the Find people page does.
    if (ids.length === 0 && c.req.query("resolve") === "true" && /^@?[^@\s]+@[^@\s]+$/.test(q)) {
      try {
        ids = [await lookupAccount(c.var.deps, q)];
      } catch (error) {
        if (!(error instanceof FetchRefused)) throw error;
        c.var.deps.log.info("api: remote lookup failed", { requestId: c.var.requestId, reason: error.message });
      }
    }
    return c.json(await accountList(c, ids));
  });

  app.get("/api/v1/accounts/relationships", memberWith("read:follows"), async (c) => {
    const ids = [...c.req.queries("id[]") ?? [], ...c.req.queries("id") ?? []].map(parseId).filter((id): id is number => id !== null);
    return c.json((await relationships(c.var.deps.db, memberOf(c), ids)).map(relationshipEntity));
  });

  app.get("/api/v1/accounts/:id{[0-9]+}", memberWith("read:accounts"), async (c) => {
    const id = parseId(c.req.param("id"));
    const account = id === null ? null : await fullAccount(c, id);
    return account ? c.json(account) : apiError(c, 404, NOT_FOUND);
  });

  app.get("/api/v1/accounts/:id{[0-9]+}/statuses", memberWith("read:statuses"), async (c) => {
    const id = parseId(c.req.param("id"));
    const paging = readPaging(c);
    if (typeof paging === "string") return apiError(c, 400, paging);
    if (id === null || !(await accountCards(c.var.deps.db, [id])).has(id)) return apiError(c, 404, NOT_FOUND);
    // Kith has no pinned posts: the pinned list is empty.
    if (c.req.query("pinned") === "true") return c.json([]);
    const wanted = (i: StreamItem) => (c.req.query("exclude_replies") !== "true" || i.post.inReplyTo === null || i.boostedBy !== null)
      && (c.req.query("exclude_reblogs") !== "true" || i.boostedBy === null)
      && (c.req.query("only_media") !== "true" || i.post.attachments.length > 0);
    const items = await pageOf(paging, async (before, limit) => {
      const page = await profileStream(c.var.deps.db, me(c), id, before, limit);
      return { items: page.items.filter(wanted), next: page.next };
    }, (i) => i.key);
    setLinkHeader(c, items.map((i) => i.key), c.var.deps.config.origin);
    return c.json(await itemsToStatuses(c.var.deps.db, c.var.deps.config.origin, memberOf(c), items));
  });

  for (const [path, list] of [["followers", followersOf], ["following", followingOf]] as const) {
    app.get(`/api/v1/accounts/:id{[0-9]+}/${path}`, memberWith("read:accounts"), async (c) => {
      const id = parseId(c.req.param("id"));
      if (id === null || !(await accountCards(c.var.deps.db, [id])).has(id)) return apiError(c, 404, NOT_FOUND);
      const limit = Math.min(Math.max(Number(c.req.query("limit")) || 40, 1), 80);
      return c.json(await accountList(c, (await list(c.var.deps.db, id)).slice(0, limit).map((a) => a.id)));
    });
  }

  type Action = (c: Context<ApiEnv>, memberId: number, targetId: number) => Promise<unknown>;
  const ACTIONS: [string, string, Action][] = [
    ["follow", "write:follows", (c, m, t) => follow(c.var.deps.db, m, t)],
    ["unfollow", "write:follows", (c, m, t) => unfollow(c.var.deps.db, m, t)],
    ["block", "write:blocks", (c, m, t) => blockAccount(c.var.deps.db, m, t)],
    ["unblock", "write:blocks", (c, m, t) => unblockAccount(c.var.deps.db, m, t)],
    ["mute", "write:mutes", (c, m, t) => addMute(c.var.deps.db, m, t, "mute")],
    ["unmute", "write:mutes", (c, m, t) => removeMute(c.var.deps.db, m, t, "mute")],
  ];
  for (const [name, scope, run] of ACTIONS) {
    app.post(`/api/v1/accounts/:id{[0-9]+}/${name}`, memberWith(scope), async (c) => {
      const id = parseId(c.req.param("id"));
      if (id === null || !(await accountCards(c.var.deps.db, [id])).has(id)) return apiError(c, 404, NOT_FOUND);
      try {
        await run(c, memberOf(c), id);
      } catch (error) {
        // Mastodon answers a repeated follow or unfollow with the relationship as it stands.
        if (!(error instanceof Refusal && error.kind === "conflict")) return refusalAnswer(c, error);
      }
      c.var.deps.log.info(`api: ${name}`, { requestId: c.var.requestId, accountId: id });
      const [relationship] = await relationships(c.var.deps.db, memberOf(c), [id]);
      return c.json(relationshipEntity(relationship!));
    });
  }

  return app;
}
