import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp } from "../helpers/app.ts";

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.close());

const comments = (key: string) => `/api/threads/${key}/comments`;

describe("GET /api/me/export", () => {
  it("gives a member their profile, comments with revisions and reactions", async () => {
    const me = await app.signIn({ name: "Export Me", email: "export@example.com" });
    const other = await app.signIn();
    const mine = await app.request("POST", comments("account-export"), {
      token: me.token,
      body: { body: "first words" },
    });
    const id = mine.body.comment.id;
    await app.request("PATCH", `/api/comments/${id}`, {
      token: me.token,
      body: { body: "better words" },
    });
    const theirs = await app.request("POST", comments("account-export"), {
      token: other.token,
      body: { body: "someone else" },
    });
    await app.request("POST", `/api/comments/${theirs.body.comment.id}/reactions`, {
      token: me.token,
      body: { kind: "like" },
    });
    const res = await app.request("GET", "/api/me/export", { token: me.token });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-disposition") ?? "", /attachment/);
    assert.equal(res.body.member.email, "export@example.com");
    assert.equal(res.body.comments.length, 1);
    assert.equal(res.body.comments[0].body, "better words");
    assert.deepEqual(
      res.body.comments[0].revisions.map((r: { body: string }) => r.body),
      ["first words"],
    );
    assert.deepEqual(res.body.reactions, [
      {
        threadKey: "account-export",
        commentId: theirs.body.comment.id,
        kind: "like",
        createdAt: res.body.reactions[0].createdAt,
      },
    ]);
  });

  it("needs a session", async () => {
    const res = await app.request("GET", "/api/me/export");
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "unauthenticated");
  });
});

describe("GET and PUT /api/me/preferences", () => {
  it("serves the notification preferences under the path DESIGN.md names", async () => {
    const me = await app.signIn();
    const viaMe = await app.request("GET", "/api/me/preferences", { token: me.token });
    const viaNotifications = await app.request("GET", "/api/notifications/preferences", {
      token: me.token,
    });
    assert.equal(viaMe.status, 200);
    assert.deepEqual(viaMe.body, viaNotifications.body);
    const bad = await app.request("PUT", "/api/me/preferences", {
      token: me.token,
      body: { nonsense: true },
    });
    assert.equal(bad.status, 422);
  });
});

describe("DELETE /api/me", () => {
  it("erases the member's words, reactions and profile but keeps others' replies", async () => {
    const me = await app.signIn({ sub: "erase-me", name: "Erase Me" });
    const other = await app.signIn();
    const root = await app.request("POST", comments("account-erase"), {
      token: me.token,
      body: { body: "my secret thoughts" },
    });
    const rootId = root.body.comment.id;
    await app.request("POST", comments("account-erase"), {
      token: other.token,
      body: { body: "a reply that stays", parentId: rootId },
    });
    // The reply's notification is written by the event dispatcher, maybe already under way.
    let before: unknown[] = [];
    for (let i = 0; i < 100 && before.length === 0; i++) {
      await app.ctx.events.drain();
      before = await app.ctx.database.db.query.notifications.findMany({
        where: (n, { eq }) => eq(n.memberId, me.member.id),
      });
      if (before.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(before.length > 0, "the reply notified the author");
    const theirs = await app.request("POST", comments("account-erase"), {
      token: other.token,
      body: { body: "liked" },
    });
    await app.request("POST", `/api/comments/${theirs.body.comment.id}/reactions`, {
      token: me.token,
      body: { kind: "like" },
    });

    const res = await app.request("DELETE", "/api/me", { token: me.token });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { erased: true, comments: 1 });

    const page = await app.request("GET", comments("account-erase"));
    const tombstone = page.body.comments.find((c: { id: string }) => c.id === rootId);
    assert.equal(tombstone.status, "deleted");
    assert.equal(tombstone.html, "");
    assert.equal(tombstone.author.name, "");
    assert.equal(tombstone.replies[0].html, "<p>a reply that stays</p>");
    const liked = page.body.comments.find((c: { id: string }) => c.id === theirs.body.comment.id);
    assert.deepEqual(liked.reactions, {});

    const follows = await app.ctx.database.db.query.threadFollows.findMany({
      where: (f, { eq }) => eq(f.memberId, me.member.id),
    });
    assert.equal(follows.length, 0);
    const notified = await app.ctx.database.db.query.notifications.findMany({
      where: (n, { eq }) => eq(n.memberId, me.member.id),
    });
    assert.equal(notified.length, 0);
    const row = await app.ctx.database.db.query.comments.findFirst({
      where: (c, { eq }) => eq(c.id, Number(rootId)),
    });
    assert.equal(row?.body, "");
    const post = await app.request("POST", comments("account-erase"), {
      token: me.token,
      body: { body: "still here?" },
    });
    assert.equal(post.status, 401);

    // Signing in again with the same host account starts a new, empty member.
    const again = await app.signIn({ sub: "erase-me", name: "Erase Me" });
    assert.notEqual(again.member.id, me.member.id);
    const exported = await app.request("GET", "/api/me/export", { token: again.token });
    assert.equal(exported.body.comments.length, 0);
  });
});
