/**
 * A bounded map of recently loaded answers, each reused for at most `ttlMs`.
 * It backs the client and credential status checks whose staleness bound
 * (CLIENT_CACHE_TTL_MS, at most 5 s) is part of the security model.
 */
export class StatusCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value;
    const value = await load();
    this.set(key, value, now);
    return value;
  }

  set(key: string, value: V, at = Date.now()): void {
    if (this.entries.size > this.maxEntries) this.entries.clear();
    this.entries.set(key, { value, at });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
