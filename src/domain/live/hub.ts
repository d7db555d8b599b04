/**
 * Live updates for people reading the camp: new posts in the stream they read, replies in an open
 * conversation, and their unread notification count.
 *
 * Driven by the database, so that it works when several processes serve the same SQLite file: each
 * process has one poller per database, running only while someone is subscribed, which every
 * LIVE_POLL_MS reads the newest post and notification ids (two primary-key lookups) and, only when
 * they moved, asks for each subscriber which new posts belong to their stream and pass the audience
 * gate (src/domain/live/streams.ts). A subscriber's viewer is looked up again on every check, so a
 * member suspended mid-stream stops receiving at once. Apps (the client API's streaming) also ask for
 * each new notification's id and for edits and deletions, read through a partial index of changed
 * posts (src/domain/live/changes.ts) only while such a subscriber is listening.
 *
 *   const stop = liveHub(db).subscribe({ memberId, stream: { kind: "home" }, afterPostId, notifications: true },
 *     (update) => ...);   // later: stop()
 */
import type { Db } from "../../db/open.ts";
import { notificationIdsAfter, unreadCount } from "../notifications/inbox.ts";
import { viewerForAccount } from "../posts/visibility.ts";
import { changesSince, deletedPostsSeenBy, type PostChange } from "./changes.ts";
import { newPostIds, type LiveStream } from "./streams.ts";

export type { LiveStream } from "./streams.ts";

/** How often the poller looks at the database while anyone is subscribed. */
export const LIVE_POLL_MS = 500;

export interface LiveSubscription {
  memberId: number;
  /** The stream being read, if any. */
  stream: LiveStream | null;
  /** The newest post id the reader already has; only posts after it are announced. */
  afterPostId: number;
  /** Whether to announce the unread notification count when it changes (and once at the start). */
  notifications: boolean;
  /** Announce the reader's own new posts too (apps show them; a page already does). */
  includeOwn?: boolean;
  /** Announce each new notification after this id (apps); the pages ask only for the count. */
  afterNotificationId?: number;
  /** Announce edits and deletions of posts the reader may hold (apps). */
  changes?: boolean;
}

/** Changes are looked for this far back, so one committed a moment after its clock time is not missed. */
const CHANGE_SLACK_MS = 2000;

/**
 * What a subscriber hears: posts that passed the gate (ids, oldest first), the new unread count, or
 * that the hub is closing (the server is stopping; nothing more will come).
 */
export type LiveUpdate =
  | { kind: "posts"; postIds: number[] }
  | { kind: "unread"; count: number }
  | { kind: "notifications"; ids: number[] }
  /** Posts of the stream that were edited, and posts the reader could see that were deleted. */
  | { kind: "edited"; postIds: number[] }
  | { kind: "deleted"; postIds: number[] }
  | { kind: "closed" };

export type LiveListener = (update: LiveUpdate) => void;

interface Subscriber {
  subscription: LiveSubscription;
  listener: LiveListener;
  /** The newest post and notification ids this subscriber was checked against (-1: never). */
  checkedPosts: number;
  checkedNotifications: number;
  unread: number | null;
  /** When it subscribed: changes before this are not its news. */
  since: number;
}

export interface LiveHub {
  /** Starts telling `listener` about updates; returns the function that stops it. */
  subscribe(subscription: LiveSubscription, listener: LiveListener): () => void;
  /** How many subscribers there are now (the poller runs only while this is above zero). */
  readonly size: number;
  /** Tells every subscriber "closed", drops them and stops polling (when the server stops). */
  close(): void;
}

const hubs = new WeakMap<Db, LiveHub>();

/**
 * The live hub of this process for this database (one poller per database and process). `onError`
 * hears a failed check (the poller carries on); the first caller's is kept.
 */
export function liveHub(db: Db, onError: (error: unknown) => void): LiveHub {
  let hub = hubs.get(db);
  if (!hub) {
    hub = createLiveHub(db, LIVE_POLL_MS, onError);
    hubs.set(db, hub);
  }
  return hub;
}

/** Closes this process's hub for the database, if it has one, so open live answers end at once. */
export function closeLiveHub(db: Db): void {
  hubs.get(db)?.close();
  hubs.delete(db);
}

/** The newest post and notification ids in the camp (two primary-key lookups). */
export async function newestIds(db: Db): Promise<{ posts: number; notifications: number }> {
  const [posts, notifications] = await Promise.all([
    db.selectFrom("posts").select((eb) => eb.fn.max("id").as("id")).executeTakeFirst(),
    db.selectFrom("notifications").select((eb) => eb.fn.max("id").as("id")).executeTakeFirst(),
  ]);
  return { posts: Number(posts?.id ?? 0), notifications: Number(notifications?.id ?? 0) };
}

