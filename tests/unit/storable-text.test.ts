import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { unstorableTextPath } from "../../server/middleware/storable-text.ts";
import { isStorable, storable, storableJson } from "../../server/services/storable-text.ts";

describe("storable text", () => {
  it("tells NUL characters and unpaired surrogates from text the database holds", () => {
    assert.equal(isStorable("plain, Müller, 🍞"), true);
    assert.equal(isStorable("a\u0000b"), false);
    assert.equal(isStorable("\ud83d"), false);
    assert.equal(isStorable("\udf5e first"), false);
  });

  it("drops NUL characters and replaces unpaired surrogates, keeping whole emoji", () => {
    assert.equal(storable("a\u0000b \ud83c\udf5e \ud83d"), "ab 🍞 \ufffd");
    const clean = "nothing to do";
    assert.equal(storable(clean), clean);
  });

  it("cleans every string and key of a JSON value, and returns a clean value as it is", () => {
    const clean = { a: ["b", { c: 1, d: null }], e: "\\u0000 is only text here" };
    assert.equal(storableJson(clean), clean);
    assert.deepEqual(storableJson({ "k\u0000": ["x\u0000", { y: "\ud800z" }], n: 2 }), {
      k: ["x", { y: "\ufffdz" }],
      n: 2,
    });
  });

  it("names the path of the first unstorable string or key in a request value", () => {
    assert.equal(unstorableTextPath({ body: "fine", list: [1, "ok"] }), undefined);
    assert.deepEqual(unstorableTextPath({ body: "fine", list: [1, "\u0000"] }), ["list", "1"]);
    assert.deepEqual(unstorableTextPath({ nested: { "bad\ud800": 1 } }), ["nested", "(key)"]);
    assert.deepEqual(unstorableTextPath("\u0000"), []);
  });

  it("walks a deeply nested body without running out of stack", () => {
    let deep: unknown = "\u0000";
    for (let i = 0; i < 200_000; i++) deep = [deep];
    assert.equal(unstorableTextPath(deep)?.length, 200_000);
  });
});
