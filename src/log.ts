/** Structured logging: one JSON object per line on stdout, filtered by level. */
import type { Config } from "./config.ts";

const ORDER = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type Level = keyof typeof ORDER;
export type Logger = Record<Level, (message: string, fields?: Record<string, unknown>) => void>;

/** `base` fields go on every line (the process id, when several processes share one log). */
export function createLogger(level: Config["logLevel"], write: (line: string) => void = (l) => console.log(l), base: Record<string, unknown> = {}): Logger {
  const emit = (at: Level) => (message: string, fields: Record<string, unknown> = {}) => {
    if (ORDER[at] >= ORDER[level]) write(JSON.stringify({ time: new Date().toISOString(), level: at, message, ...fields, ...base }));
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}
