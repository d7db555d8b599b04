/**
 * The whole onboarding story through HTTP, as two browsers would live it: the operator opens the
 * setup link, names the camp, invites a friend (on the admin page and with `kith invite`'s domain
 * function), the friend joins, logs out and in, fills in a profile and uploads an avatar.
 */
import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { readdirSync } from "node:fs";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { countRows, errorMessageOf, pathOf, snapshot, textById, textOf } from "./support/pages.ts";
import { solidPng } from "./support/png.ts";
import { issueSetupToken } from "../src/domain/members/setup.ts";
import { createInvite } from "../src/domain/members/invites.ts";
import { inviteUrl, setupUrl } from "../src/urls.ts";

// Every login hashes a password with scrypt (memory-hard by design): slow machines need more than 5 s.
setDefaultTimeout(30_000);

let camp: TestCamp;
beforeEach(async () => {
  camp = await testCamp();
});
afterEach(() => camp.close());

const OPERATOR = { handle: "olga", displayName: "Olga", password: "a long operator password" };
const FRIEND = { handle: "sam", displayName: "Sam", password: "sam's long password" };

async function setUpOperator() {
  const token = (await issueSetupToken(camp.db))!;
  const operator = camp.client();
  const page = await operator.get(pathOf(setupUrl(camp.config.origin, token)));
  expect(page.status).toBe(200);
  const done = await operator.post(`/setup/${token}`, OPERATOR);
  expect(done.status).toBe(303);
  expect(done.headers.get("location")).toBe("/admin?notice=welcome");
  return { operator, token };
}

describe("the setup link", () => {
  test("makes the first person the operator, once", async () => {
    const { operator, token } = await setUpOperator();
    const admin = await operator.get("/admin?notice=welcome");
    expect(admin.status).toBe(200);
    expect(textOf(await admin.text())).toContain("You are the operator");

    const again = await camp.client().get(`/setup/${token}`);
    expect(again.status).toBe(410);
    expect(errorMessageOf(await again.text())).toContain("setup link has been used");

    const second = await camp.client().post(`/setup/${token}`, { ...OPERATOR, handle: "mallory" });
    expect(second.status).toBe(410);
    expect(textOf(await second.text())).toContain("already been used");
    const operators = await camp.db.selectFrom("members").select("account_id").where("role", "=", "operator").execute();
    expect(operators).toHaveLength(1);
    expect(await countRows(camp.db, "accounts")).toBe(1);
  });

  test("posted twice from the same browser: the second is refused with 410, whatever it holds", async () => {
    const { operator, token } = await setUpOperator();
    const before = await snapshot(camp.db);
    for (const fields of [OPERATOR, { ...OPERATOR, handle: "not a handle!" }]) {
      const again = await operator.post(`/setup/${token}`, fields);
      expect(again.status).toBe(410);
      expect(errorMessageOf(await again.text())).toContain("already been used");
    }
    expect(await snapshot(camp.db)).toEqual(before);
    expect((await operator.get("/admin")).status).toBe(200);
  });

  test("two people racing with the same setup link: exactly one becomes the operator", async () => {
    const token = (await issueSetupToken(camp.db))!;
    const [a, b] = [camp.client(), camp.client()];
    const responses = await Promise.all([a.post(`/setup/${token}`, OPERATOR), b.post(`/setup/${token}`, { ...OPERATOR, handle: "mallory" })]);
    expect(responses.map((r) => r.status).sort()).toEqual([303, 410]);
    expect(await countRows(camp.db, "members")).toBe(1);
  });

  test("is not issued again once an operator exists", async () => {
    await setUpOperator();
    expect(await issueSetupToken(camp.db)).toBeNull();
  });

  test("a made-up setup token is refused", async () => {
    await issueSetupToken(camp.db);
    const response = await camp.client().post("/setup/not-the-token", OPERATOR);
    expect(response.status).toBe(410);
    expect(await countRows(camp.db, "accounts")).toBe(0);
  });
});

describe("camp settings", () => {
  test("a support link that is not a web address, or an empty name, is refused with 422 and nothing saved", async () => {
    const { operator } = await setUpOperator();
    const base = { name: "Camp", description: "", rules: "", about: "", supportUrl: "" };
    for (const [fields, message] of [
      [{ ...base, supportUrl: "javascript:alert(1)" }, "must be a full web address"],
      [{ ...base, supportUrl: "example.org/dues" }, "must be a full web address"],
      [{ ...base, name: "   " }, "The camp needs a name."],
      [{ ...base, description: "x".repeat(501) }, "at most 500 characters"],
    ] as const) {
      const response = await operator.post("/admin", fields);
      expect(response.status).toBe(422);
      expect(errorMessageOf(await response.text())).toContain(message);
    }
    const settings = await camp.db.selectFrom("camp").select(["name", "support_url", "description"]).executeTakeFirstOrThrow();
    expect(settings).toEqual({ name: "Our camp", support_url: null, description: "" });
  });
});

