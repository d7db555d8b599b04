#!/usr/bin/env bun
/** The `kith` command: serve the camp (the default), or run one operator task and exit. */
import { ConfigError, loadConfig, type ConfigInput } from "./config.ts";
import { Refusal } from "./domain/errors.ts";
import { commands, type CommandName } from "./cli/commands.ts";
import { parseArgs, UsageError, USAGE } from "./cli/args.ts";

async function main(argv: string[]): Promise<number> {
  try {
    const args = parseArgs(argv);
    if (args.help) {
      console.log(USAGE);
      return 0;
    }
    const config = loadConfig(args.config as ConfigInput);
    return await commands[args.command as CommandName](config, args);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      console.error(`kith: ${error.message}`);
      return 2;
    }
    if (error instanceof Refusal) {
      console.error(`kith: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== -1) process.exit(code);
  },
  (error) => {
    console.error("kith: unexpected error:", error);
    process.exit(1);
  },
);
