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
import { refusalFor, streamNamed, subscribeStream, type StreamName } from "./streamEvents.ts";

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
};

/** Calls `onInvalid` once the token presented with this request stops being valid; returns the stop function. */
function watchToken(c: Context<ApiEnv>, onInvalid: () => void): () => void {
  const token = presentedToken(c)!;
  const timer = setInterval(() => {
    tokenHolder(c.var.deps.db, token).then((holder) => { if (!holder) onInvalid(); }, () => undefined);
  }, TOKEN_CHECK_MS);
  return () => clearInterval(timer);
}

function eventStream(c: Context<ApiEnv>, holder: TokenHolder, name: StreamName) {
  return streamSSE(c, async (sse) => {
    let end!: () => void;
    const ended = new Promise<void>((resolve) => { end = resolve; });
    sse.onAbort(end);
    await sse.write(":)\n");
    const stop = await subscribeStream(c, holder, name, (e) => sse.writeSSE({ event: e.event, data: e.payload }), end);
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

/**
 * A WebSocket carrying any number of streams: the one named in `?stream=` and those the app asks for
 * with `{"type": "subscribe", "stream": "user"}` (and drops with "unsubscribe"), as on Mastodon.
 */
function webSocket(c: Context<ApiEnv>, first: StreamName | null) {
  const holder = c.var.token;
  const refusal = refusalFor(holder, first ?? "user");
  if (refusal && (refusal.status !== 403 || first)) return apiError(c, refusal.status, refusal.error);
  const upgrade = c.env?.upgrade;
  if (!upgrade) return apiError(c, 400, "This server streams over Server-Sent Events only: use /api/v1/streaming/user.");
  const subscriptions = new Map<StreamName, Promise<() => void>>();
  let socket: Parameters<SocketHandlers["open"]>[0] | null = null;
  let unwatch = () => {};
  const send = (message: unknown) => socket?.send(JSON.stringify(message));
  const subscribe = (raw: unknown) => {
    const name = streamNamed(typeof raw === "string" ? raw : "");
    if (!name) return send({ error: "Unknown stream type", status: 400 });
    const refused = refusalFor(holder, name);
    if (refused) return send({ error: refused.error, status: refused.status });
    if (subscriptions.has(name)) return;
    subscriptions.set(name, subscribeStream(c, holder!, name,
      async (e) => { send({ stream: [name], event: e.event, payload: e.payload }); },
      () => socket?.close(1001, "The server is stopping")));
  };
  const unsubscribe = (raw: unknown) => {
    const name = streamNamed(typeof raw === "string" ? raw : "");
    const stopping = name ? subscriptions.get(name) : undefined;
    if (!stopping) return;
    subscriptions.delete(name!);
    void stopping.then((stop) => stop());
  };
  const handlers: SocketHandlers = {
    open(opened) {
      socket = opened;
      unwatch = watchToken(c, () => socket?.close(1008, "The access token is no longer valid"));
      if (first) subscribe(first);
    },
    message(text) {
      let message: { type?: unknown; stream?: unknown };
      try {
        message = JSON.parse(text) as typeof message;
      } catch {
        return send({ error: "Messages must be JSON", status: 400 });
      }
      if (message?.type === "subscribe") subscribe(message.stream);
      else if (message?.type === "unsubscribe") unsubscribe(message.stream);
    },
    close() {
      socket = null;
      unwatch();
      for (const name of [...subscriptions.keys()]) unsubscribe(name);
    },
  };
  // An app that sent its token as the subprotocol expects it named back, or its WebSocket fails.
  const protocol = c.req.header("sec-websocket-protocol")?.split(",")[0]?.trim();
  if (upgrade(c.req.raw, handlers, protocol ? { "sec-websocket-protocol": protocol } : {})) return new Response(null);
  return apiError(c, 400, "A WebSocket needs an Upgrade: websocket request.");
}

function answer(c: Context<ApiEnv>, rawName: string | undefined) {
  const name = streamNamed(rawName ?? "");
  if (c.req.header("upgrade")?.toLowerCase() === "websocket") return webSocket(c, name);
  if (!name) return apiError(c, 400, "Unknown stream type");
  const refusal = refusalFor(c.var.token, name);
  if (refusal) return apiError(c, refusal.status, refusal.error);
  c.var.deps.log.info("api: streaming", { requestId: c.var.requestId, stream: name });
  return eventStream(c, c.var.token!, name);
}

export function streamingApi() {
  const app = new Hono<ApiEnv>();
  app.get("/api/v1/streaming/health", (c) => c.text("OK"));
  app.get("/api/v1/streaming", (c) => answer(c, c.req.query("stream")));
  for (const [path, name] of Object.entries(PATHS)) app.get(path, (c) => answer(c, name));
  app.get("/api/v1/streaming/*", (c) => apiError(c, 400, "Unknown stream type"));
  return app;
}
