/**
 * Members without a picture get their initials on a colour from their handle, drawn as SVG by the
 * camp itself: different people look different, the same person looks the same everywhere, and a
 * display name cannot break out of the SVG.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { colourOf, defaultAvatar, initialsOf } from "../views/components/defaultAvatar.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { postAs } from "./support/posts.ts";

describe("initials and colours", () => {
  test("initials come from the first two words of the name, else the handle", () => {
    expect(initialsOf("Ann Lee", "ann")).toBe("AL");
    expect(initialsOf("bob", "bob")).toBe("B");
    expect(initialsOf("", "cleo")).toBe("CL");
    expect(initialsOf("émile zola", "emile")).toBe("ÉZ");
    expect(initialsOf("🌻", "sunny")).toBe("SU");
  });

  test("a handle keeps its colour, and a handful of handles get several colours", () => {
    expect(colourOf("ann")).toBe(colourOf("ANN"));
    const colours = new Set(["ann", "bob", "cleo", "dev", "emil", "fay", "gus", "hana"].map(colourOf));
    expect(colours.size).toBeGreaterThanOrEqual(4);
  });

  test("a name with markup gives letters only, never markup inside the SVG", () => {
    const svg = String(defaultAvatar("<b>x</b> &y", "x", 40));
    expect(svg).not.toContain("<b>");
    expect(svg).toContain(">BY</text>");
  });
});

describe("pages", () => {
  let camp: TestCamp;
  beforeAll(async () => {
    camp = await testCamp();
    const ann = await camp.addMember("ann");
    await camp.addMember("bob");
    await postAs(camp, ann, { source: "hello" });
  });
  afterAll(() => camp.close());

  test("the stream, the directory, a profile and settings draw initials instead of a grey box", async () => {
    const client = await camp.loggedIn("bob");
    for (const path of ["/camp", "/members", "/@ann", "/settings"]) {
      const html = await (await client.get(path)).text();
      expect(html, path).toMatch(/<svg class="avatar"[^>]*>.*?>A<\/text><\/svg>|<svg class="avatar"[^>]*>.*?>B<\/text><\/svg>/);
      expect(html, path).not.toContain("avatar placeholder");
    }
  });
});
