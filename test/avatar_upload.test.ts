/**
 * Avatar uploads are checked by their bytes and size: a real image is stored and served with its
 * real type; anything too large or not an image is refused with no media row and no file left behind.
 */
import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { testCamp, type TestClient, type TestCamp } from "./support/camp.ts";
import { errorMessageOf, snapshot } from "./support/pages.ts";
import { pngOfSize, solidPng } from "./support/png.ts";
import { MAX_AVATAR_BYTES, setAvatar } from "../src/domain/media/store.ts";

// Every login hashes a password with scrypt (memory-hard by design): slow machines need more than 5 s.
setDefaultTimeout(30_000);

let camp: TestCamp;
let sam: TestClient;
beforeEach(async () => {
  camp = await testCamp();
  await camp.addMember("sam");
  sam = await camp.loggedIn("sam");
});
afterEach(() => camp.close());

const filesInMedia = () => (existsSync(camp.config.mediaDir) ? readdirSync(camp.config.mediaDir) : []);
const upload = (bytes: Uint8Array<ArrayBuffer>, name = "me.png", type = "image/png") =>
  sam.post("/settings/avatar", { avatar: new File([bytes], name, { type }) });

async function expectRefused(response: Response, status: number, message: string, before: Record<string, number>) {
  expect(response.status).toBe(status);
  expect(errorMessageOf(await response.text())).toContain(message);
  expect(await snapshot(camp.db)).toEqual(before);
  expect(filesInMedia()).toEqual([]);
  const account = await camp.db.selectFrom("accounts").select("avatar_media_id").where("handle", "=", "sam").executeTakeFirstOrThrow();
  expect(account.avatar_media_id).toBeNull();
}

describe("refused uploads", () => {
  test("an image over 2 MB gets 413", async () => {
    const before = await snapshot(camp.db);
    const big = pngOfSize(MAX_AVATAR_BYTES + 1);
    await expectRefused(await upload(big), 413, "Images can be at most 2 MB", before);
  });

  test("a file that is not an image gets 422, whatever its name and claimed type", async () => {
    const before = await snapshot(camp.db);
    const text = new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>");
    await expectRefused(await upload(text, "me.png", "image/png"), 422, "not a PNG, JPEG, GIF or WebP image", before);
    await expectRefused(await upload(text, "me.svg", "image/svg+xml"), 422, "not a PNG, JPEG, GIF or WebP image", before);
  });

  test("no file at all gets 422", async () => {
    const before = await snapshot(camp.db);
    await expectRefused(await sam.post("/settings/avatar", {}, { multipart: true }), 422, "Choose an image file", before);
    await expectRefused(await upload(new Uint8Array(), "empty.png"), 422, "Choose an image file", before);
  });

  test("if recording fails after the file is written, the file is removed", async () => {
    await expect(setAvatar(camp.db, camp.config.mediaDir, 999_999, solidPng())).rejects.toThrow();
    expect(filesInMedia()).toEqual([]);
    expect((await snapshot(camp.db)).media).toBe(0);
  });

  test("a visitor who is not logged in cannot upload", async () => {
    const visitor = camp.client();
    const response = await visitor.post("/settings/avatar", { avatar: new File([solidPng()], "me.png") });
    expect(response.status).toBe(303);
    expect(filesInMedia()).toEqual([]);
  });
});

describe("accepted uploads", () => {
  test("the stored type comes from the bytes, not from the name or claimed type", async () => {
    const gif = new Uint8Array([...new TextEncoder().encode("GIF89a"), 1, 0, 1, 0, 0, 0, 0, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x44, 0x01, 0, 0x3b]);
    expect((await upload(gif, "me.png", "image/png")).status).toBe(303);
    const media = await camp.db.selectFrom("media").selectAll().executeTakeFirstOrThrow();
    expect(media.mime).toBe("image/gif");
    expect(media.storage_key).toMatch(/^[0-9a-f]{32}\.gif$/);
    const served = await sam.get(`/media/${media.storage_key}`);
    expect(served.headers.get("content-type")).toBe("image/gif");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(gif);
  });

  test("a new avatar is recorded as an account update, so followers on other servers hear of it", async () => {
    expect((await upload(solidPng())).status).toBe(303);
    const events = await camp.db.selectFrom("jobs").select("payload").where("kind", "=", "event").execute();
    expect(events.map((e) => JSON.parse(e.payload).type)).toContain("account.updated");
  });

  test("a new avatar replaces the old one on the profile", async () => {
    expect((await upload(solidPng(4, 4, [255, 0, 0]))).status).toBe(303);
    expect((await upload(solidPng(4, 4, [0, 0, 255]))).status).toBe(303);
    const rows = await camp.db.selectFrom("media").select(["id", "storage_key"]).orderBy("id").execute();
    expect(rows).toHaveLength(2);
    const account = await camp.db.selectFrom("accounts").select("avatar_media_id").where("handle", "=", "sam").executeTakeFirstOrThrow();
    expect(account.avatar_media_id).toBe(rows[1]!.id);
    expect(await (await sam.get("/@sam")).text()).toContain(`src="/media/${rows[1]!.storage_key}"`);
  });

  test("a media name that was never stored is 404", async () => {
    expect((await sam.get(`/media/${"0".repeat(32)}.png`)).status).toBe(404);
  });

  test("a suspended member's avatar is no longer served, and comes back on reinstatement", async () => {
    expect((await upload(solidPng())).status).toBe(303);
    const { storage_key } = await camp.db.selectFrom("media").select("storage_key").executeTakeFirstOrThrow();
    const samId = (await camp.db.selectFrom("accounts").select("id").where("handle", "=", "sam").executeTakeFirstOrThrow()).id;
    await camp.addMember("olive", "operator");
    const operator = await camp.loggedIn("olive");
    expect((await operator.post(`/admin/members/${samId}/suspend`)).status).toBe(303);
    expect((await operator.get(`/media/${storage_key}`)).status).toBe(404);
    expect((await operator.post(`/admin/members/${samId}/reinstate`)).status).toBe(303);
    expect((await operator.get(`/media/${storage_key}`)).status).toBe(200);
  });

  test("a recorded file missing from the media folder is 404 with a log line, not a crash", async () => {
    expect((await upload(solidPng())).status).toBe(303);
    const { storage_key } = await camp.db.selectFrom("media").select("storage_key").executeTakeFirstOrThrow();
    rmSync(join(camp.config.mediaDir, storage_key!));
    expect((await sam.get(`/media/${storage_key}`)).status).toBe(404);
    expect(camp.logs.some((line) => line.includes("media: file missing"))).toBe(true);
  });
});
