/**
 * Running a real camp process for the operations tests: start it on a data folder, become its
 * operator, kill it, and speak raw HTTP to it when a test needs a request to stay in flight.
 */
import { Database } from "bun:sqlite";
import { expect } from "bun:test";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { openStore } from "../../src/db/open.ts";
import { postUri } from "../../src/federation/urls.ts";
import { insertMember, prepareMember } from "../../src/domain/members/accounts.ts";
import { freePort, PASSWORD } from "./camp.ts";
import { becomeOperator, type HttpVisitor } from "./http.ts";
import { REPO, SETUP_LINK, startKith, type RunningKith } from "./kith.ts";

export interface CampProcess {
  kith: RunningKith;
  origin: string;
  port: number;
  /** The setup link it printed, when it had no operator yet. */
  setupLink: string | null;
}

/** Starts `kith serve` on `dataDir` and waits until it listens (and, on a new camp, prints its link). */
export async function startCamp(dataDir: string, port?: number, env: Record<string, string> = {}): Promise<CampProcess> {
  const listenOn = port ?? (await freePort());
  const kith = startKith([process.execPath, "src/main.ts", "serve"], {
    cwd: REPO,
    env: { KITH_DATA: dataDir, KITH_PORT: String(listenOn), KITH_DOMAIN: `127.0.0.1:${listenOn}`, ...env },
  });
  await kith.waitFor(/"message":"serving"/);
  // A camp without an operator prints its setup link before it logs "serving".
  const setupLink = kith.output().match(SETUP_LINK)?.[1] ?? null;
  return { kith, origin: `http://127.0.0.1:${listenOn}`, port: listenOn, setupLink };
}

/** Starts a new camp and becomes its operator (handle olga). */
export async function startCampWithOperator(dataDir: string, env: Record<string, string> = {}): Promise<CampProcess & { operator: HttpVisitor }> {
  const camp = await startCamp(dataDir, undefined, env);
  if (!camp.setupLink) throw new Error(`no setup link printed:\n${camp.kith.output()}`);
  return { ...camp, operator: await becomeOperator(camp.origin, camp.setupLink, PASSWORD) };
}

/**
 * Writes into a running camp's database from the test, as a second connection: members, and a
 * remote follower whose inbox is on loopback so their public posts queue real deliveries.
 */
export async function seedCamp(dataDir: string, seed: { members?: string[]; remoteFollowerInbox?: string; followees?: string[] }): Promise<void> {
  const store = await openStore(join(dataDir, "kith.sqlite"));
  try {
    for (const handle of seed.members ?? []) {
      await insertMember(store.db, await prepareMember({ handle, displayName: handle, password: PASSWORD }), "member", null);
    }
    if (!seed.remoteFollowerInbox) return;
    const inbox = new URL(seed.remoteFollowerInbox);
    const follower = await store.db
      .insertInto("accounts")
      .values({ handle: "friend", domain: inbox.host, uri: `${inbox.origin}/users/friend`, inbox_uri: inbox.href, created_at: Date.now() })
      .returning("id")
      .executeTakeFirstOrThrow();
    for (const handle of seed.followees ?? []) {
      const followee = await store.db.selectFrom("accounts").select("id").where("handle", "=", handle).where("domain", "is", null).executeTakeFirstOrThrow();
      await store.db.insertInto("follows").values({ follower_id: follower.id, followee_id: followee.id, state: "accepted", created_at: Date.now() }).execute();
    }
  } finally {
    await store.close();
  }
}

/**
 * Posts publicly as `member` until the camp stops answering (or `until()` says stop), collecting
 * the ids the camp acknowledged with its redirect to the new post.
 */
export async function keepPosting(member: HttpVisitor, name: string, acknowledged: number[], until: () => boolean = () => false): Promise<void> {
  for (let i = 0; !until(); i++) {
    const response = await member.post("/posts", { source: `${name} says hello, number ${i}`, audience: "public" }).catch(() => null);
    if (!response) return;
    await response.arrayBuffer().catch(() => {});
    const id = response.status === 303 ? response.headers.get("location")?.match(/#post-(\d+)$/)?.[1] : undefined;
    if (id) acknowledged.push(Number(id));
  }
}

/** Kills the process at once, as a power cut or the OOM killer would, and waits until it is gone. */
export async function killHard(pid: number): Promise<void> {
  process.kill(pid, "SIGKILL");
  while (isAlive(pid)) await Bun.sleep(10);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A raw HTTP connection, so a test can hold a request open between its headers and its body. */
export class RawHttp {
  private received = "";
  private readonly socket: Socket;
  private readonly waiting = new Set<() => void>();
  readonly closed: Promise<void>;

  constructor(port: number) {
    this.socket = connect(port, "127.0.0.1");
    this.socket.on("data", (chunk) => {
      this.received += chunk.toString("latin1");
      for (const wake of this.waiting) wake();
    });
    this.closed = new Promise((resolve) => this.socket.on("close", () => resolve()));
  }

  write(text: string): void {
    this.socket.write(text);
  }

  /** Resolves once the bytes received so far match `pattern`. */
  waitFor(pattern: RegExp): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (pattern.test(this.received)) {
          this.waiting.delete(check);
          resolve(this.received);
        }
      };
      this.waiting.add(check);
      void this.closed.then(() => {
        check();
        if (this.waiting.has(check)) reject(new Error(`connection closed before ${pattern}; got:\n${this.received}`));
      });
      check();
    });
  }

  end(): void {
    this.socket.end();
  }
}

/** The address of a post's Create activity, as its deliveries name it. */
export const activityOf = (origin: string, postId: number) => `${postUri(origin, postId)}/activity`;

/**
 * On disk after a crash: an intact file, each acknowledged post, and for each its delivery either
 * already made (`delivered`) or still queued (as the post.created event, or as the delivery job it became).
 */
export function expectEachPostKeptAndItsDeliveryOwed(dataDir: string, origin: string, acknowledged: number[], delivered: Set<string>): void {
  const db = new Database(join(dataDir, "kith.sqlite"), { readonly: true });
  try {
    expect(db.query("pragma integrity_check").get()).toEqual({ integrity_check: "ok" });
    const posts = new Set(db.query("select id from posts").all().map((r) => (r as { id: number }).id));
    const jobs = db.query("select kind, payload from jobs").all() as { kind: string; payload: string }[];
    const queuedEvents = new Set(jobs.filter((j) => j.kind === "event").map((j) => (JSON.parse(j.payload) as { postId?: number }).postId));
    const queuedDeliveries = new Set(jobs.filter((j) => j.kind === "deliver").map((j) => (JSON.parse(j.payload) as { activityId: string }).activityId));
    for (const id of acknowledged) {
      expect(posts.has(id)).toBe(true);
      const activity = activityOf(origin, id);
      expect(queuedEvents.has(id) || queuedDeliveries.has(activity) || delivered.has(activity)).toBe(true);
    }
  } finally {
    db.close();
  }
}
