/**
 * A fixed-window counter per key (an address, an account), held in memory: one process
 * serves the whole camp, and forgetting counts on restart only helps people who typed wrong.
 */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one attempt for the key and says whether it is still within the limit. */
  hit(key: string, at = Date.now()): boolean {
    const window = this.windows.get(key);
    if (!window || at - window.start >= this.windowMs) {
      if (this.windows.size > 10_000) this.sweep(at);
      this.windows.set(key, { start: at, count: 1 });
      return true;
    }
    window.count += 1;
    return window.count <= this.limit;
  }

  /** Whether the key is over the limit now, without counting an attempt. */
  blocked(key: string, at = Date.now()): boolean {
    const window = this.windows.get(key);
    return !!window && at - window.start < this.windowMs && window.count >= this.limit;
  }

  private sweep(at: number): void {
    for (const [key, window] of this.windows) if (at - window.start >= this.windowMs) this.windows.delete(key);
  }
}
