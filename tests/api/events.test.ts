import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Tx } from "../../db/client.ts";
import { selectEvents } from "../../db/queries/events.ts";
import type { EventRow } from "../../db/schema.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.close());

async function threadId(key: string): Promise<number> {
  const res = await app.request("GET", `/api/threads/${key}`);
  assert.equal(res.status, 200);
  const rows = await app.ctx.database.db.query.threads.findFirst({
    where: (t, { eq }) => eq(t.key, key),
  });
  return rows!.id;
}

describe("domain events", () => {
  it("records each change with the transaction that makes it", async () => {
    const author = await app.signIn();
    const other = await app.signIn();
    const posted = await app.request("POST", "/api/threads/events-1/comments", {
      token: author.token,
      body: { body: "first" },
    });
    const id = posted.body.comment.id as string;
    await app.request("PATCH", `/api/comments/${id}`, {
      token: author.token,
      body: { body: "first, edited" },
    });
    await app.request("POST", `/api/comments/${id}/reactions`, {
      token: other.token,
      body: { kind: "like" },
    });
    await app.request("POST", `/api/comments/${id}/reactions`, {
      token: other.token,
      body: { kind: "like" },
    });
    await app.request("DELETE", `/api/comments/${id}`, { token: author.token });
    const events = await selectEvents(app.ctx.database.db, {
      threadId: await threadId("events-1"),
    });
    assert.deepEqual(
      events.map((e) => [e.type, e.commentId, e.actorId]),
      [
        ["comment.created", Number(id), author.member.id],
        ["comment.edited", Number(id), author.member.id],
        ["reaction.added", Number(id), other.member.id],
        ["comment.deleted", Number(id), author.member.id],
      ],
    );
  });

  it("records nothing for a refused comment or a retried post", async () => {
    const author = await app.signIn();
    await app.request("POST", "/api/threads/events-2/comments", {
      token: author.token,
      body: { body: "kept" },
      headers: { "idempotency-key": "same" },
    });
    await app.request("POST", "/api/threads/events-2/comments", {
      token: author.token,
      body: { body: "kept" },
      headers: { "idempotency-key": "same" },
    });
    const refused = await app.request("POST", "/api/threads/events-2/comments", {
      token: author.token,
      body: { body: "   " },
    });
    assert.equal(refused.status, 422);
    const events = await selectEvents(app.ctx.database.db, {
      threadId: await threadId("events-2"),
    });
    assert.equal(events.length, 1);
  });

  it("hands every event to each handler once, even when two processes dispatch", async () => {
    const second = await startTestApp({ database: app.testDatabase });
    const seen: number[] = [];
    const handler = {
      name: "test",
      async handle(_tx: Tx, event: EventRow) {
        seen.push(event.id);
      },
    };
    try {
      await app.ctx.events.drain();
      app.ctx.events.addHandler(handler);
      second.ctx.events.addHandler(handler);
      const author = await app.signIn();
      await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          (i % 2 ? app : second).request("POST", "/api/threads/events-3/comments", {
            token: author.token,
            body: { body: `comment ${i}` },
          }),
        ),
      );
      // A batch either process began in the background may still be running: wait for it.
      const key = await threadId("events-3");
      let events = await selectEvents(app.ctx.database.db, { threadId: key });
      for (let i = 0; i < 200 && events.some((e) => e.dispatchedAt === null); i++) {
        await Promise.all([app.ctx.events.drain(), second.ctx.events.drain()]);
        await new Promise((resolve) => setTimeout(resolve, 25));
        events = await selectEvents(app.ctx.database.db, { threadId: key });
      }
      assert.equal(events.length, 30);
      const ids = new Set(events.map((e) => e.id));
      assert.deepEqual(
        seen.filter((id) => ids.has(id)).sort((a, b) => a - b),
        events.map((e) => e.id),
      );
      assert.ok(events.every((e) => e.dispatchedAt !== null));
    } finally {
      await second.close();
    }
  });

  it("keeps dispatching after a handler fails on one event", async () => {
    const failing = {
      name: "failing",
      async handle(tx: Tx, event: EventRow) {
        if (event.type === "comment.created" && event.commentId) {
          // Handlers read through the claiming transaction.
          const row = await tx.query.comments.findFirst({
            where: (c, { eq }) => eq(c.id, event.commentId!),
          });
          if (row?.body === "poison") throw new Error("handler bug");
        }
      },
    };
    app.ctx.events.addHandler(failing);
    const author = await app.signIn();
    for (const body of ["before", "poison", "after"]) {
      await app.request("POST", "/api/threads/events-4/comments", {
        token: author.token,
        body: { body },
      });
    }
    const key = await threadId("events-4");
    let events = await selectEvents(app.ctx.database.db, { threadId: key });
    for (let i = 0; i < 200 && events.some((e) => e.dispatchedAt === null); i++) {
      await app.ctx.events.drain();
      await new Promise((resolve) => setTimeout(resolve, 25));
      events = await selectEvents(app.ctx.database.db, { threadId: key });
    }
    assert.equal(events.length, 3);
    assert.ok(events.every((e) => e.dispatchedAt !== null));
  });
  it("runs a drain called during another drain after it, so one backlog stays one batch", async () => {
    const author = await app.signIn();
    await app.ctx.events.stop();
    try {
      for (const body of ["one", "two", "three"]) {
        const res = await app.request("POST", "/api/threads/events-drains/comments", {
          token: author.token,
          body: { body },
        });
        assert.equal(res.status, 201);
      }
      const finished: string[] = [];
      const counts = await Promise.all(
        ["first", "second"].map((name) =>
          app.ctx.events.drain().then((count) => {
            finished.push(name);
            return count;
          }),
        ),
      );
      assert.deepEqual(finished, ["first", "second"]);
      assert.deepEqual(counts, [3, 0]);
    } finally {
      app.ctx.events.start();
    }
  });
});
