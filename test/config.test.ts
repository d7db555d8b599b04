/** Configuration: defaults, flags over the environment, the public origin, and clear refusals. */
import { describe, expect, test } from "bun:test";
import { resolve } from "node:path";
import { ConfigError, loadConfig } from "../src/config.ts";

describe("defaults and precedence", () => {
  test("with nothing set: ./data, port 8080, loopback, localhost:8080 over plain http", () => {
    const config = loadConfig({}, {});
    expect(config.dataDir).toBe(resolve("./data"));
    expect(config.dbFile).toBe(resolve("./data/kith.sqlite"));
    expect(config.mediaDir).toBe(resolve("./data/media"));
    expect(config.port).toBe(8080);
    expect(config.host).toBe("127.0.0.1");
    expect(config.domain).toBe("localhost:8080");
    expect(config.origin).toBe("http://localhost:8080");
    expect(config.secure).toBe(false);
    expect(config.allowPrivateNetwork).toBe(false);
    expect(config.trustProxy).toBe(false);
    expect(config.logLevel).toBe("info");
  });

  test("the environment is read, and flags win over it", () => {
    const env = { KITH_DATA: "/srv/kith", KITH_PORT: "9000", KITH_HOST: "0.0.0.0", KITH_DOMAIN: "Camp.Example.org", KITH_LOG_LEVEL: "warn" };
    const fromEnv = loadConfig({}, env);
    expect([fromEnv.dataDir, fromEnv.port, fromEnv.host, fromEnv.domain, fromEnv.logLevel]).toEqual(["/srv/kith", 9000, "0.0.0.0", "camp.example.org", "warn"]);
    const fromFlags = loadConfig({ data: "/tmp/other", port: "9001", domain: "other.example" }, env);
    expect([fromFlags.dataDir, fromFlags.port, fromFlags.domain]).toEqual(["/tmp/other", 9001, "other.example"]);
  });

  test("the default domain follows the port", () => {
    expect(loadConfig({ port: "8123" }, {}).origin).toBe("http://localhost:8123");
  });

  test("a public domain is served over https with Secure cookies; loopback names are not", () => {
    expect(loadConfig({ domain: "camp.example.org" }, {})).toMatchObject({ origin: "https://camp.example.org", secure: true });
    expect(loadConfig({ domain: "camp.example.org:8443" }, {}).origin).toBe("https://camp.example.org:8443");
    for (const local of ["localhost:3000", "127.0.0.1:4000", "127.3.4.5", "kith.localhost"]) {
      expect(loadConfig({ domain: local }, {})).toMatchObject({ origin: `http://${local}`, secure: false });
    }
  });

  test("the test-only and proxy switches are off unless set to exactly 1", () => {
    expect(loadConfig({}, { KITH_UNSAFE_ALLOW_PRIVATE_NETWORK: "1", KITH_TRUST_PROXY: "1" })).toMatchObject({ allowPrivateNetwork: true, trustProxy: true });
    expect(loadConfig({}, { KITH_UNSAFE_ALLOW_PRIVATE_NETWORK: "yes", KITH_TRUST_PROXY: "true" })).toMatchObject({ allowPrivateNetwork: false, trustProxy: false });
  });
});

describe("bad values are refused with a message that says what to do", () => {
  const cases: [string, Parameters<typeof loadConfig>[0], Record<string, string>, RegExp][] = [
    ["port zero", { port: "0" }, {}, /port must be a number from 1 to 65535, not "0"/],
    ["port too big", {}, { KITH_PORT: "65536" }, /from 1 to 65535/],
    ["port with letters", { port: "80a" }, {}, /not "80a"/],
    ["port negative", { port: "-1" }, {}, /not "-1"/],
    ["domain with scheme", { domain: "https://camp.example.org" }, {}, /is not a host name .*without https:\/\//],
    ["domain with path", { domain: "camp.example.org/x" }, {}, /is not a host name/],
    ["domain with space", {}, { KITH_DOMAIN: "camp example" }, /is not a host name/],
    ["domain port out of range", { domain: "camp.example.org:70000" }, {}, /is not a host name/],
    ["host with space", { host: "0.0.0.0 ; rm" }, {}, /is not an address to listen on/],
    ["log level", { logLevel: "verbose" }, {}, /KITH_LOG_LEVEL must be one of debug, info, warn, error/],
  ];
  for (const [name, flags, env, message] of cases) {
    test(name, () => {
      expect(() => loadConfig(flags, env)).toThrow(ConfigError);
      expect(() => loadConfig(flags, env)).toThrow(message);
    });
  }
});
