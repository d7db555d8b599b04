/** What every request handler can reach: the shared dependencies and the per-request values. */
import type { Config } from "../config.ts";
import type { Db } from "../db/open.ts";
import type { SessionMember } from "../domain/members/sessions.ts";
import type { Logger } from "../log.ts";

export interface Deps {
  db: Db;
  config: Config;
  log: Logger;
}

export interface WebEnv {
  /** Set by the server layer (Bun or Node) from the socket. */
  Bindings: { ip?: string };
  Variables: {
    deps: Deps;
    requestId: string;
    viewer: SessionMember | null;
    sessionToken: string | null;
    csrfToken: string;
  };
}