/** A hub polling every `intervalMs`; exported for tests, the app uses liveHub(db). */
export function createLiveHub(db: Db, intervalMs: number, onError: (error: unknown) => void): LiveHub {
  const subscribers = new Set<Subscriber>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  // One check at a time: two overlapping checks of a subscriber could announce the same posts twice.
  let running = false;
  const schedule = (delay: number) => {
    if (timer === null && !running) timer = setTimeout(tick, delay);
  };
  // Edits and deletions: the newest change seen, and the changes seen within the slack before it.
  let changeMark: number | null = null;
  const changesSeen = new Map<string, number>();

  async function newChanges(): Promise<PostChange[]> {
    if (![...subscribers].some((sub) => sub.subscription.changes)) {
      changeMark = null;
      changesSeen.clear();
      return [];
    }
    changeMark ??= Date.now();
    const fresh: PostChange[] = [];
    for (const change of await changesSince(db, changeMark - CHANGE_SLACK_MS)) {
      const key = `${change.postId}:${change.at}`;
      if (changesSeen.has(key)) continue;
      changesSeen.set(key, change.at);
      fresh.push(change);
      changeMark = Math.max(changeMark, change.at);
    }
    for (const [key, at] of changesSeen) if (at < changeMark - CHANGE_SLACK_MS) changesSeen.delete(key);
    return fresh;
  }

  async function check(sub: Subscriber, newest: { posts: number; notifications: number }, changes: PostChange[]) {
    const { subscription: s } = sub;
    const viewer = await viewerForAccount(db, s.memberId);
    const tell = (update: LiveUpdate) => { if (subscribers.has(sub)) sub.listener(update); };
    if (s.stream && newest.posts > sub.checkedPosts && newest.posts > s.afterPostId) {
      const ids = await newPostIds(db, viewer, s.memberId, s.stream, s.afterPostId, { includeOwn: s.includeOwn });
      sub.checkedPosts = newest.posts;
      if (ids.length > 0 && subscribers.has(sub)) {
        s.afterPostId = ids[ids.length - 1]!;
        sub.listener({ kind: "posts", postIds: ids });
      }
    }
    const wantsNotifications = s.notifications || s.afterNotificationId !== undefined;
    if (wantsNotifications && viewer.kind === "member" && newest.notifications !== sub.checkedNotifications) {
      sub.checkedNotifications = newest.notifications;
      if (s.afterNotificationId !== undefined && newest.notifications > s.afterNotificationId) {
        const ids = await notificationIdsAfter(db, s.memberId, s.afterNotificationId);
        if (ids.length > 0 && subscribers.has(sub)) {
          s.afterNotificationId = ids[ids.length - 1]!;
          sub.listener({ kind: "notifications", ids });
        }
      }
      const count = s.notifications ? await unreadCount(db, s.memberId) : sub.unread;
      if (count !== sub.unread && count !== null && subscribers.has(sub)) {
        sub.unread = count;
        sub.listener({ kind: "unread", count });
      }
    }
    const mine = s.changes ? changes.filter((c) => c.at >= sub.since) : [];
    if (mine.length > 0) {
      const edited = mine.filter((c) => !c.deleted).map((c) => c.postId);
      const editedInStream = s.stream ? await newPostIds(db, viewer, s.memberId, s.stream, 0, { includeOwn: s.includeOwn, only: edited }) : [];
      if (editedInStream.length > 0) tell({ kind: "edited", postIds: editedInStream });
      const deleted = await deletedPostsSeenBy(db, viewer, mine.filter((c) => c.deleted).map((c) => c.postId));
      if (deleted.length > 0) tell({ kind: "deleted", postIds: deleted });
    }
  }

  async function tick() {
    timer = null;
    running = true;
    try {
      const [newest, changes] = await Promise.all([newestIds(db), newChanges()]);
      for (const sub of [...subscribers]) await check(sub, newest, changes);
    } catch (error) {
      onError(error);
    } finally {
      running = false;
    }
    if (subscribers.size > 0) schedule(intervalMs);
  }

  return {
    subscribe(subscription, listener) {
      const sub: Subscriber = { subscription: { ...subscription }, listener, checkedPosts: -1, checkedNotifications: -1, unread: null, since: Date.now() };
      subscribers.add(sub);
      schedule(0);
      return () => {
        subscribers.delete(sub);
        if (subscribers.size === 0 && timer !== null) {
          clearTimeout(timer);
          timer = null;
        }
      };
    },
    get size() {
      return subscribers.size;
    },
    close() {
      const all = [...subscribers];
      subscribers.clear();
      if (timer !== null) clearTimeout(timer);
      timer = null;
      for (const sub of all) sub.listener({ kind: "closed" });
    },
  };
}
