/** What every request handler can reach: the shared dependencies and the per-request values. */
import type { Config } from "../config.ts";
import type { Db } from "../db/open.ts";
import type { SessionMember } from "../domain/members/sessions.ts";
import type { Logger } from "../log.ts";
import type { PageCache } from "./pageCache.ts";

export interface Deps {
  db: Db;
  config: Config;
  log: Logger;
}

/** What a WebSocket answer does with its socket; the server layer calls these. */
export interface SocketHandlers {
  open(socket: { send(text: string): void; close(code?: number, reason?: string): void }): void;
  message(text: string): void;
  close(): void;
}

export interface WebEnv {
  /** Set by the server layer (Bun or Node) from the socket. */
  Bindings: {
    ip?: string;
    /** Turns the request into a WebSocket run by `handlers` (Bun only; absent under Node and in app.request). */
    upgrade?: (request: Request, handlers: SocketHandlers, headers: Record<string, string>) => boolean;
  };
  Variables: {
    deps: Deps;
    requestId: string;
    viewer: SessionMember | null;
    sessionToken: string | null;
    csrfToken: string;
    /** The database's stamp (src/db/contentVersion.ts) read before this request read anything, once it is needed. */
    dbVersion?: string;
    /** This app's kept pages (one cache per process). */
    pageCache: PageCache;
    /** Set when the answer is a kept page, for the request log. */
    pageFromCache?: boolean;
  };
}
