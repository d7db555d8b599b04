/**
 * Stopping and crashing a real camp process. SIGTERM lets a request in flight finish and exits 0;
 * SIGKILL while members post and deliveries are queued loses nothing that was acknowledged (posts,
 * their deliveries to a remote follower, invites), and after a restart the queue delivers them.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PASSWORD } from "./support/camp.ts";
import { REPO, runKith, startKith, tempDir, type RunningKith } from "./support/kith.ts";
import { HttpVisitor } from "./support/http.ts";
import { activityOf, expectEachPostKeptAndItsDeliveryOwed, keepPosting, killHard, RawHttp, seedCamp, startCamp, startCampWithOperator } from "./support/ops.ts";

const running: RunningKith[] = [];
afterEach(async () => {
  for (const kith of running.splice(0)) await kith.stop().catch(() => {});
});

const track = <T extends { kith: RunningKith }>(camp: T): T => {
  running.push(camp.kith);
  return camp;
};

/** A fresh CSRF cookie from the camp, for a form posted over a raw connection. */
async function csrfCookie(origin: string): Promise<string> {
  const response = await fetch(`${origin}/about`);
  await response.arrayBuffer();
  return response.headers.getSetCookie().map((c) => c.split(";")[0]!).find((c) => c.startsWith("kith_csrf="))!.split("=")[1]!;
}

describe("starting and stopping", () => {
  test("finishes the request in flight, then exits 0 and stops accepting", async () => {
    const data = tempDir();
    const camp = track(await startCampWithOperator(data));
    const csrf = await csrfCookie(camp.origin);
    const body = new URLSearchParams({ _csrf: csrf, handle: "olga", password: PASSWORD }).toString();

    // Headers now, body later: the server has the request in hand when the signal arrives.
    const connection = new RawHttp(camp.port);
    connection.write(
      `POST /login HTTP/1.1\r\nHost: 127.0.0.1:${camp.port}\r\nCookie: kith_csrf=${csrf}\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
    );
    await connection.waitFor(/^HTTP\/1\.1 100 Continue\r\n\r\n/);
    process.kill(camp.kith.pid, "SIGTERM");
    await camp.kith.waitFor(/"message":"stopping","signal":"SIGTERM"/);

    connection.write(body);
    const answer = await connection.waitFor(/\r\n\r\n[\s\S]*HTTP\/1\.1 \d{3}[\s\S]*\r\n\r\n/);
    expect(answer).toMatch(/HTTP\/1\.1 303 See Other\r\n/i);
    expect(answer).toMatch(/set-cookie: kith_session=/i);

    expect(await camp.kith.exited).toBe(0);
    expect(camp.kith.output()).toContain('"message":"stopped"');
    expect(existsSync(join(data, "kith.pid"))).toBe(false);
    await expect(fetch(`${camp.origin}/healthz`)).rejects.toThrow();
    // The login it finished is on disk: one session from the setup, one from the request in flight.
    const db = new Database(join(data, "kith.sqlite"), { readonly: true });
    expect(db.query("select count(*) as n from sessions").get()).toEqual({ n: 2 });
    db.close();
  });

  test("a taken port is refused plainly, and the data folder is left free", async () => {
    const squatter = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("someone else") });
    const data = tempDir();
    const port = squatter.port;
    const run = await runKith(["serve"], { KITH_DATA: data, KITH_PORT: String(port) });
    squatter.stop(true);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`kith: port ${port} on 127.0.0.1 is already in use by another program.`);
    expect(existsSync(join(data, "kith.pid"))).toBe(false);
  });

  test("a second server on the same data is refused while the first runs", async () => {
    const data = tempDir();
    const first = track(await startCamp(data));
    const second = startKith([process.execPath, "src/main.ts", "serve"], { cwd: REPO, env: { KITH_DATA: data, KITH_PORT: "1" } });
    await expect(second.waitFor(/never printed/)).rejects.toThrow(`another Kith process (pid ${first.kith.pid}) is using ${data}`);
    expect(readFileSync(join(data, "kith.pid"), "utf8").trim()).toBe(String(first.kith.pid));
    expect((await fetch(`${first.origin}/healthz`)).status).toBe(200);
  });
});

describe("SIGKILL in the middle of writes", () => {
  test("every acknowledged post, queued delivery and invite survives, and the queue resumes on restart", async () => {
    // A remote follower's inbox on loopback, recording every activity delivered to it.
    const delivered = new Set<string>();
    const sink = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: async (request) => {
        delivered.add(((await request.json()) as { id: string }).id);
        return new Response(null, { status: 202 });
      },
    });
    const data = tempDir();
    const federating = { KITH_UNSAFE_ALLOW_PRIVATE_NETWORK: "1" };
    const camp = track(await startCampWithOperator(data, federating));
    await seedCamp(data, { members: ["sam"], remoteFollowerInbox: `http://127.0.0.1:${sink.port}/inbox`, followees: ["olga", "sam"] });
    const sam = new HttpVisitor(camp.origin);
    expect((await sam.post("/login", { handle: "sam", password: PASSWORD })).status).toBe(303);

    // Two members post over HTTP while the operator makes invites, all at once.
    const acknowledgedPosts: number[] = [];
    const acknowledgedInvites: string[] = [];
    const writing = Promise.all([
      keepPosting(camp.operator, "olga", acknowledgedPosts),
      keepPosting(sam, "sam", acknowledgedPosts),
      (async () => {
        for (let i = 0; i < 25; i++) {
          const note = `crash-test invite ${i}`;
          const response = await camp.operator.post("/admin/invites", { note, days: "7" }).catch(() => null);
          if (!response) return;
          await response.arrayBuffer().catch(() => {});
          if (response.status === 201) acknowledgedInvites.push(note);
        }
      })(),
    ]);
    while (acknowledgedPosts.length < 30 || acknowledgedInvites.length < 5) await Bun.sleep(5);

    await killHard(camp.kith.pid);
    await writing;

    // On disk after the crash: each acknowledged post, and for each its delivery made or still owed.
    expectEachPostKeptAndItsDeliveryOwed(data, camp.origin, acknowledgedPosts, delivered);
    // The killed server's pid file is still there; the next start must take it over.
    expect(existsSync(join(data, "kith.pid"))).toBe(true);

    const restarted = track(await startCamp(data, camp.port, federating));
    expect(restarted.setupLink).toBeNull();
    // The operator's session from before the crash still works, and every acknowledged invite is there.
    // (Once more if fetch first tries a pooled connection to the killed process.)
    const invitesPage = await camp.operator.get("/admin/invites").catch(() => camp.operator.get("/admin/invites"));
    expect(invitesPage.status).toBe(200);
    const html = await invitesPage.text();
    for (const note of acknowledgedInvites) expect(html).toContain(note);
    // The queue resumes: every acknowledged post reaches the follower's inbox.
    while (!acknowledgedPosts.every((id) => delivered.has(activityOf(camp.origin, id)))) await Bun.sleep(20);
    expect((await fetch(`${restarted.origin}/healthz`)).status).toBe(200);
    sink.stop(true);
  }, 60_000);
});
