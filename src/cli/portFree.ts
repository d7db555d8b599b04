/**
 * Whether nothing listens on host:port. Processes that share a port (SO_REUSEPORT) would share it
 * with any other program that also asks to, so before sharing we bind it once alone. HTTP workers of
 * a Kith killed a moment ago may still be letting go of the port, hence a few tries.
 */
const TRIES = 10;
const PAUSE_MS = 200;

export async function portFree(host: string, port: number): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      Bun.serve({ hostname: host, port, fetch: () => new Response(null, { status: 503 }) }).stop(true);
      return true;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== "EADDRINUSE" && !/in use/i.test(String(error))) throw error;
      if (attempt === TRIES) return false;
      await Bun.sleep(PAUSE_MS);
    }
  }
}

/**
 * Resolves once something accepts connections on host:port (a wildcard host is asked on loopback),
 * or once `giveUp` settles.
 */
export async function untilListening(host: string, port: number, giveUp: Promise<unknown>): Promise<void> {
  const hostname = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  let gaveUp = false;
  void giveUp.finally(() => (gaveUp = true));
  while (!gaveUp) {
    const accepted = await Bun.connect({ hostname, port, socket: { data() {} } }).then((socket) => (socket.end(), true), () => false);
    if (accepted) return;
    await Bun.sleep(20);
  }
}
