import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp } from "../helpers/app.ts";

const API_KEY = "test-api-key-0123456789abcdef";
let app: TestApp;
before(async () => {
  app = await startTestApp({ env: { HEARTH_ALLOWED_ORIGINS: "https://members.example" } });
});
after(() => app.close());

describe("PUT /api/threads/:key", () => {
  it("creates a thread with the host's API key and the documented defaults", async () => {
    const res = await app.request("PUT", "/api/threads/settings-1", {
      token: API_KEY,
      body: { title: "Members' lounge", url: "https://members.example/lounge" },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.thread.read, "public");
    assert.equal(res.body.thread.write, "members");
    assert.equal(res.body.thread.federate, false);
  });

  it("refuses federate on a thread that is not public", async () => {
    const res = await app.request("PUT", "/api/threads/settings-2", {
      token: API_KEY,
      body: { read: "members", federate: true },
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.error.code, "invalid_settings");
  });

  it("turns federation off when read is restricted later", async () => {
    await app.request("PUT", "/api/threads/settings-3", {
      token: API_KEY,
      body: { federate: true },
    });
    const res = await app.request("PUT", "/api/threads/settings-3", {
      token: API_KEY,
      body: { read: ["gold"] },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.thread.read, ["gold"]);
    assert.equal(res.body.thread.federate, false);
  });

  it("returns 401 without a key or session and 403 for a member session", async () => {
    const none = await app.request("PUT", "/api/threads/settings-4", { body: { locked: true } });
    assert.equal(none.status, 401);
    const { token } = await app.signIn();
    const member = await app.request("PUT", "/api/threads/settings-4", {
      token,
      body: { locked: true },
    });
    assert.equal(member.status, 403);
    const { token: admin } = await app.signIn({ roles: ["member", "admin"] });
    const ok = await app.request("PUT", "/api/threads/settings-4", {
      token: admin,
      body: { locked: true },
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.thread.locked, true);
  });

  it("returns 400 for unknown fields", async () => {
    const res = await app.request("PUT", "/api/threads/settings-5", {
      token: API_KEY,
      body: { colour: "red" },
    });
    assert.equal(res.status, 400);
  });
});

describe("thread access", () => {
  it("returns 403 thread_locked when posting in a locked thread", async () => {
    await app.request("PUT", "/api/threads/locked-1", { token: API_KEY, body: { locked: true } });
    const { token } = await app.signIn();
    const res = await app.request("POST", "/api/threads/locked-1/comments", {
      token,
      body: { body: "hi" },
    });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, "thread_locked");
  });

  it("hides a members-only thread from anonymous readers and shows it to members", async () => {
    await app.request("PUT", "/api/threads/members-1", {
      token: API_KEY,
      body: { read: "members" },
    });
    const { token } = await app.signIn();
    await app.request("POST", "/api/threads/members-1/comments", {
      token,
      body: { body: "inside" },
    });
    const anon = await app.request("GET", "/api/threads/members-1/comments");
    assert.equal(anon.status, 401);
    const member = await app.request("GET", "/api/threads/members-1/comments", { token });
    assert.equal(member.status, 200);
    assert.equal(member.body.comments.length, 1);
  });

  it("returns 403 tier_required to a member without the thread's tier", async () => {
    await app.request("PUT", "/api/threads/gold-1", { token: API_KEY, body: { read: ["gold"] } });
    const plain = await app.signIn();
    const res = await app.request("GET", "/api/threads/gold-1/comments", { token: plain.token });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, "tier_required");
    const gold = await app.signIn({ tiers: ["gold"] });
    const post = await app.request("POST", "/api/threads/gold-1/comments", {
      token: gold.token,
      body: { body: "hi" },
    });
    assert.equal(post.status, 201);
  });
});

describe("GET /api/counts", () => {
  it("returns counts for many threads at once, 0 for unknown ones", async () => {
    const { token } = await app.signIn();
    await app.request("POST", "/api/threads/count-a/comments", { token, body: { body: "1" } });
    await app.request("POST", "/api/threads/count-a/comments", { token, body: { body: "2" } });
    const res = await app.request("GET", "/api/counts?threads=count-a,count-none");
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.counts, { "count-a": 2, "count-none": 0 });
  });
});

describe("HTTP surface", () => {
  it("answers CORS preflights for allowed origins only", async () => {
    const ok = await fetch(`${app.url}/api/threads/x/comments`, {
      method: "OPTIONS",
      headers: {
        origin: "https://members.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization,content-type,idempotency-key",
      },
    });
    assert.equal(ok.headers.get("access-control-allow-origin"), "https://members.example");
    assert.match(ok.headers.get("access-control-allow-headers") ?? "", /Idempotency-Key/i);
    const other = await fetch(`${app.url}/api/threads/x`, {
      headers: { origin: "https://evil.example" },
    });
    assert.equal(other.headers.get("access-control-allow-origin"), null);
  });

  it("reports liveness and database reachability at /healthz", async () => {
    const res = await app.request("GET", "/healthz");
    assert.equal(res.status, 200);
    assert.equal(res.body.database, "ok");
  });

  it("answers unknown API routes with a JSON 404", async () => {
    const res = await app.request("GET", "/api/nothing-here");
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "not_found");
  });

  it("routes the longest thread keys, slashes percent-encoded, to their thread", async () => {
    const key = `${"a/".repeat(99)}zz`;
    assert.equal(key.length, 200);
    const put = await app.request("PUT", `/api/threads/${encodeURIComponent(key)}`, {
      token: API_KEY,
      body: { title: "Deep" },
    });
    assert.equal(put.status, 200);
    assert.equal(put.body.thread.key, key);
    const got = await app.request("GET", `/api/threads/${encodeURIComponent(key)}/`);
    assert.equal(got.status, 200);
    assert.equal(got.body.thread.title, "Deep");
  });

  it("answers a malformed percent-encoding in the path with a JSON 400", async () => {
    const res = await app.request("GET", "/api/threads/%E0%A4%A/comments");
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "validation_failed");
  });

  it("reads a body that is not JSON as no body, and a JSON scalar as invalid JSON", async () => {
    const text = await fetch(`${app.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "token=abc",
    });
    assert.equal(text.status, 400);
    assert.equal(
      ((await text.json()) as { error: { code: string } }).error.code,
      "validation_failed",
    );
    const scalar = await app.request("POST", "/api/session", { raw: '"a token"' });
    assert.equal(scalar.status, 400);
    assert.equal(scalar.body.error.code, "invalid_json");
  });
});
