import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { WriteBatcher } from "../../server/services/write-batcher.ts";

describe("WriteBatcher", () => {
  it("writes a lone write at once and groups the writes that arrive while a batch is written", async () => {
    const batches: number[][] = [];
    const batcher = new WriteBatcher(async (inputs: number[]) => {
      batches.push(inputs);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return inputs.map((n) => n * 10);
    });
    const first = batcher.submit(1);
    const rest = [2, 3, 4].map((n) => batcher.submit(n));
    assert.deepEqual(await Promise.all([first, ...rest]), [10, 20, 30, 40]);
    assert.deepEqual(batches, [[1], [2, 3, 4]]);
  });

  it("caps a batch at its maximum and writes the rest in the next", async () => {
    const batches: number[][] = [];
    const batcher = new WriteBatcher(async (inputs: number[]) => {
      batches.push(inputs);
      return inputs;
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.submit(n)));
    assert.deepEqual(batches, [[1], [2, 3], [4, 5]]);
  });

  it("retries a failed batch one write at a time, so only the write that fails is refused", async () => {
    const batcher = new WriteBatcher(async (inputs: number[]) => {
      if (inputs.includes(13)) throw new Error("13 is refused");
      await new Promise((resolve) => setTimeout(resolve, 1));
      return inputs;
    });
    const results = await Promise.allSettled([1, 12, 13, 14].map((n) => batcher.submit(n)));
    assert.deepEqual(
      results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message)),
      [1, 12, "13 is refused", 14],
    );
    assert.equal(await batcher.submit(15), 15);
  });
});
