/** A new camp's empty Home says what to do next; the operator is also shown how to invite a friend. */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { testCamp, type TestCamp } from "./support/camp.ts";
import { textOf } from "./support/pages.ts";
import { postAs } from "./support/posts.ts";

let camp: TestCamp;
let samId: number;
beforeAll(async () => {
  camp = await testCamp();
  await camp.addMember("olga", "operator");
  samId = await camp.addMember("sam");
});
afterAll(() => camp.close());

test("the operator's empty Home lists the next steps, with inviting a friend", async () => {
  const olga = await camp.loggedIn("olga");
  const html = await (await olga.get("/")).text();
  expect(textOf(html)).toContain("Your Home is quiet for now");
  for (const href of ["#compose-source", "/members", "/camp", "/admin/invites"]) expect(html).toContain(`href="${href}"`);
});

test("a member's lists the same steps without the invite, and it gives way to posts", async () => {
  const sam = await camp.loggedIn("sam");
  const empty = await (await sam.get("/")).text();
  expect(textOf(empty)).toContain("Write a first post");
  expect(empty).not.toContain('href="/admin/invites"');
  await postAs(camp, samId, { source: "hello camp" });
  const full = await (await sam.get("/")).text();
  expect(textOf(full)).not.toContain("Your Home is quiet for now");
  expect(textOf(full)).toContain("hello camp");
});
