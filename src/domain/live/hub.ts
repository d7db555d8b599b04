/**
 * Live updates for people reading the camp: new posts in the stream they read, replies in an open
 * conversation, and their unread notification count.
 *
 * Driven by the database, so that it works when several processes serve the same SQLite file: each
 * process has one poller per database, running only while someone is subscribed, which every
 * LIVE_POLL_MS reads the newest post and notification ids (two primary-key lookups) and, only when
 * they moved, asks for each subscriber which new posts belong to their stream and pass the audience
 * gate (src/domain/live/streams.ts). A subscriber's viewer is looked up again on every check, so a
 * member suspended mid-stream stops receiving at once.
 *
 *   const stop = liveHub(db).subscribe({ memberId, stream: { kind: "home" }, afterPostId, notifications: true },
 *     (update) => ...);   // later: stop()
 */
import type { Db } from "../../db/open.ts";
import { unreadCount } from "../notifications/inbox.ts";
import { viewerForAccount } from "../posts/visibility.ts";
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
}

/**
 * What a subscriber hears: posts that passed the gate (ids, oldest first), the new unread count, or
 * that the hub is closing (the server is stopping; nothing more will come).
 */
export type LiveUpdate = { kind: "posts"; postIds: number[] } | { kind: "unread"; count: number } | { kind: "closed" };

export type LiveListener = (update: LiveUpdate) => void;

interface Subscriber {
  subscription: LiveSubscription;
  listener: LiveListener;
  /** The newest post and notification ids this subscriber was checked against (-1: never). */
  checkedPosts: number;
  checkedNotifications: number;
  unread: number | null;
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

async function newestIds(db: Db): Promise<{ posts: number; notifications: number }> {
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

  async function check(sub: Subscriber, newest: { posts: number; notifications: number }) {
    const { subscription: s } = sub;
    const viewer = await viewerForAccount(db, s.memberId);
    if (s.stream && newest.posts > sub.checkedPosts && newest.posts > s.afterPostId) {
      const ids = await newPostIds(db, viewer, s.memberId, s.stream, s.afterPostId);
      sub.checkedPosts = newest.posts;
      if (ids.length > 0 && subscribers.has(sub)) {
        s.afterPostId = ids[ids.length - 1]!;
        sub.listener({ kind: "posts", postIds: ids });
      }
    }
    if (s.notifications && viewer.kind === "member" && newest.notifications !== sub.checkedNotifications) {
      sub.checkedNotifications = newest.notifications;
      const count = await unreadCount(db, s.memberId);
      if (count !== sub.unread && subscribers.has(sub)) {
        sub.unread = count;
        sub.listener({ kind: "unread", count });
      }
    }
  }

  async function tick() {
    timer = null;
    running = true;
    try {
      const newest = await newestIds(db);
      for (const sub of [...subscribers]) await check(sub, newest);
    } catch (error) {
      onError(error);
    } finally {
      running = false;
    }
    if (subscribers.size > 0) schedule(intervalMs);
  }

  return {
    subscribe(subscription, listener) {
      const sub: Subscriber = { subscription: { ...subscription }, listener, checkedPosts: -1, checkedNotifications: -1, unread: null };
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
