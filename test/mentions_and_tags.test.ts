/**
 * Finding and linking mentions and hashtags: never inside code, never inside an e-mail address,
 * `#1` is no tag, tags are case-folded, `@handle@our.domain` is a local mention, and a mention of
 * someone unknown stays plain text.
 */
import { describe, expect, test } from "bun:test";
import { findReferences } from "../src/domain/text/references.ts";
import { renderPostHtml } from "../src/domain/text/postText.ts";

const DOMAIN = "camp.example";

describe("finding", () => {
  test("local and remote mentions, each once, in the order written", () => {
    expect(findReferences("@ann hi @Bob@far.example, and @ann again, and @cat@camp.example", DOMAIN)).toEqual({
      localHandles: ["ann", "cat"], remote: ["bob@far.example"], tags: [],
    });
  });

  test("e-mail addresses, code spans and code blocks hold no mentions or tags", () => {
    expect(findReferences("write to ann@camp.example `@bob #x`\n\n```\n@cat #y\n```\n    @dan #z", DOMAIN)).toEqual({ localHandles: [], remote: [], tags: [] });
  });

  test("tags need a letter, are folded to lower case, and may be any script", () => {
    expect(findReferences("#1 #Garden #garden #café #日本 a#b (#paren)", DOMAIN).tags).toEqual(["garden", "café", "日本", "paren"]);
  });
});

describe("linking", () => {
  const links = { local: new Map([["ann", "/@ann"]]), remote: new Map([["bob@far.example", "https://far.example/@bob"]]) };

  test("known people become links, unknown ones stay text, tags link to their page", () => {
    const html = renderPostHtml("@ann @zed @bob@far.example @yan@nowhere.example #Garden", links, DOMAIN);
    expect(html).toContain('<a href="/@ann" class="u-url mention"');
    expect(html).toContain('<a href="https://far.example/@bob" class="u-url mention"');
    expect(html).toContain("@zed");
    expect(html).not.toContain('href="/@zed"');
    expect(html).toContain("@yan@nowhere.example");
    expect(html).toContain('<a href="/tags/garden" class="mention hashtag"');
  });

  test("a mention cannot smuggle markup: the text is escaped and the result still passes the sanitizer", () => {
    const html = renderPostHtml('@ann"><script>alert(1)</script> #tag"onmouseover=alert(1)', links, DOMAIN);
    expect(html).not.toContain("<script");
    expect(html).not.toMatch(/<[^>]+onmouseover=/i);
  });
});
