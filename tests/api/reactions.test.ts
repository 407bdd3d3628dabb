import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp } from "../helpers/app.ts";

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.close());

async function comment(key: string) {
  const author = await app.signIn();
  const res = await app.request("POST", `/api/threads/${key}/comments`, {
    token: author.token,
    body: { body: "react to me" },
  });
  return res.body.comment.id as string;
}

describe("POST and DELETE /api/comments/:id/reactions", () => {
  it("counts each member's reaction once and reports the caller's own", async () => {
    const id = await comment("reactions-1");
    const a = await app.signIn();
    const b = await app.signIn();
    await app.request("POST", `/api/comments/${id}/reactions`, {
      token: a.token,
      body: { kind: "like" },
    });
    const again = await app.request("POST", `/api/comments/${id}/reactions`, {
      token: a.token,
      body: { kind: "like" },
    });
    assert.deepEqual(again.body, { reactions: { like: 1 }, myReactions: ["like"] });
    const res = await app.request("POST", `/api/comments/${id}/reactions`, {
      token: b.token,
      body: { kind: "like" },
    });
    assert.deepEqual(res.body.reactions, { like: 2 });
    const list = await app.request("GET", "/api/threads/reactions-1/comments", { token: a.token });
    assert.deepEqual(list.body.comments[0].reactions, { like: 2 });
    assert.deepEqual(list.body.comments[0].myReactions, ["like"]);
    const anonymous = await app.request("GET", "/api/threads/reactions-1/comments");
    assert.deepEqual(anonymous.body.comments[0].myReactions, []);
  });

  it("removes a reaction with DELETE and drops a kind that reaches zero", async () => {
    const id = await comment("reactions-2");
    const a = await app.signIn();
    await app.request("POST", `/api/comments/${id}/reactions`, {
      token: a.token,
      body: { kind: "love" },
    });
    const res = await app.request("DELETE", `/api/comments/${id}/reactions`, {
      token: a.token,
      body: { kind: "love" },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { reactions: {}, myReactions: [] });
    const twice = await app.request("DELETE", `/api/comments/${id}/reactions`, {
      token: a.token,
      body: { kind: "love" },
    });
    assert.equal(twice.status, 200);
  });

  it("returns 422 invalid_reaction for a kind outside the configured set", async () => {
    const id = await comment("reactions-3");
    const a = await app.signIn();
    const res = await app.request("POST", `/api/comments/${id}/reactions`, {
      token: a.token,
      body: { kind: "angry" },
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, "invalid_reaction");
  });

  it("returns 401 without a session and 404 for an unknown comment", async () => {
    const id = await comment("reactions-4");
    const anon = await app.request("POST", `/api/comments/${id}/reactions`, {
      body: { kind: "like" },
    });
    assert.equal(anon.status, 401);
    const a = await app.signIn();
    const missing = await app.request("POST", "/api/comments/999999/reactions", {
      token: a.token,
      body: { kind: "like" },
    });
    assert.equal(missing.status, 404);
  });
});
