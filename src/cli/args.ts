/** Parsing the command line: a subcommand, its positional arguments, and flags it knows. */

export class UsageError extends Error {}

export const USAGE = `Usage: kith [command] [flags]

Commands:
  serve                         serve the camp (the default)
  invite [--note TEXT] [--days N]
                                print a single-use invite link (default 7 days)
  members                       list members with role and state
  reset-link HANDLE             print a one-time password-reset link for a member
  backup FILE                   write the database and media to FILE (a tar file), safely while serving
  backup --keep N DIR/          write DIR/kith-DATE.tar and keep only the newest N there
  backup [DIR/] --to REMOTE:PATH [--keep N]
                                also copy it off-site through rclone, encrypted with the passphrase
                                in KITH_BACKUP_PASSPHRASE_FILE, keeping the newest N there
  backup --verify DIR/|REMOTE:PATH
                                restore drill: unpack the newest backup there into a temporary
                                folder and compare it with the live camp
  restore FILE                  put a backup back (the server must be stopped; the old data is kept)
  restore REMOTE:PATH/kith-DATE.tar
                                fetch an off-site copy, decrypt it and put it back
  doctor                        check configuration, domain, database, disk and delivery queue
  migrate                       apply pending database migrations

Flags for every command (each also read from the environment):
  --data DIR        KITH_DATA     data folder (default ./data)
  --port N          KITH_PORT     port to listen on (default 8080)
  --host ADDR       KITH_HOST     address to listen on (default 127.0.0.1)
  --domain NAME     KITH_DOMAIN   public host name (default localhost:PORT)
  --log-level L     KITH_LOG_LEVEL  debug, info, warn or error (default info)
                    KITH_OFFSITE  REMOTE:PATH of the off-site backups, for doctor and /readyz
  --help            this text`;

const CONFIG_FLAGS: Record<string, string> = { "--data": "data", "--port": "port", "--host": "host", "--domain": "domain", "--log-level": "logLevel" };

/** What each command accepts beyond the config flags, and its positional arguments ([NAME] when optional). */
const COMMANDS: Record<string, { flags: string[]; positional: string[] }> = {
  serve: { flags: [], positional: [] },
  invite: { flags: ["--note", "--days"], positional: [] },
  members: { flags: [], positional: [] },
  "reset-link": { flags: [], positional: ["HANDLE"] },
  backup: { flags: ["--keep", "--to", "--verify"], positional: ["[FILE]"] },
  restore: { flags: [], positional: ["FILE"] },
  doctor: { flags: [], positional: [] },
  migrate: { flags: [], positional: [] },
};

export interface ParsedArgs {
  command: string;
  positional: string[];
  options: Record<string, string>;
  config: Record<string, string>;
  help: boolean;
}

export function parseArgs(argv: string[]): ParsedArgs {
  const parsed: ParsedArgs = { command: "serve", positional: [], options: {}, config: {}, help: false };
  let sawCommand = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") {
      parsed.help = true;
      continue;
    }
    if (arg.startsWith("--")) {
      const [name, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
      const known = CONFIG_FLAGS[name] ?? (COMMANDS[parsed.command]?.flags.includes(name) ? name.slice(2) : undefined);
      if (!known) throw new UsageError(`unknown flag ${name} for "${parsed.command}". Run kith --help.`);
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value.`);
      if (CONFIG_FLAGS[name]) parsed.config[known] = value;
      else parsed.options[known] = value;
      continue;
    }
    if (!sawCommand && parsed.positional.length === 0) {
      if (!COMMANDS[arg]) throw new UsageError(`unknown command "${arg}". Run kith --help.`);
      parsed.command = arg;
      sawCommand = true;
      continue;
    }
    parsed.positional.push(arg);
  }
  const expected = COMMANDS[parsed.command]!.positional;
  const required = expected.filter((name) => !name.startsWith("[")).length;
  if (!parsed.help && (parsed.positional.length < required || parsed.positional.length > expected.length)) {
    throw new UsageError(
      expected.length ? `"${parsed.command}" needs ${expected.join(" ")}.` : `"${parsed.command}" takes no arguments, but got "${parsed.positional.join(" ")}".`,
    );
  }
  return parsed;
}
