/**
 * Running the real `kith` command in a child process: one-shot subcommands, and servers whose
 * console output we read (the setup link is printed there and only there).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO = resolve(import.meta.dir, "../..");

export interface KithRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** An empty temporary folder for a camp's data, a backup or a copied binary. */
export const tempDir = (prefix = "kith-cli-"): string => mkdtempSync(join(tmpdir(), prefix));

/** The environment a child gets: ours without any KITH_ settings, plus the given ones. */
function childEnv(env: Record<string, string>): Record<string, string> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => !k.startsWith("KITH_") && v !== undefined)) as Record<string, string>;
  return { ...base, ...env };
}

/** Runs `bun src/main.ts ARGS` from the repository and waits for it to exit. */
export async function runKith(args: string[], env: Record<string, string> = {}): Promise<KithRun> {
  const child = Bun.spawn([process.execPath, "src/main.ts", ...args], { cwd: REPO, env: childEnv(env), stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

export interface RunningKith {
  /** Everything the process printed so far, stdout and stderr together. */
  output(): string;
  /** Resolves with the first line matching `pattern`, or rejects with the output if the process ends first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  stop(): Promise<number>;
  /** Resolves with the exit code once the process ends by itself (or by a signal a test sent). */
  exited: Promise<number>;
  pid: number;
}

/** Starts a long-running command (a server) and collects its console output as it comes. */
export function startKith(command: string[], options: { cwd: string; env?: Record<string, string> }): RunningKith {
  const child = Bun.spawn(command, { cwd: options.cwd, env: childEnv(options.env ?? {}), stdout: "pipe", stderr: "pipe" });
  let output = "";
  const listeners = new Set<() => void>();
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      output += decoder.decode(chunk, { stream: true });
      for (const listener of listeners) listener();
    }
  };
  const pumped = Promise.all([pump(child.stdout), pump(child.stderr)]);
  return {
    pid: child.pid,
    exited: Promise.all([child.exited, pumped]).then(([code]) => code),
    output: () => output,
    waitFor: (pattern) =>
      new Promise((resolveMatch, reject) => {
        const check = () => {
          const match = output.match(pattern);
          if (match) {
            listeners.delete(check);
            resolveMatch(match);
          }
        };
        listeners.add(check);
        check();
        void child.exited.then(async () => {
          await pumped;
          check();
          if (listeners.has(check)) reject(new Error(`process exited with ${child.exitCode} before printing ${pattern}:\n${output}`));
        });
      }),
    stop: async () => {
      child.kill("SIGTERM");
      const code = await child.exited;
      await pumped;
      return code;
    },
  };
}

/** The setup link a freshly started camp prints on its console. */
export const SETUP_LINK = /(https?:\/\/\S+\/setup\/[A-Za-z0-9_-]+)/;
