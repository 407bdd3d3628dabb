import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createRemoteKeySet } from "../../plugins/identity/key-set.ts";
import { createRsaKey, type KeyServer, startKeyServer } from "../helpers/key-server.ts";

describe("createRemoteKeySet", () => {
  const k1 = createRsaKey("k1");
  let server: KeyServer;
  let down = false;
  let clock = 0;
  before(async () => {
    server = await startKeyServer("/jwks", [k1]);
  });
  after(() => server.close());

  /** The host's key set through real HTTP, unless the test has taken the host down. */
  const fetchKeys = (url: string) =>
    down ? Promise.reject(new Error("connection refused")) : fetch(url);
  const keySet = () =>
    createRemoteKeySet({ url: `${server.origin}/jwks`, fetch: fetchKeys, now: () => clock });

  it("refetches once for an unknown kid, even right after a fetch, and shares that fetch", async () => {
    server.keys = [k1];
    const set = keySet();
    assert.equal((await set.lookup("k1")).ok, true);
    server.hits = 0;
    clock += 1000;
    const results = await Promise.all(Array.from({ length: 10 }, () => set.lookup("nope")));
    for (const result of results) assert.equal(result.ok ? "found" : result.reason, "unknown_key");
    assert.equal(server.hits, 1);
    clock += 10_000;
    await set.lookup("nope-again");
    assert.equal(server.hits, 1, "no second refetch within 30 s");
    clock += 30_000;
    await set.lookup("nope-again");
    assert.equal(server.hits, 2);
  });

  it("reports jwks_unreachable and does not ask a down host again within 30 s", async () => {
    const set = keySet();
    down = true;
    try {
      const first = await set.lookup("k1");
      assert.equal(first.ok ? "found" : first.reason, "jwks_unreachable");
      assert.equal(set.fetchCount, 1);
      clock += 5000;
      const second = await set.lookup("k1");
      assert.equal(second.ok ? "found" : second.reason, "jwks_unreachable");
      assert.equal(set.fetchCount, 1);
    } finally {
      down = false;
    }
    clock += 30_000;
    assert.equal((await set.lookup("k1")).ok, true);
  });

  it("keeps verifying with the cached keys when the host goes down after they expire", async () => {
    const set = keySet();
    assert.equal((await set.lookup("k1")).ok, true);
    down = true;
    try {
      clock += 11 * 60_000;
      const result = await set.lookup("k1");
      assert.equal(result.ok, true);
      assert.equal(set.fetchCount, 2);
      clock += 1000;
      assert.equal((await set.lookup("k1")).ok, true);
      assert.equal(set.fetchCount, 2);
    } finally {
      down = false;
    }
  });
});
