/** Listening for HTTP under Bun (Bun.serve) or Node (@hono/node-server), with the client address passed on. */
import type { App } from "./app.ts";
import { MAX_BODY_BYTES } from "./app.ts";
import { runningUnderBun } from "./db/driver.ts";
import type { SocketHandlers } from "./web/env.ts";

export interface RunningServer {
  port: number;
  /** Stops accepting connections and resolves when the requests in flight are answered. */
  stop(): Promise<void>;
}

/**
 * Serves the app on host:port. With `shared`, several processes listen on the same port and the
 * kernel spreads connections among them (SO_REUSEPORT; Bun only: HTTP workers never run under Node).
 */
export async function listen(app: App, host: string, port: number, options: { shared?: boolean } = {}): Promise<RunningServer> {
  if (runningUnderBun) {
    const collector = collectWhenIdle();
    const server = Bun.serve({
      hostname: host,
      port,
      reusePort: options.shared ?? false,
      maxRequestBodySize: MAX_BODY_BYTES + 1024 * 1024,
      fetch: (request, srv) => {
        collector.busy();
        return app.fetch(request, {
          ip: srv.requestIP(request)?.address,
          upgrade: (req: Request, handlers: SocketHandlers, headers: Record<string, string>) => srv.upgrade(req, { data: handlers, headers }),
        });
      },
      websocket: {
        data: {} as SocketHandlers,
        open: (ws) => ws.data.open(ws),
        message: (ws, message) => ws.data.message(String(message)),
        close: (ws) => ws.data.close(),
      },
    });
    return { port: server.port ?? port, stop: () => server.stop().finally(collector.stop) };
  }
  const { serve } = await import("@hono/node-server");
  return new Promise((resolve) => {
    const server = serve(
      {
        hostname: host,
        port,
        fetch: (request, env: { incoming?: { socket?: { remoteAddress?: string } } }) =>
          app.fetch(request, { ip: env.incoming?.socket?.remoteAddress }),
      },
      (info) =>
        resolve({
          port: info.port,
          stop: () => new Promise<void>((done) => server.close(() => done())),
        }),
    );
  });
}

/** How long without a request before the garbage of the last burst is collected. */
const IDLE_MS = 1000;

/**
 * Under load the collector lets a burst's garbage pile up (an HTTP worker's heap grew from about 20 to
 * 80 MB during a load run and stayed there for seconds). Once requests stop for a moment, one full
 * collection returns it to the system; while requests keep coming, nothing extra runs.
 */
function collectWhenIdle(): { busy(): void; stop(): void } {
  let lastRequest = 0;
  let collected = true;
  const timer = setInterval(() => {
    if (collected || performance.now() - lastRequest < IDLE_MS) return;
    collected = true;
    Bun.gc(true);
  }, IDLE_MS);
  timer.unref();
  return {
    busy() {
      lastRequest = performance.now();
      collected = false;
    },
    stop: () => clearInterval(timer),
  };
}
