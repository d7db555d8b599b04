/**
 * Times as people read them: "5 min", "yesterday", "Mon", "3 Mar", counted in the reader's time zone,
 * with the exact local time in `<time datetime>` and its title. The zone is the member's choice in
 * Settings; a browser's guess fills it only while it is empty; UTC otherwise.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { relativeTime, TimeAgo } from "../views/components/time.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { postAs } from "./support/posts.ts";

const at = (iso: string) => Date.parse(iso);

describe("relative times", () => {
  const now = at("2026-12-03T10:30:00Z");
  const utc = { zone: "UTC", now };
  test("minutes and hours today", () => {
    expect(relativeTime(now - 20_000, utc)).toBe("just now");
    expect(relativeTime(now - 5 * 60_000, utc)).toBe("5 min");
    expect(relativeTime(at("2026-12-03T07:10:00Z"), utc)).toBe("3 h");
  });
  test("yesterday and the days of the week are counted in the reader's zone", () => {
    // 23:30 UTC on the 2nd is already the 3rd in Tokyo, and still the 2nd in UTC.
    expect(relativeTime(at("2026-12-02T23:30:00Z"), utc)).toBe("yesterday");
    expect(relativeTime(at("2026-12-02T23:30:00Z"), { zone: "Asia/Tokyo", now })).toBe("11 h");
    expect(relativeTime(at("2026-11-30T12:00:00Z"), utc)).toBe("Mon");
    expect(relativeTime(at("2026-03-04T12:00:00Z"), utc)).toBe("4 Mar");
    expect(relativeTime(at("2024-03-04T12:00:00Z"), utc)).toBe("4 Mar 2024");
  });
  test("the exact local time is in datetime (with its offset) and in the title", async () => {
    const markup = String(await TimeAgo(at("2026-12-03T09:00:00Z"), { zone: "Europe/Berlin", now }));
    expect(markup).toContain('datetime="2026-12-03T10:00+01:00"');
    expect(markup).toContain('title="Thursday, 3 December 2026 at 10:00 (Europe/Berlin)"');
    expect(markup).toContain(">1 h</time>");
    expect(String(await TimeAgo(at("2026-12-03T09:00:00Z"), utc))).toContain('datetime="2026-12-03T09:00Z"');
  });
});

describe("the member's time zone", () => {
  let camp: TestCamp;
  beforeAll(async () => {
    camp = await testCamp();
    const ann = await camp.addMember("ann");
    await camp.addMember("bob");
    await postAs(camp, ann, { source: "hello" });
  });
  afterAll(() => camp.close());
  const zoneOf = async (handle: string) =>
    (await camp.db.selectFrom("members").innerJoin("accounts", "accounts.id", "members.account_id").select("time_zone").where("handle", "=", handle).executeTakeFirstOrThrow()).time_zone;

  test("UTC until chosen; chosen in Settings, cards show the zone's offset", async () => {
    const bob = await camp.loggedIn("bob");
    expect(await (await bob.get("/camp")).text()).toMatch(/<time datetime="[^"]+Z" title="[^"]+\(UTC\)">/);
    const saved = await bob.post("/settings/time-zone", { timeZone: "America/New_York" });
    expect(saved.status).toBe(303);
    expect(await zoneOf("bob")).toBe("America/New_York");
    expect(await (await bob.get("/camp")).text()).toMatch(/<time datetime="[^"]+-05:00" title="[^"]+\(America\/New_York\)">/);
    expect(await (await bob.get("/settings")).text()).toContain('<option value="America/New_York" selected="">America/New York</option>');
  });

  test("a browser's guess fills an empty zone but never replaces a choice", async () => {
    const ann = await camp.loggedIn("ann");
    expect(await (await ann.get("/")).text()).toContain('<meta name="kith-guess-time-zone"');
    expect((await ann.post("/settings/time-zone", { timeZone: "Asia/Tokyo", guess: "1" })).status).toBe(204);
    expect(await zoneOf("ann")).toBe("Asia/Tokyo");
    expect(await (await ann.get("/")).text()).not.toContain("kith-guess-time-zone");
    await ann.post("/settings/time-zone", { timeZone: "Europe/Paris", guess: "1" });
    expect(await zoneOf("ann")).toBe("Asia/Tokyo");
  });

  test("an unknown zone is refused with a message and changes nothing", async () => {
    const bob = await camp.loggedIn("bob");
    const before = await zoneOf("bob");
    const refused = await bob.post("/settings/time-zone", { timeZone: "Mars/Olympus_Mons" });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain("is not a time zone we know");
    expect(await zoneOf("bob")).toBe(before);
    expect(camp.logs.some((line) => line.includes("time zone: refused"))).toBe(true);
  });
});
