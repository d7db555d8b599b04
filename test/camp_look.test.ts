/**
 * The camp's look, set by the operator in Admin: an accent colour (a hex value, shown in a shade that
 * stays readable in light and dark) and a logo (through the same image checks as avatars). Bad input
 * is refused with a message and writes nothing; members may not change it.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readdirSync } from "node:fs";
import { accentShades, contrast, parseAccent } from "../src/domain/camp/accent.ts";
import { Refusal } from "../src/domain/errors.ts";
import { testCamp, type TestCamp, type TestClient } from "./support/camp.ts";
import { errorMessageOf } from "./support/pages.ts";
import { solidPng } from "./support/png.ts";

setDefaultTimeout(30_000);

describe("accent colours", () => {
  test("only #rrggbb is taken; empty means Kith's own", () => {
    expect(parseAccent(" #AA3355 ")).toBe("#aa3355");
    expect(parseAccent("")).toBeNull();
    for (const bad of ["red", "#abc", "#12345g", "aa3355", "#aa3355; color: red"]) expect(() => parseAccent(bad)).toThrow(Refusal);
  });

  test("every shade reads at 4.5:1 on its scheme's card, page and soft tint, whatever the choice", () => {
    for (const hex of ["#ffee00", "#ffffff", "#000000", "#2f5d50", "#ff69b4", "#0000ff"]) {
      const { light, dark } = accentShades(hex);
      for (const bg of ["#ffffff", "#f6f3ed", light.soft]) expect(contrast(light.accent, bg), `${hex} light on ${bg}`).toBeGreaterThanOrEqual(4.5);
      for (const bg of ["#211f1d", "#161514", dark.soft]) expect(contrast(dark.accent, bg), `${hex} dark on ${bg}`).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe("the Admin form", () => {
  let camp: TestCamp;
  let operator: TestClient;
  const campRow = () => camp.db.selectFrom("camp").select(["accent_color", "logo_media_id"]).executeTakeFirstOrThrow();
  const mediaFiles = () => (existsSync(camp.config.mediaDir) ? readdirSync(camp.config.mediaDir) : []);
  beforeAll(async () => {
    camp = await testCamp();
    await camp.addMember("olga", "operator");
    await camp.addMember("sam");
    operator = await camp.loggedIn("olga");
  });
  afterAll(() => camp.close());

  test("a colour that is not hex is refused with a message, and nothing is saved", async () => {
    const response = await operator.post("/admin/look", { accent: "tomato", logo: new File([solidPng()], "logo.png", { type: "image/png" }) });
    expect(response.status).toBe(422);
    expect(errorMessageOf(await response.text())).toContain("hex colour such as #2f5d50");
    expect(await campRow()).toEqual({ accent_color: null, logo_media_id: null });
    expect(mediaFiles()).toEqual([]);
  });

  test("a logo that is not an image is refused, and no file is left", async () => {
    const response = await operator.post("/admin/look", { accent: "#aa3355", logo: new File([new TextEncoder().encode("<svg onload=alert(1)>")], "logo.png", { type: "image/png" }) });
    expect(response.status).toBe(422);
    expect(errorMessageOf(await response.text())).toContain("not a PNG, JPEG, GIF or WebP image");
    expect(await campRow()).toEqual({ accent_color: null, logo_media_id: null });
    expect(mediaFiles()).toEqual([]);
  });

  test("a colour and a logo are saved and shown on every page, to members too", async () => {
    const saved = await operator.post("/admin/look", { accent: "#AA3355", logo: new File([solidPng(16, 16)], "logo.png", { type: "image/png" }) });
    expect(saved.status).toBe(303);
    const row = await campRow();
    expect(row.accent_color).toBe("#aa3355");
    expect(row.logo_media_id).not.toBeNull();
    const sam = await camp.loggedIn("sam");
    const page = await (await sam.get("/camp")).text();
    const { light, dark } = accentShades("#aa3355");
    expect(page).toContain(`--accent:${light.accent}`);
    expect(page).toContain(`@media (prefers-color-scheme: dark){:root{--accent:${dark.accent}`);
    const logo = page.match(/<img class="camp-logo" src="(\/media\/[0-9a-f]+\.png)"/)?.[1];
    expect(logo).toBeDefined();
    expect((await sam.get(logo!)).headers.get("content-type")).toBe("image/png");
  });

  test("the logo can be removed and the colour reset", async () => {
    expect((await operator.post("/admin/look", { accent: "", removeLogo: "yes" }, { multipart: true })).status).toBe(303);
    expect(await campRow()).toEqual({ accent_color: null, logo_media_id: null });
    expect(await (await operator.get("/camp")).text()).not.toContain("camp-logo");
  });

  test("a member may not change the look", async () => {
    const sam = await camp.loggedIn("sam");
    expect((await sam.post("/admin/look", { accent: "#000000" })).status).toBe(403);
    expect((await campRow()).accent_color).toBeNull();
  });
});
