import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { KvKey } from "@fedify/fedify";
import { SqlKvStore } from "../../server/federation/kv-store.ts";
import { SqlMessageQueue } from "../../server/federation/message-queue.ts";
import { createLogger } from "../../server/logger.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";

let test: TestDatabase;
const logger = createLogger("silent");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

before(async () => {
  test = await createTestDatabase();
});
after(async () => {
  await test?.dispose();
});

async function until(probe: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(10);
  }
}

/** Listens on `queue` until `done` resolves, then stops. */
function listening(queue: SqlMessageQueue, handler: (message: unknown) => Promise<void>) {
  const abort = new AbortController();
  const stopped = queue.listen(handler, { signal: abort.signal });
  return async () => {
    abort.abort();
    await stopped;
  };
}

describe("the federation message queue", () => {
  it("runs every message once with a bounded number at a time, and a slow one holds up no other", async () => {
    const queue = new SqlMessageQueue(test.database.db, logger, { pollMs: 50, concurrency: 8 });
    const seen: number[] = [];
    let running = 0;
    let most = 0;
    let releaseSlow: () => void = () => {};
    const slow = new Promise<void>((resolve) => {
      releaseSlow = resolve;
    });
    const stop = listening(queue, async (message) => {
      const { n } = message as { n: number };
      running++;
      most = Math.max(most, running);
      if (n === 0) await slow;
      else await sleep(2);
      seen.push(n);
      running--;
    });
    await queue.enqueueMany(Array.from({ length: 100 }, (_, n) => ({ n })));
    // Everything but the slow first message finishes while it is still running.
    await until(() => seen.length === 99);
    assert.ok(!seen.includes(0));
    releaseSlow();
    await until(() => seen.length === 100);
    assert.deepEqual(
      [...seen].sort((a, b) => a - b),
      Array.from({ length: 100 }, (_, n) => n),
    );
    assert.ok(most <= 8, `at most 8 at once, saw ${most}`);
    assert.ok(most >= 4, `several at once, saw ${most}`);
    await until(async () => (await queue.getDepth()).queued === 0);
    await stop();
  });

  it("runs a failed message again later and keeps messages with one ordering key in order", async () => {
    const queue = new SqlMessageQueue(test.database.db, logger, { pollMs: 50, concurrency: 8 });
    const attempts = new Map<string, number>();
    const order: string[] = [];
    let inKey = 0;
    let overlapped = false;
    const stop = listening(queue, async (message) => {
      const { id } = message as { id: string };
      attempts.set(id, (attempts.get(id) ?? 0) + 1);
      if (id === "flaky" && attempts.get(id) === 1) throw new Error("first try fails");
      if (id.startsWith("ordered")) {
        if (++inKey > 1) overlapped = true;
        await sleep(20);
        inKey--;
      }
      order.push(id);
    });
    await queue.enqueue({ id: "flaky" });
    for (const n of [1, 2, 3]) await queue.enqueue({ id: `ordered-${n}` }, { orderingKey: "k" });
    await until(
      () => order.includes("flaky") && order.filter((id) => id.startsWith("o")).length === 3,
    );
    assert.equal(attempts.get("flaky"), 2);
    assert.deepEqual(
      order.filter((id) => id.startsWith("ordered")),
      ["ordered-1", "ordered-2", "ordered-3"],
    );
    assert.equal(overlapped, false);
    await until(async () => (await queue.getDepth()).queued === 0);
    await stop();
  });
});

describe("the federation key-value store", () => {
  it("answers Fedify's cache entries from memory for a moment, and everything else from the database", async () => {
    const here = new SqlKvStore(test.database.db, { memoMs: 300 });
    const elsewhere = new SqlKvStore(test.database.db, { memoMs: 300 });
    const spec: KvKey = ["_fedify", "httpMessageSignaturesSpec", "https://remote.example"];
    const seen: KvKey = ["_fedify", "activityIdempotence", "https://remote.example/activities/1"];

    await here.set(spec, "rfc9421");
    await here.set(seen, true);
    assert.equal(await here.get(spec), "rfc9421");
    await elsewhere.set(spec, "draft-cavage-http-signatures-12");
    await elsewhere.delete(seen);
    // The cache entry is a moment old in this process; the idempotence record never is.
    assert.equal(await here.get(spec), "rfc9421");
    assert.equal(await here.get(seen), undefined);
    await sleep(350);
    assert.equal(await here.get(spec), "draft-cavage-http-signatures-12");

    // A compare-and-swap works on the database, whatever this process remembers.
    const circuit: KvKey = ["_fedify", "circuit", "remote.example"];
    await here.set(circuit, { state: "open" });
    await elsewhere.set(circuit, { state: "half-open" });
    assert.equal(await here.cas(circuit, { state: "open" }, { state: "closed" }), false);
    assert.equal(await here.cas(circuit, { state: "half-open" }, { state: "closed" }), true);
    assert.deepEqual(await here.get(circuit), { state: "closed" });
    assert.deepEqual(await elsewhere.get(circuit), { state: "half-open" });
    await sleep(350);
    assert.deepEqual(await elsewhere.get(circuit), { state: "closed" });
  });

  it("has a fetched document or key at once in this process, stores it in the background, and reads one ahead when asked", async () => {
    const here = new SqlKvStore(test.database.db, { memoMs: 300 });
    const elsewhere = new SqlKvStore(test.database.db, { memoMs: 300 });
    const doc: KvKey = ["_fedify", "remoteDocument", "https://remote.example/users/ada"];
    const key: KvKey = ["_fedify", "publicKey", "https://remote.example/users/ada#main-key"];
    const document = { documentUrl: "https://remote.example/users/ada", document: { id: "ada" } };

    await here.set(doc, document);
    await here.set(key, { id: "ada#main-key" });
    assert.deepEqual(await here.get(doc), document);
    // Closing waits for the background writes: then every process reads them.
    await here.close();
    assert.deepEqual(await elsewhere.get(doc), document);
    assert.deepEqual(await elsewhere.get(key), { id: "ada#main-key" });
    // A prefetch reads the entry into memory now, for a read a moment later.
    const store = async (value: unknown) => {
      const writer = new SqlKvStore(test.database.db);
      await writer.set(doc, value);
      await writer.close();
    };
    const reader = new SqlKvStore(test.database.db, { memoMs: 300 });
    reader.prefetch(doc);
    await sleep(50);
    await store({ documentUrl: "newer", document: {} });
    assert.deepEqual(await reader.get(doc), document);
    await store(document);
    // After closing, nothing reaches the database any more.
    await here.set(doc, { documentUrl: "changed", document: {} });
    await sleep(350);
    assert.deepEqual(await elsewhere.get(doc), document);
  });
});
