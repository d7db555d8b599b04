/**
 * Running rclone (Debian's `rclone` package: one tool for S3, Backblaze, SFTP, WebDAV, a USB disk
 * and many more). Its own configuration (RCLONE_CONFIG, `rclone config`) names the remotes; we
 * add one remote of our own, defined in the child's environment only: an rclone `crypt` remote
 * over the operator's REMOTE:PATH, so every byte that leaves is encrypted with the passphrase.
 */
import { spawn } from "node:child_process";
import { Refusal } from "../domain/errors.ts";

export interface RcloneRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The name of the encrypting remote we define for rclone (in its environment, never in a file). */
export const CRYPT_REMOTE = "kithcrypt";

/** Runs rclone with `args` (and `input` on its stdin); refuses clearly when rclone is not installed. */
export function runRclone(args: string[], env: Record<string, string> = {}, input?: string): Promise<RcloneRun> {
  return new Promise((resolve, reject) => {
    const child = spawn("rclone", args, { env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      reject(error.code === "ENOENT"
        ? new Refusal("invalid", "rclone is not installed, and off-site backups go through it. Install it (apt install rclone) and try again.")
        : error);
    });
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input ?? "");
  });
}

/** The environment that defines CRYPT_REMOTE over `target` (REMOTE:PATH) with this passphrase. */
export async function cryptEnv(target: string, passphrase: string): Promise<Record<string, string>> {
  // rclone wants its passwords "obscured" (a reversible encoding); the passphrase goes in on stdin, not argv.
  const obscured = await runRclone(["obscure", "-"], {}, passphrase);
  if (obscured.code !== 0) throw new Refusal("invalid", `rclone could not take the passphrase: ${lastError(obscured.stderr)}`);
  const name = CRYPT_REMOTE.toUpperCase();
  return {
    [`RCLONE_CONFIG_${name}_TYPE`]: "crypt",
    [`RCLONE_CONFIG_${name}_REMOTE`]: target,
    [`RCLONE_CONFIG_${name}_PASSWORD`]: obscured.stdout.trim(),
    // File names stay readable (kith-DATE.tar.bin), so the operator, `kith doctor` and pruning can
    // see which backups exist without the passphrase; the contents are encrypted.
    [`RCLONE_CONFIG_${name}_FILENAME_ENCRYPTION`]: "off",
    [`RCLONE_CONFIG_${name}_DIRECTORY_NAME_ENCRYPTION`]: "false",
  };
}

/** rclone's last error line, without its timestamp. */
export function lastError(stderr: string): string {
  const lines = stderr.split("\n").map((l) => l.replace(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} /, "").replace(/^(ERROR|NOTICE|INFO|DEBUG) *: */, "").trim()).filter(Boolean);
  const errors = lines.filter((l) => !/Config file .* not found/.test(l));
  return errors.at(-1) ?? "no error message";
}

/** Turns a failed rclone run against `target` into a message that says what to do. */
export function explainRcloneFailure(run: RcloneRun, target: string, doing: string): Refusal {
  const remote = target.slice(0, target.indexOf(":"));
  const why = lastError(run.stderr);
  const text = run.stderr;
  let advice: string;
  if (/didn't find section in config file|not found in config file|unknown backend/i.test(text)) {
    advice = `there is no rclone remote called "${remote}". Set it up with: rclone config (and make sure RCLONE_CONFIG points at that file for the user Kith runs as).`;
  } else if (/\b(401|403)\b|unauthori[sz]ed|forbidden|access ?denied|permission denied|unable to authenticate|authentication failed|invalid credentials|InvalidAccessKeyId|SignatureDoesNotMatch/i.test(text)) {
    advice = `the remote "${remote}" refused the login: check the user name, password or key in rclone's config (rclone config).`;
  } else if (/\b507\b|insufficient storage|quota|no space left|disk full|storage limit/i.test(text)) {
    advice = `the remote "${remote}" is full: free space there (or keep fewer backups with --keep). Nothing there was changed.`;
  } else if (/connection refused|no such host|timeout|i\/o timeout|connection reset|network is unreachable|closed network connection|(write|read|dial) tcp|unexpected EOF|broken pipe|EOF/i.test(text)) {
    advice = `the remote "${remote}" could not be reached or the connection dropped (${why}). Check the network and try again.`;
  } else {
    advice = `rclone failed: ${why}`;
  }
  return new Refusal("invalid", `${doing} ${target} failed: ${advice}`);
}
