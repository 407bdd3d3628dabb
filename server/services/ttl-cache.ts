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
  /** The keys stored under each group, for `update`. */
  private readonly keysByGroup = new Map<unknown, Set<K>>();
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
      this.delete(key);
      return undefined;
    }
    return entry.value;
  }

  private delete(key: K): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    const keys = this.keysByGroup.get(entry.group);
    keys?.delete(key);
    if (keys?.size === 0) this.keysByGroup.delete(entry.group);
  }

  /** Stores a value computed while the group was at `generation` (see `generation`). */
  set(key: K, value: V, group: unknown, generation: number, now = Date.now()): void {
    if (this.ttlMs <= 0 || generation !== this.generation(group)) return;
    this.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    this.entries.set(key, { value, expires: now + this.ttlMs, group, generation });
    let keys = this.keysByGroup.get(group);
    if (!keys) {
      keys = new Set();
      this.keysByGroup.set(group, keys);
    }
    keys.add(key);
  }

  /** The group's generation now; read it before computing a value to store. */
  generation(group: unknown): number {
    return this.generations.get(group)?.generation ?? 0;
  }

  /**
   * Brings the group's entries up to date after a change this process made: `patch` returns
   * an entry's new value, or undefined to drop it. Entries keep their expiry (they were not
   * read again), and values being computed right now are refused, as with `invalidate`.
   */
  update(group: unknown, patch: (value: V, key: K) => V | undefined, now = Date.now()): void {
    const patched: [K, V, number][] = [];
    for (const key of this.keysByGroup.get(group) ?? []) {
      const entry = this.entries.get(key)!;
      if (entry.expires <= now || entry.generation !== this.generation(group)) continue;
      const value = patch(entry.value, key);
      if (value !== undefined) patched.push([key, value, entry.expires]);
    }
    this.invalidate(group, now);
    const generation = this.generation(group);
    for (const [key, value, expires] of patched) {
      this.set(key, value, group, generation, expires - this.ttlMs);
    }
  }

  /** Drops every entry of the group, including values being computed right now. */
  invalidate(group: unknown, now = Date.now()): void {
    for (const key of [...(this.keysByGroup.get(group) ?? [])]) this.delete(key);
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
