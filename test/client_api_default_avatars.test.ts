/**
 * Apps get issue 13's default avatar for someone without a picture: the account's avatar URL is an
 * SVG with the same initials and colour as the pages show, the camp's thumbnail is its own, and an
 * account that is gone has none. A member who uploads a picture gets that instead.
 */
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { tokenFor } from "./support/clientApi.ts";
import { solidPng } from "./support/png.ts";

setDefaultTimeout(30_000);

let camp: TestCamp;
let token: string;
let adaId: number;

beforeAll(async () => {
  camp = await testCamp();
  adaId = await camp.addMember("ada");
  await camp.addMember("bo");
  await camp.db.updateTable("accounts").set({ display_name: "Ada Lovelace" }).where("id", "=", adaId).execute();
  token = await tokenFor(camp, "bo");
}, 60_000);
afterAll(() => camp.close());

const get = (path: string, headers: Record<string, string> = {}) => camp.client().request(path, { headers });
const bearer = () => ({ authorization: `Bearer ${token}` });

test("an account without a picture points to its default avatar: the pages' initials and colour as an SVG file", async () => {
  const account = await (await get(`/api/v1/accounts/${adaId}`, bearer())).json() as { avatar: string; avatar_static: string };
  expect(account.avatar).toBe(`${camp.config.origin}/api/kith/avatars/${adaId}.svg`);
  expect(account.avatar_static).toBe(account.avatar);
  const image = await get(new URL(account.avatar).pathname);
  expect(image.status).toBe(200);
  expect(image.headers.get("content-type")).toBe("image/svg+xml");
  const svg = await image.text();
  expect(svg).toStartWith('<svg xmlns="http://www.w3.org/2000/svg"');
  // The profile page draws the same avatar inline.
  const page = await (await (await camp.loggedIn("bo")).get("/@ada")).text();
  const inline = /<svg class="avatar"[^>]*>\s*<rect[^>]*fill="(#[0-9a-f]{6})"\/>\s*<text[^>]*>([^<]+)<\/text>/.exec(page);
  expect(inline).not.toBeNull();
  expect(inline![2]).toBe("AL");
  expect(svg).toContain(`fill="${inline![1]}"`);
  expect(svg).toContain(">AL</text>");
});

test("the camp's thumbnail is its own default avatar; an account that is gone has none", async () => {
  const instance = await (await get("/api/v2/instance")).json() as { thumbnail: { url: string } };
  expect(instance.thumbnail.url).toBe(`${camp.config.origin}/api/kith/avatars/camp.svg`);
  expect((await get("/api/kith/avatars/camp.svg")).headers.get("content-type")).toBe("image/svg+xml");
  expect((await get("/api/kith/avatars/999999.svg")).status).toBe(404);
  const goneId = await camp.addMember("gone");
  await camp.db.updateTable("accounts").set({ suspended_at: Date.now() }).where("id", "=", goneId).execute();
  expect((await get(`/api/kith/avatars/${goneId}.svg`)).status).toBe(404);
});

test("a member who uploads a picture gets it instead", async () => {
  const form = new FormData();
  form.set("avatar", new Blob([solidPng(8, 8)], { type: "image/png" }), "me.png");
  const updated = await camp.client().request("/api/v1/accounts/update_credentials", { method: "PATCH", headers: bearer(), body: form });
  expect(updated.status).toBe(200);
  const me = await updated.json() as { avatar: string };
  expect(me.avatar).not.toContain("/api/kith/avatars/");
  expect((await get(new URL(me.avatar).pathname)).headers.get("content-type")).toBe("image/png");
});
