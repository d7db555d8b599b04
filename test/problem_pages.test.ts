/**
 * When a request cannot be served, the visitor still gets a clear message: inside the layout when
 * the page around it can be drawn, as plain text when even that fails, always with a log line.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { sql } from "kysely";
import { MAX_BODY_BYTES } from "../src/app.ts";
import { testCamp, type TestCamp } from "./support/camp.ts";

let camp: TestCamp;
beforeEach(async () => {
  camp = await testCamp();
});
afterEach(() => camp.close());

test("a request body over the whole-request limit gets a 413 page in the layout, and nothing is stored", async () => {
  await camp.addMember("sam");
  const sam = await camp.loggedIn("sam");
  const huge = new File([new Uint8Array(MAX_BODY_BYTES + 1)], "huge.png", { type: "image/png" });
  const response = await sam.post("/settings/avatar", { avatar: huge });
  expect(response.status).toBe(413);
  const page = await response.text();
  expect(page).toStartWith("<!doctype html>");
  expect(page).toContain("<h1>Upload too large</h1>");
  expect(page).toContain("the limit is 36 MB in all");
  expect((await camp.db.selectFrom("media").select("id").execute()).length).toBe(0);
});

test("a fault inside a page gives a 500 page in the layout naming the request id, and logs the error", async () => {
  await sql`drop table invites`.execute(camp.db);
  const response = await camp.client().get("/join/sometoken");
  expect(response.status).toBe(500);
  const requestId = response.headers.get("x-request-id")!;
  const page = await response.text();
  expect(page).toContain("<h1>Something went wrong</h1>");
  expect(page).toContain(requestId);
  expect(camp.logs.some((line) => line.includes('"request failed"') && line.includes(requestId) && line.includes("invites"))).toBe(true);
});

test("when even the layout cannot be drawn, the 500 is plain text with the request id", async () => {
  await sql`drop table camp`.execute(camp.db);
  const response = await camp.client().get("/about");
  expect(response.status).toBe(500);
  expect(response.headers.get("content-type")).toStartWith("text/plain");
  expect(await response.text()).toContain(response.headers.get("x-request-id")!);
});
