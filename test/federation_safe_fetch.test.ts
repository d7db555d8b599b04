/** The guarded client's address rules, scheme rule and size limit, without leaving loopback. */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { assertPublicUrl, FetchRefused, isPublicAddress, safeFetch } from "../src/federation/safeFetch.ts";

let big: ReturnType<typeof Bun.serve>;
beforeAll(() => {
  big = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("x".repeat(64 * 1024)) });
});
afterAll(() => big.stop(true));

test("only globally routable unicast addresses count as public", () => {
  const refused = [
    "127.0.0.1", "127.255.0.9", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.9.9", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "0.0.0.0", "224.0.0.1", "255.255.255.255", "192.0.2.10", "198.18.0.1", "::", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a00:1", "2002:a00:1::", "2001:db8::1", "not an address",
  ];
  for (const address of refused) expect(isPublicAddress(address), address).toBe(false);
  for (const address of ["8.8.8.8", "1.1.1.1", "172.32.0.1", "2001:4860:4860::8888", "2a00:1450::1"]) expect(isPublicAddress(address), address).toBe(true);
});

test("with the switch off, http and private hosts are refused before any connection; with it on they pass", async () => {
  const off = { allowPrivateNetwork: false };
  await expect(assertPublicUrl(off, "http://example.org/")).rejects.toThrow(FetchRefused);
  await expect(assertPublicUrl(off, "https://10.1.2.3/")).rejects.toThrow(/private or reserved/);
  await expect(assertPublicUrl(off, "https://[::1]/")).rejects.toThrow(/private or reserved/);
  await expect(assertPublicUrl(off, "https://localhost/")).rejects.toThrow(/private or reserved/);
  await expect(assertPublicUrl(off, "https://user:pw@example.org/")).rejects.toThrow(/credentials/);
  await expect(assertPublicUrl(off, "ftp://example.org/")).rejects.toThrow(/only https/);
  await assertPublicUrl({ allowPrivateNetwork: true }, "http://127.0.0.1:1/");
});

test("an answer larger than the limit is refused", async () => {
  const config = { allowPrivateNetwork: true, fetchTimeoutMs: 2000 };
  await expect(safeFetch(config, `http://127.0.0.1:${big.port}/`, { maxBytes: 1024 })).rejects.toThrow(/larger than 1024 bytes/);
  expect((await safeFetch(config, `http://127.0.0.1:${big.port}/`)).text.length).toBe(64 * 1024);
});
