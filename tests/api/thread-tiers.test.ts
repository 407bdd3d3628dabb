import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp } from "../helpers/app.ts";

const apiKey = { authorization: "Bearer test-api-key-0123456789abcdef" };

describe("GET /api/threads/:key tells the viewer whether they may post", () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
    const put = await app.request("PUT", "/api/threads/gold-talk", {
      headers: apiKey,
      body: { read: "public", write: ["gold", "platinum"] },
    });
    assert.equal(put.status, 200);
  });
  after(() => app.close());

  it("says unauthenticated to a visitor", async () => {
    const res = await app.request("GET", "/api/threads/gold-talk");
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.thread.viewer, { canWrite: false, reason: "unauthenticated" });
  });

  it("names the tiers to a member without one, and 403s their post", async () => {
    const { token } = await app.signIn({ tiers: ["silver"] });
    const res = await app.request("GET", "/api/threads/gold-talk", { token });
    assert.deepEqual(res.body.thread.viewer, {
      canWrite: false,
      reason: "tier_required",
      tiers: ["gold", "platinum"],
    });
    const page = await app.request("GET", "/api/threads/gold-talk/comments", { token });
    assert.deepEqual(page.body.thread.viewer, res.body.thread.viewer);
    const post = await app.request("POST", "/api/threads/gold-talk/comments", {
      token,
      body: { body: "May I?" },
    });
    assert.equal(post.status, 403);
    assert.equal(post.body.error.code, "tier_required");
  });

  it("lets a member of one of the tiers post", async () => {
    const { token } = await app.signIn({ tiers: ["platinum"] });
    const res = await app.request("GET", "/api/threads/gold-talk", { token });
    assert.deepEqual(res.body.thread.viewer, { canWrite: true });
  });

  it("says thread_locked on a locked thread", async () => {
    await app.request("PUT", "/api/threads/gold-talk", { headers: apiKey, body: { locked: true } });
    const { token } = await app.signIn({ tiers: ["gold"] });
    const res = await app.request("GET", "/api/threads/gold-talk", { token });
    assert.deepEqual(res.body.thread.viewer, { canWrite: false, reason: "thread_locked" });
  });
});