describe("the whole story", () => {
  test("operator sets up the camp, invites a friend, the friend joins and fills in a profile", async () => {
    const { operator } = await setUpOperator();

    // Camp settings, shown on /about and the front page.
    const saved = await operator.post("/admin", {
      name: "Climbing Friends",
      description: "People who climb on Thursdays.",
      rules: "1. Be **kind**.",
      about: "We met at the *wall*.",
      supportUrl: "https://example.org/dues",
    });
    expect(saved.status).toBe(303);
    const about = await camp.client().get("/about");
    const aboutHtml = await about.text();
    expect(aboutHtml).toContain("<title>About Climbing Friends · Climbing Friends</title>");
    expect(aboutHtml).toContain("People who climb on Thursdays.");
    expect(aboutHtml).toContain("<strong>kind</strong>");
    expect(aboutHtml).toContain("<em>wall</em>");
    expect(aboutHtml).toContain('href="https://example.org/dues"');
    expect(textOf(await (await camp.client().get("/")).text())).toContain("People who climb on Thursdays.");

    // An invite made on the admin page.
    const created = await operator.post("/admin/invites", { note: "Sam from the wall", days: "7" });
    expect(created.status).toBe(201);
    const link = textById(await created.text(), "new-invite-link")!;
    expect(link).toStartWith(`${camp.config.origin}/join/`);
    const invitesPage = textOf(await (await operator.get("/admin/invites")).text());
    expect(invitesPage).toContain("Sam from the wall");
    expect(invitesPage).toContain("open until");

    // The friend joins with it.
    const friend = camp.client();
    const joinPage = await friend.get(pathOf(link));
    expect(joinPage.status).toBe(200);
    expect(textOf(await joinPage.text())).toContain("Join Climbing Friends");
    const joined = await friend.post(pathOf(link), FRIEND);
    expect(joined.status).toBe(303);
    expect(joined.headers.get("location")).toBe("/settings?notice=joined");
    expect(textOf(await (await friend.get("/settings?notice=joined")).text())).toContain("Welcome!");
    expect(textOf(await (await operator.get("/admin/invites")).text())).toContain("used by @sam");

    // Logs out: the session is gone on the server too.
    const sessionCookie = friend.cookies.get("kith_session")!;
    expect((await friend.post("/logout")).status).toBe(303);
    expect(friend.cookies.has("kith_session")).toBe(false);
    const stale = camp.client();
    stale.cookies.set("kith_session", sessionCookie);
    expect((await stale.get("/settings")).status).toBe(303);
    const away = await friend.get("/settings");
    expect(away.status).toBe(303);
    expect(away.headers.get("location")).toBe("/login?next=%2Fsettings");

    // Logs back in and lands where they were going.
    const loggedIn = await friend.post("/login?next=%2Fsettings", { handle: "Sam", password: FRIEND.password });
    expect(loggedIn.status).toBe(303);
    expect(loggedIn.headers.get("location")).toBe("/settings");

    // Edits the profile: markdown rendered, HTML sanitized.
    const profile = await friend.post("/settings/profile", {
      displayName: "Sam the Climber",
      bio: "I like **granite**.\n\n[me](javascript:alert(3))\n\n<script>alert(1)</script><img src=x onerror=alert(2)>",
    });
    expect(profile.status).toBe(303);
    const profileHtml = await (await friend.get("/@sam")).text();
    expect(profileHtml).toContain("Sam the Climber");
    expect(profileHtml).toContain("<strong>granite</strong>");
    expect(profileHtml).not.toContain("<script>alert");
    expect(profileHtml).not.toContain("onerror");
    expect(profileHtml).not.toMatch(/href="javascript/i);
    expect(profileHtml).toMatch(/<a rel="nofollow noopener noreferrer ugc">me<\/a>/);
    expect(profileHtml).toContain(`@sam@${camp.config.domain}`);

    // Uploads an avatar, served from /media with its real type.
    const png = solidPng(16, 16);
    const uploaded = await friend.post("/settings/avatar", { avatar: new File([png], "me.png", { type: "image/png" }) });
    expect(uploaded.status).toBe(303);
    const settingsHtml = await (await friend.get("/settings")).text();
    const avatarPath = settingsHtml.match(/src="(\/media\/[0-9a-f]{32}\.png)"/)?.[1];
    expect(avatarPath).toBeDefined();
    const media = await friend.get(avatarPath!);
    expect(media.status).toBe(200);
    expect(media.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await media.arrayBuffer())).toEqual(png);
    expect(readdirSync(camp.config.mediaDir)).toHaveLength(1);

    // The directory and the operator's checklist see it.
    expect(textOf(await (await operator.get("/members")).text())).toContain("Sam the Climber");
    const adminMembers = textOf(await (await operator.get("/admin/members")).text());
    expect(adminMembers).toContain("@sam");
    expect(adminMembers).toMatch(/✓ profile filled in/);
  });

  test("an invite made outside the web (as `kith invite` does) works the same", async () => {
    const invite = await createInvite(camp.db, { note: "by the command line", days: 3, createdBy: null });
    const friend = camp.client();
    const response = await friend.post(pathOf(inviteUrl(camp.config.origin, invite.token)), FRIEND);
    expect(response.status).toBe(303);
    expect(await countRows(camp.db, "members")).toBe(1);
    expect((await friend.get("/settings")).status).toBe(200);
  });
});
