/**
 * `install.sh --dry-run --domain ...` shows the files a server install writes (the hardened unit,
 * the Caddyfile, the backup timer) and the commands it runs, and does neither. Bad input to
 * install.sh is refused with a message and a non-zero exit.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO, tempDir } from "./support/kith.ts";

/** Commands a dry run must never run; each is replaced by a stand-in that records its use. */
const GUARDED = ["apt-get", "npm", "node", "useradd", "install", "systemctl", "runuser", "journalctl", "mv", "cp", "chmod", "mkdir", "kill"];

interface InstallRun {
  code: number;
  stdout: string;
  stderr: string;
  /** What the stand-ins recorded: commands that really ran. */
  ran: string;
}

let shims: string;
let ranLog: string;

beforeAll(() => {
  shims = tempDir("kith-shims-");
  ranLog = join(shims, "ran.log");
  writeFileSync(ranLog, "");
  // The refusal-without-root test runs the script as nobody, who must still be able to record.
  chmodSync(shims, 0o755);
  chmodSync(ranLog, 0o666);
  for (const name of GUARDED) {
    writeFileSync(join(shims, name), `#!/bin/sh\necho "${name} $*" >> "${ranLog}"\n`);
    chmodSync(join(shims, name), 0o755);
  }
});

function install(args: string[], env: Record<string, string> = {}, asUser?: string): InstallRun {
  writeFileSync(ranLog, "");
  const script = join(REPO, "install.sh");
  const command = asUser ? ["setpriv", `--reuid=${asUser}`, `--regid=${asUser}`, "--clear-groups", "bash", script, ...args] : ["bash", script, ...args];
  const child = Bun.spawnSync(command, { cwd: REPO, env: { PATH: `${shims}:${process.env.PATH}`, HOME: process.env.HOME ?? "/tmp", ...env } });
  return { code: child.exitCode, stdout: child.stdout.toString(), stderr: child.stderr.toString(), ran: readFileSync(ranLog, "utf8") };
}

/** The files a dry run says it would write: path → content. */
function writtenFiles(stdout: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const m of stdout.matchAll(/^would write: (\S+) \(mode \d+\)\n([\s\S]*?)\n--- end of \1 ---$/gm)) files.set(m[1]!, m[2]!);
  return files;
}

