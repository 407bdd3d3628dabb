import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TtlCache } from "../../server/services/ttl-cache.ts";

describe("TtlCache", () => {
  it("forgets a value once its time is up", () => {
    const cache = new TtlCache<string, number>(1000);
    cache.set("a", 1, "g", cache.generation("g"), 0);
    assert.equal(cache.get("a", 999), 1);
    assert.equal(cache.get("a", 1000), undefined);
  });

  it("drops a group's values on invalidate, and refuses values computed before it", () => {
    const cache = new TtlCache<string, number>(60_000);
    cache.set("a", 1, "g", cache.generation("g"));
    cache.set("b", 2, "other", cache.generation("other"));
    const before = cache.generation("g");
    cache.invalidate("g");
    assert.equal(cache.get("a"), undefined);
    assert.equal(cache.get("b"), 2);
    cache.set("a", 3, "g", before);
    assert.equal(cache.get("a"), undefined);
    cache.set("a", 4, "g", cache.generation("g"));
    assert.equal(cache.get("a"), 4);
  });

  it("keeps its bookkeeping bounded when many groups are invalidated over time", () => {
    const cache = new TtlCache<string, number>(1000, 100);
    for (let i = 0; i < 10_000; i++) cache.invalidate(`group-${i}`, i * 100);
    const size = (cache as unknown as { generations: Map<unknown, unknown> }).generations.size;
    assert.ok(size <= 700, `kept ${size} groups`);
    // A value computed before a recent invalidation is still refused.
    const stale = cache.generation("group-9999");
    cache.invalidate("group-9999", 1_000_000);
    cache.set("x", 1, "group-9999", stale, 1_000_000);
    assert.equal(cache.get("x", 1_000_000), undefined);
  });

  it("updates a group's values in place, keeps their expiry, and refuses values computed before", () => {
    const cache = new TtlCache<string, number>(1000);
    cache.set("a", 1, "g", cache.generation("g"), 0);
    cache.set("b", 2, "g", cache.generation("g"), 500);
    cache.set("c", 3, "other", cache.generation("other"), 0);
    const before = cache.generation("g");
    cache.update("g", (value, key) => (key === "b" ? undefined : value * 10), 600);
    assert.equal(cache.get("a", 600), 10);
    assert.equal(cache.get("b", 600), undefined);
    assert.equal(cache.get("c", 600), 3);
    assert.equal(cache.get("a", 1000), undefined);
    cache.set("b", 5, "g", before, 700);
    assert.equal(cache.get("b", 700), undefined);
  });
});
