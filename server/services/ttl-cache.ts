/**
 * A small in-process cache whose entries expire after a fixed time and can be dropped by
 * group (a thread). Each process keeps its own; the expiry bounds how stale another
 * process's writes can look, and this process drops a group as soon as it writes to it.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<
    K,
    { value: V; expires: number; group: unknown; generation: number }
  >();
  /** Groups invalidated recently, with the counter value of their last invalidation. */
  private readonly generations = new Map<unknown, { generation: number; at: number }>();
  private counter = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
  ) {}

  get(key: K, now = Date.now()): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= now || entry.generation !== this.generation(entry.group)) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Stores a value computed while the group was at `generation` (see `generation`). */
  set(key: K, value: V, group: unknown, generation: number, now = Date.now()): void {
    if (this.ttlMs <= 0 || generation !== this.generation(group)) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expires: now + this.ttlMs, group, generation });
  }

  /** The group's generation now; read it before computing a value to store. */
  generation(group: unknown): number {
    return this.generations.get(group)?.generation ?? 0;
  }

  /** Drops every entry of the group, including values being computed right now. */
  invalidate(group: unknown, now = Date.now()): void {
    this.generations.delete(group);
    this.generations.set(group, { generation: ++this.counter, at: now });
    // Forget groups invalidated long ago (oldest first): no value computed before then is
    // still in flight, and their entries have expired.
    if (this.generations.size > this.maxEntries) {
      const horizon = now - Math.max(this.ttlMs, 60_000);
      for (const [key, { at }] of this.generations) {
        if (at > horizon || this.generations.size <= this.maxEntries) break;
        this.generations.delete(key);
      }
    }
  }
}