/** The settings of one unit section, as systemd reads them (key → values, in order). */
function section(unit: string, name: string): Map<string, string[]> {
  const body = unit.split(/^\[/m).find((part) => part.startsWith(`${name}]`)) ?? "";
  const settings = new Map<string, string[]>();
  for (const line of body.split("\n").slice(1)) {
    const m = line.match(/^([A-Za-z]+)=(.*)$/);
    if (m) settings.set(m[1]!, [...(settings.get(m[1]!) ?? []), m[2]!]);
  }
  return settings;
}

describe("install.sh --dry-run --domain camp.example.org", () => {
  let run: InstallRun;
  let files: Map<string, string>;
  beforeAll(() => {
    run = install(["--dry-run", "--domain", "camp.example.org", "--keep-backups", "7"]);
    files = writtenFiles(run.stdout);
  });

  test("writes nothing and runs nothing, but lists every step", () => {
    expect(run.code).toBe(0);
    expect(run.ran).toBe("");
    expect([...files.keys()].sort()).toEqual([
      "/etc/caddy/Caddyfile",
      "/etc/kith/kith.env",
      "/etc/systemd/system/kith-backup.service",
      "/etc/systemd/system/kith-backup.timer",
      "/etc/systemd/system/kith-verify.service",
      "/etc/systemd/system/kith-verify.timer",
      "/etc/systemd/system/kith.service",
    ]);
    for (const step of ["apt-get install -y -q caddy", "npm ci --omit=dev", "deploy/build.sh", "systemctl enable --now kith-backup.timer kith-verify.timer", "systemctl restart kith.service"]) {
      expect(run.stdout).toContain(step);
    }
    expect(run.stdout).toMatch(/^would run: install -m 0755 \S+\/dist\/kith \/usr\/local\/bin\/kith\.new$/m);
  });

  test("the unit runs the binary as the kith user, hardened, writing only /var/lib/kith", () => {
    const service = section(files.get("/etc/systemd/system/kith.service")!, "Service");
    expect(service.get("User")).toEqual(["kith"]);
    expect(service.get("ExecStart")).toEqual(["/usr/local/bin/kith serve"]);
    expect(service.get("EnvironmentFile")).toEqual(["/etc/kith/kith.env"]);
    expect(service.get("KillSignal")).toEqual(["SIGTERM"]);
    for (const [key, value] of Object.entries({
      NoNewPrivileges: "yes",
      ProtectSystem: "strict",
      ProtectHome: "yes",
      PrivateTmp: "yes",
      PrivateDevices: "yes",
      RestrictSUIDSGID: "yes",
      CapabilityBoundingSet: "",
    })) {
      expect(service.get(key)).toEqual([value]);
    }
    expect(service.get("ReadWritePaths")).toEqual(["/var/lib/kith"]);
    expect(section(files.get("/etc/systemd/system/kith.service")!, "Install").get("WantedBy")).toEqual(["multi-user.target"]);
  });

  test("the service is told its domain and that it sits behind a proxy on loopback", () => {
    // Every line is a setting: operators run `env $(cat /etc/kith/kith.env) kith ...`.
    const env = Object.fromEntries(files.get("/etc/kith/kith.env")!.split("\n").map((l) => l.split("=")));
    expect(env).toEqual({ KITH_DATA: "/var/lib/kith", KITH_DOMAIN: "camp.example.org", KITH_HOST: "127.0.0.1", KITH_PORT: "8080", KITH_TRUST_PROXY: "1" });
  });

  test("Caddy serves the domain over HTTPS and proxies to the camp", () => {
    const caddyfile = files.get("/etc/caddy/Caddyfile")!;
    const site = caddyfile.split("\n").filter((l) => !l.startsWith("#")).join("\n").trim();
    expect(site).toMatch(/^camp\.example\.org \{\n[\s\S]*\treverse_proxy 127\.0\.0\.1:8080\n\}$/);
  });

  test("a daily timer runs a hardened backup that keeps the newest N", () => {
    const timer = section(files.get("/etc/systemd/system/kith-backup.timer")!, "Timer");
    expect(timer.get("OnCalendar")).toEqual(["daily"]);
    expect(timer.get("Persistent")).toEqual(["true"]);
    const backup = section(files.get("/etc/systemd/system/kith-backup.service")!, "Service");
    expect(backup.get("ExecStart")).toEqual(["/usr/local/bin/kith backup --keep 7 /var/lib/kith/backups/"]);
    expect(backup.get("User")).toEqual(["kith"]);
    expect(backup.get("ProtectSystem")).toEqual(["strict"]);
    expect(backup.get("ReadWritePaths")).toEqual(["/var/lib/kith"]);
  });

  test("a weekly timer runs the restore drill on the newest local backup", () => {
    expect(section(files.get("/etc/systemd/system/kith-verify.timer")!, "Timer").get("OnCalendar")).toEqual(["weekly"]);
    const verify = section(files.get("/etc/systemd/system/kith-verify.service")!, "Service");
    expect(verify.get("ExecStart")).toEqual(["/usr/local/bin/kith backup --verify /var/lib/kith/backups/"]);
    expect(verify.get("User")).toEqual(["kith"]);
    expect(verify.get("ReadWritePaths")).toEqual(["/var/lib/kith"]);
  });

  test("keeps 14 backups unless told otherwise", () => {
    const plain = writtenFiles(install(["--dry-run", "--domain", "camp.example.org"]).stdout);
    expect(plain.get("/etc/systemd/system/kith-backup.service")).toContain("backup --keep 14 /var/lib/kith/backups/");
  });
});

describe("install.sh --dry-run --domain camp.example.org --offsite b2:camp-bucket/kith", () => {
  let run: InstallRun;
  let files: Map<string, string>;
  beforeAll(() => {
    run = install(["--dry-run", "--domain", "camp.example.org", "--offsite", "b2:camp-bucket/kith/", "--keep-backups", "10"]);
    files = writtenFiles(run.stdout);
  });

  test("installs rclone, makes a passphrase file and an rclone config only kith reads, and runs nothing", () => {
    expect(run.code).toBe(0);
    expect(run.ran).toBe("");
    expect(run.stdout).toContain("apt-get install -y -q caddy ca-certificates rclone");
    expect(run.stdout).toContain("would create: /etc/kith/backup-passphrase (a new random passphrase, mode 0640, owner root:kith)");
    expect(run.stdout).toContain("would run: install -o kith -g kith -m 0600 /dev/null /var/lib/kith/rclone.conf");
  });

  test("the daily backup also goes off-site, keeping as many there, and the weekly drill checks the off-site copy", () => {
    const backup = section(files.get("/etc/systemd/system/kith-backup.service")!, "Service");
    expect(backup.get("ExecStart")).toEqual(["/usr/local/bin/kith backup --keep 10 /var/lib/kith/backups/ --to b2:camp-bucket/kith"]);
    const verify = section(files.get("/etc/systemd/system/kith-verify.service")!, "Service");
    expect(verify.get("ExecStart")).toEqual(["/usr/local/bin/kith backup --verify b2:camp-bucket/kith"]);
  });

  test("kith.env tells kith (the server's /readyz and doctor too) where the copies go and where the passphrase is", () => {
    const env = Object.fromEntries(files.get("/etc/kith/kith.env")!.split("\n").map((l) => l.split("=")));
    expect(env).toMatchObject({
      KITH_OFFSITE: "b2:camp-bucket/kith", KITH_BACKUP_PASSPHRASE_FILE: "/etc/kith/backup-passphrase", RCLONE_CONFIG: "/var/lib/kith/rclone.conf",
    });
    expect(files.get("/etc/kith/kith.env")).not.toMatch(/PASSPHRASE=/);
  });

  test.each([
    [["--offsite", "not a remote"], '"not a remote" is not an rclone remote and path'],
    [["--offsite", "/just/a/folder"], "is not an rclone remote and path"],
    [["--offsite"], "--offsite needs an rclone remote and path"],
  ])("refuses a bad target: %p", (args, message) => {
    const bad = install(["--dry-run", "--domain", "camp.example.org", ...args]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain(message);
    expect(bad.stdout).not.toContain("would write");
  });

  test("refuses --offsite without a server install", () => {
    const laptop = install(["--dry-run", "--offsite", "b2:camp-bucket/kith"]);
    expect(laptop.code).not.toBe(0);
    expect(laptop.stderr).toContain("--offsite is for server installs (with --domain); on this computer run: dist/kith backup --to b2:camp-bucket/kith");
  });
});

describe("install.sh --dry-run --upgrade --domain camp.example.org", () => {
  test("lists stop, backup, swap (keeping the previous binary) and the wait for /healthz, and runs nothing", () => {
    const run = install(["--dry-run", "--upgrade", "--domain", "camp.example.org"]);
    expect(run.code).toBe(0);
    expect(run.ran).toBe("");
    const steps = run.stdout.split("\n").filter((l) => l.startsWith("would run: ")).map((l) => l.slice(11));
    const at = (pattern: RegExp) => steps.findIndex((step) => pattern.test(step));
    const order = [/^systemctl stop kith\.service$/, /kith backup \/var\/lib\/kith\/backups\/before-upgrade-\d{8}-\d{6}\.tar$/,
      /^cp -p \/usr\/local\/bin\/kith \/usr\/local\/bin\/kith\.previous$/, /^mv -f \/usr\/local\/bin\/kith\.new \/usr\/local\/bin\/kith$/,
      /wait up to 30s for \/healthz/].map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(run.stdout).not.toContain("would write");
  });

  test("refuses --binary without --upgrade", () => {
    const run = install(["--dry-run", "--binary", "/tmp/kith"]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("--binary goes with --upgrade.");
  });
});

describe("the files server mode writes, checked by the programs that read them", () => {
  const files = () => writtenFiles(install(["--dry-run", "--domain", "camp.example.org"]).stdout);
  const hasSystemd = Bun.spawnSync(["sh", "-c", "command -v systemd-analyze"]).exitCode === 0;
  const hasCaddy = Bun.spawnSync(["sh", "-c", "command -v caddy"]).exitCode === 0;

  /** What `systemd-analyze verify` says about the unit files, minus the binary not being installed here. */
  function systemdComplaints(units: Map<string, string>): string[] {
    const folder = tempDir("kith-units-");
    for (const [name, content] of units) writeFileSync(join(folder, name), `${content}\n`);
    const child = Bun.spawnSync(["systemd-analyze", "verify", "--man=no", ...[...units.keys()].map((n) => `./${n}`)], { cwd: folder });
    return child.stderr
      .toString()
      .split("\n")
      .filter((line) => line.trim() && !line.includes("Command /usr/local/bin/kith is not executable"));
  }

  test.skipIf(!hasSystemd)("systemd-analyze verify finds nothing wrong in the units", () => {
    // First prove it reports a mistake here, so silence below means something.
    expect(systemdComplaints(new Map([["bad.service", "[Service]\nExecStart=/bin/true\nProtectSystem=bogus"]]))).not.toEqual([]);
    const written = files();
    const units = new Map([...written].filter(([path]) => path.startsWith("/etc/systemd/system/")).map(([path, content]) => [path.split("/").pop()!, content]));
    expect([...units.keys()].sort()).toEqual(["kith-backup.service", "kith-backup.timer", "kith-verify.service", "kith-verify.timer", "kith.service"]);
    expect(systemdComplaints(units)).toEqual([]);
  });

  test.skipIf(!hasCaddy)("caddy adapts the Caddyfile into a proxy for the domain to 127.0.0.1:8080", () => {
    const folder = tempDir("kith-caddy-");
    writeFileSync(join(folder, "Caddyfile"), `${files().get("/etc/caddy/Caddyfile")!}\n`);
    const child = Bun.spawnSync(["caddy", "adapt", "--config", "Caddyfile", "--adapter", "caddyfile"], { cwd: folder });
    expect(child.exitCode).toBe(0);
    const json = child.stdout.toString();
    expect(json).toContain('"host":["camp.example.org"]');
    expect(json).toContain('"handler":"reverse_proxy"');
    expect(json).toContain('"dial":"127.0.0.1:8080"');
  });
});

describe("install.sh refuses", () => {
  test("an unknown option", () => {
    const run = install(["--domian", "camp.example.org"]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('unknown option "--domian"');
    expect(run.ran).toBe("");
  });

  test.each(["https://camp.example.org", "camp", "camp.example.org:443", "camp.example.org/path", "-camp.example.org", "camp..example.org", "10.0.0.1", "camp example.org"])(
    "a domain that is not a host name: %s",
    (domain) => {
      const run = install(["--dry-run", "--domain", domain]);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain("is not a host name");
      expect(run.stdout).not.toContain("would write");
    },
  );

  test("a bad number of backups to keep", () => {
    const run = install(["--dry-run", "--domain", "camp.example.org", "--keep-backups", "0"]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("--keep-backups must be a whole number");
  });

  test("server mode on a system that is not Debian or Ubuntu", () => {
    const osRelease = join(tempDir(), "os-release");
    writeFileSync(osRelease, 'ID=fedora\nID_LIKE="rhel centos"\n');
    const run = install(["--dry-run", "--domain", "camp.example.org"], { KITH_OS_RELEASE: osRelease });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('server mode supports Debian and Ubuntu, not "fedora"');
    expect(run.stdout).not.toContain("would write");
  });

  test.each([
    ["MINGW64_NT-10.0", [], "this script runs on Linux and macOS; on MINGW64_NT-10.0, use WSL"],
    ["Darwin", ["--domain", "camp.example.org"], "server mode is for Debian or Ubuntu Linux; this is Darwin."],
  ])("a system it cannot install on: %s", (system, args, message) => {
    const fakeUname = tempDir("kith-uname-");
    writeFileSync(join(fakeUname, "uname"), `#!/bin/sh\necho ${system}\n`);
    chmodSync(join(fakeUname, "uname"), 0o755);
    const run = install(["--dry-run", ...args], { PATH: `${fakeUname}:${shims}:${process.env.PATH}` });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(message);
    expect(run.stdout).not.toContain("would ");
  });

  test("accepts a Debian derivative by ID_LIKE", () => {
    const osRelease = join(tempDir(), "os-release");
    writeFileSync(osRelease, "ID=linuxmint\nID_LIKE=ubuntu\n");
    expect(install(["--dry-run", "--domain", "camp.example.org"], { KITH_OS_RELEASE: osRelease }).code).toBe(0);
  });

  test("server mode without root, before changing anything", () => {
    const folder = tempDir();
    chmodSync(folder, 0o755);
    const debian = join(folder, "os-release");
    writeFileSync(debian, "ID=debian\n");
    const asRoot = process.getuid?.() === 0;
    const run = install(["--domain", "camp.example.org"], { KITH_OS_RELEASE: debian }, asRoot ? "65534" : undefined);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("server mode needs root");
    expect(run.stderr).toContain("sudo ./install.sh --domain camp.example.org");
    expect(run.ran).toBe("");
  });

  test("--stop together with a domain", () => {
    const run = install(["--stop", "--domain", "camp.example.org"]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("systemctl stop kith");
  });
});
