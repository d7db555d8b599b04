/**
 * Mastodon's streaming API: `/api/v1/streaming/user`, `/user/notification`, `/public` and
 * `/public/local` (or `/api/v1/streaming?stream=...`) as Server-Sent Events, and
 * `/api/v1/streaming` as a WebSocket when the server runs under Bun. The events come from
 * streamEvents.ts; this file frames them as Mastodon does: `event: update` / `data: {...}` lines
 * with `:thump` comments between, or WebSocket frames `{"stream": [...], "event": ..., "payload": "..."}`.
 * A stream ends when the client goes, when the server stops, or when its token is revoked.
 */
import { Hono, type Context } from "hono";
import { streamSSE } from "hono/streaming";
import { tokenHolder, type TokenHolder } from "../../domain/oauth/tokens.ts";
import type { SocketHandlers } from "../env.ts";
import { presentedToken } from "./auth.ts";
import type { ApiEnv } from "./env.ts";
import { apiError } from "./errors.ts";
import { refusalFor, streamRequest, subscribeStream, type StreamName, type StreamRequest } from "./streamEvents.ts";

/**
 * A `:thump` comment this often. Mastodon sends one every 15 s; Kith's server closes a connection
 * idle for 10 s (Bun's default), so a quiet stream needs one sooner.
 */
const HEARTBEAT_MS = 5000;
/** How often an open stream checks that its token is still valid (revoked from Settings or by the app). */
const TOKEN_CHECK_MS = 5000;

const PATHS: Record<string, StreamName> = {
  "/api/v1/streaming/user": "user",
  "/api/v1/streaming/user/notification": "user:notification",
  "/api/v1/streaming/public": "public",
  "/api/v1/streaming/public/local": "public:local",
  "/api/v1/streaming/hashtag": "hashtag",
  "/api/v1/streaming/hashtag/local": "hashtag:local",
  "/api/v1/streaming/list": "list",
};

/** Calls `onInvalid` once the token presented with this request stops being valid; returns the stop function. */
function watchToken(c: Context<ApiEnv>, onInvalid: () => void): () => void {
  const token = presentedToken(c)!;
  const timer = setInterval(() => {
    tokenHolder(c.var.deps.db, token).then((holder) => { if (!holder) onInvalid(); }, () => undefined);
  }, TOKEN_CHECK_MS);
  return () => clearInterval(timer);
}

function eventStream(c: Context<ApiEnv>, holder: TokenHolder, request: StreamRequest) {
  return streamSSE(c, async (sse) => {
    let end!: () => void;
    const ended = new Promise<void>((resolve) => { end = resolve; });
    sse.onAbort(end);
    await sse.write(":)\n");
    const stop = await subscribeStream(c, holder, request, (e) => sse.writeSSE({ event: e.event, data: e.payload }), end);
    const heartbeat = setInterval(() => { sse.write(":thump\n").catch(end); }, HEARTBEAT_MS);
    const unwatch = watchToken(c, end);
    try {
      await ended;
    } finally {
      stop();
      unwatch();
      clearInterval(heartbeat);
    }
  });
}

/** A stream's `tag` and `list` parameters, from the query or a WebSocket message. */
const paramsOf = (source: Record<string, unknown>) => ({
  tag: typeof source.tag === "string" ? source.tag : undefined,
  list: typeof source.list === "string" || typeof source.list === "number" ? String(source.list) : undefined,
});

/**
 * A WebSocket carrying any number of streams: the one named in `?stream=` and those the app asks for
 * with `{"type": "subscribe", "stream": "hashtag", "tag": "cooking"}` (and drops with "unsubscribe"),
 * as on Mastodon. A token is needed to open it; each stream then checks its own scope.
 */
async function webSocket(c: Context<ApiEnv>) {
  const { db, log } = c.var.deps;
  const holder = c.var.token;
  if (!holder || holder.accountId === null) return apiError(c, 401, "The access token is invalid");
  const upgrade = c.env?.upgrade;
  if (!upgrade) return apiError(c, 400, "This server streams over Server-Sent Events only: use /api/v1/streaming/user.");
  const subscriptions = new Map<string, Promise<() => void>>();
  let socket: Parameters<SocketHandlers["open"]>[0] | null = null;
  let unwatch = () => {};
  const send = (message: unknown) => socket?.send(JSON.stringify(message));
  const subscribe = async (message: Record<string, unknown>) => {
    const request = streamRequest(typeof message.stream === "string" ? message.stream : undefined, paramsOf(message));
    if ("error" in request) return send({ error: request.error, status: request.status });
    const refused = await refusalFor(db, holder, request);
    if (refused) return send({ error: refused.error, status: refused.status });
    const key = request.label.join(";");
    if (subscriptions.has(key) || !socket) return;
    subscriptions.set(key, subscribeStream(c, holder, request,
      async (e) => { send({ stream: request.label, event: e.event, payload: e.payload }); },
      () => socket?.close(1001, "The server is stopping")).catch((error) => {
      log.error("api: stream subscription failed", { requestId: c.var.requestId, error: String(error) });
      return () => {};
    }));
  };
  const unsubscribe = (message: Record<string, unknown>) => {
    const request = streamRequest(typeof message.stream === "string" ? message.stream : undefined, paramsOf(message));
    const key = "error" in request ? "" : request.label.join(";");
    const stopping = subscriptions.get(key);
    if (!stopping) return;
    subscriptions.delete(key);
    void stopping.then((stop) => stop());
  };
  const first = c.req.query("stream");
  const handlers: SocketHandlers = {
    open(opened) {
      socket = opened;
      unwatch = watchToken(c, () => socket?.close(1008, "The access token is no longer valid"));
      if (first) void subscribe({ ...c.req.query(), stream: first });
    },
    message(text) {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return send({ error: "Messages must be JSON", status: 400 });
      }
      if (message?.type === "subscribe") void subscribe(message);
      else if (message?.type === "unsubscribe") unsubscribe(message);
    },
    close() {
      socket = null;
      unwatch();
      for (const key of [...subscriptions.keys()]) {
        const stopping = subscriptions.get(key)!;
        subscriptions.delete(key);
        void stopping.then((stop) => stop());
      }
    },
  };
  // An app that sent its token as the subprotocol expects it named back, or its WebSocket fails.
  const protocol = c.req.header("sec-websocket-protocol")?.split(",")[0]?.trim();
  if (upgrade(c.req.raw, handlers, protocol ? { "sec-websocket-protocol": protocol } : {})) return new Response(null);
  return apiError(c, 400, "A WebSocket needs an Upgrade: websocket request.");
}

async function answer(c: Context<ApiEnv>, name: string | undefined) {
  if (c.req.header("upgrade")?.toLowerCase() === "websocket") return webSocket(c);
  const request = streamRequest(name, paramsOf(c.req.query()));
  if ("error" in request) return apiError(c, request.status, request.error);
  const refusal = await refusalFor(c.var.deps.db, c.var.token, request);
  if (refusal) return apiError(c, refusal.status, refusal.error);
  c.var.deps.log.info("api: streaming", { requestId: c.var.requestId, stream: request.name });
  return eventStream(c, c.var.token!, request);
}

export function streamingApi() {
  const app = new Hono<ApiEnv>();
  app.get("/api/v1/streaming/health", (c) => c.text("OK"));
  app.get("/api/v1/streaming", (c) => answer(c, c.req.query("stream")));
  for (const [path, name] of Object.entries(PATHS)) app.get(path, (c) => answer(c, name));
  app.get("/api/v1/streaming/*", (c) => apiError(c, 400, "Unknown stream type"));
  return app;
}
