import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { count, eq } from "drizzle-orm";
import { commentRevisions, comments, events, threads } from "../../db/schema.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.close());

let threadCounter = 0;
const newKey = () => `posts/thread-${++threadCounter}`;
const path = (key: string) => `/api/threads/${encodeURIComponent(key)}/comments`;

async function rowCount(table: typeof comments | typeof threads | typeof commentRevisions) {
  const [row] = await app.ctx.database.db.select({ n: count() }).from(table);
  return row!.n;
}

async function post(token: string, key: string, body: unknown, headers?: Record<string, string>) {
  return app.request("POST", path(key), { token, body, headers: headers ?? {} });
}

describe("POST /api/threads/:key/comments", () => {
  it("creates the thread on the first post and returns 201 with the rendered comment", async () => {
    const { token, member } = await app.signIn({ name: "Anna" });
    const key = newKey();
    const res = await post(token, key, {
      body: "Hello **world**",
      title: "A post",
      url: "https://site.example/a",
    });
    assert.equal(res.status, 201);
    assert.equal(res.body.comment.html, "<p>Hello <strong>world</strong></p>");
    assert.equal(res.body.comment.author.id, member.id);
    assert.equal(res.body.comment.parentId, null);
    assert.equal(res.body.comment.status, "published");
    const thread = await app.request("GET", `/api/threads/${encodeURIComponent(key)}`);
    assert.equal(thread.status, 200);
    assert.equal(thread.body.thread.title, "A post");
    assert.equal(thread.body.thread.url, "https://site.example/a");
    assert.equal(thread.body.thread.commentCount, 1);
  });

  it("returns the same comment for a retried Idempotency-Key instead of a second one", async () => {
    const { token } = await app.signIn();
    const key = newKey();
    const headers = { "idempotency-key": "retry-1" };
    const [a, b] = await Promise.all([
      post(token, key, { body: "once" }, headers),
      post(token, key, { body: "once" }, headers),
    ]);
    const c = await post(token, key, { body: "once" }, headers);
    const ids = new Set([a.body.comment.id, b.body.comment.id, c.body.comment.id]);
    assert.equal(ids.size, 1);
    assert.deepEqual([a.status, b.status].sort(), [200, 201]);
    assert.equal(c.status, 200);
    const list = await app.request("GET", path(key));
    assert.equal(list.body.comments.length, 1);
  });

  it("stores each of many comments posted at the same moment once, with its own event, parent and order", async () => {
    const members = await Promise.all(Array.from({ length: 8 }, () => app.signIn()));
    const key = newKey();
    const opener = await post(members[0]!.token, key, { body: "opener" });
    assert.equal(opener.status, 201);
    const parentId = opener.body.comment.id as string;
    const sent = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        post(
          members[i % members.length]!.token,
          key,
          { body: `at once ${i}`, ...(i % 2 ? { parentId } : {}) },
          { "idempotency-key": `same-moment-${i}` },
        ),
      ),
    );
    assert.deepEqual(
      sent.map((res) => res.status),
      sent.map(() => 201),
    );
    sent.forEach((res, i) => {
      assert.equal(res.body.comment.body, `at once ${i}`);
      assert.equal(res.body.comment.author.id, members[i % members.length]!.member.id);
      assert.equal(res.body.comment.parentId, i % 2 ? parentId : null);
    });
    const ids = sent.map((res) => Number(res.body.comment.id));
    assert.equal(new Set(ids).size, 40);
    const stored = await app.ctx.database.db
      .select({ id: comments.id, body: comments.body, parentId: comments.parentId })
      .from(comments)
      .where(
        eq(
          comments.threadId,
          (await app.ctx.database.db.select().from(threads).where(eq(threads.key, key)))[0]!.id,
        ),
      );
    assert.equal(stored.length, 41);
    for (const [i, id] of ids.entries()) {
      const row = stored.find((r) => r.id === id);
      assert.equal(row?.body, `at once ${i}`);
    }
    const recorded = await app.ctx.database.db
      .select({ commentId: events.commentId })
      .from(events)
      .where(eq(events.type, "comment.created"));
    const announced = new Set(recorded.map((e) => e.commentId));
    for (const id of ids) assert.ok(announced.has(id), `comment ${id} has its event`);
    const list = await app.request("GET", `${path(key)}?sort=oldest&limit=50`);
    assert.equal(list.status, 200);
    assert.equal(list.body.thread.commentCount, 41);
  });

  it("renders Markdown carrying scripts, javascript: links, handlers and iframes inert", async () => {
    const { token } = await app.signIn();
    const res = await post(token, newKey(), {
      body: '<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror="alert(3)"> <iframe src="https://e.example"></iframe>',
    });
    assert.equal(res.status, 201);
    const html: string = res.body.comment.html;
    assert.doesNotMatch(html, /<(script|iframe|img)/i);
    assert.doesNotMatch(html, /href="javascript:/i);
    assert.doesNotMatch(html, /<[^>]*\son\w+=/i);
    assert.match(html, /&lt;script&gt;/);
  });

  it("adds rel=nofollow ugc to links and drops images", async () => {
    const { token } = await app.signIn();
    const res = await post(token, newKey(), {
      body: "[site](https://a.example) ![pic](https://a.example/p.png)",
    });
    assert.match(
      res.body.comment.html,
      /<a href="https:\/\/a.example" rel="nofollow ugc noopener noreferrer">site<\/a>/,
    );
    assert.doesNotMatch(res.body.comment.html, /<img/);
  });

  it("returns 422 comment_empty for an empty or blank comment and stores nothing", async () => {
    const { token } = await app.signIn();
    const before = await rowCount(comments);
    const threadsBefore = await rowCount(threads);
    for (const body of ["", "   \n  "]) {
      const res = await post(token, newKey(), { body });
      assert.equal(res.status, 422);
      assert.equal(res.body.error.code, "comment_empty");
    }
    assert.equal(await rowCount(comments), before);
    assert.equal(await rowCount(threads), threadsBefore);
  });

  it("returns 422 comment_too_long over 10,000 characters and accepts exactly 10,000", async () => {
    const { token } = await app.signIn();
    const key = newKey();
    const over = await post(token, key, { body: "a".repeat(10_001) });
    assert.equal(over.status, 422);
    assert.equal(over.body.error.code, "comment_too_long");
    const exact = await post(token, key, { body: "a".repeat(10_000) });
    assert.equal(exact.status, 201);
  });

  it("returns 413 when the body is over the size limit", async () => {
    const { token } = await app.signIn();
    const before = await rowCount(comments);
    const res = await post(token, newKey(), { body: "a".repeat(70 * 1024) });
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, "payload_too_large");
    assert.equal(await rowCount(comments), before);
  });

  it("returns 400 invalid_json for malformed JSON", async () => {
    const { token } = await app.signIn();
    const res = await app.request("POST", path(newKey()), { token, raw: '{"body": "x"' });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "invalid_json");
    assert.equal(res.body.error.stack, undefined);
  });

  it("returns 400 validation_failed when body is not a string", async () => {
    const { token } = await app.signIn();
    const res = await post(token, newKey(), { body: 42 });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "validation_failed");
    assert.equal(res.body.error.details.field, "body");
  });

  it("returns 400 validation_failed naming the field for text the database cannot hold, and stores nothing", async () => {
    const { token } = await app.signIn();
    const before = await rowCount(comments);
    const threadsBefore = await rowCount(threads);
    const cases: [unknown, string][] = [
      [{ body: "nul \u0000 inside" }, "body"],
      [{ body: "half an emoji \ud83d" }, "body"],
      [{ body: "fine", title: "\udc00 title" }, "title"],
      [{ body: "fine", extra: { deep: ["ok", "\u0000"] } }, "extra.deep.1"],
    ];
    for (const [body, field] of cases) {
      const res = await post(token, newKey(), body);
      assert.equal(res.status, 400, field);
      assert.equal(res.body.error.code, "validation_failed");
      assert.equal(res.body.error.details.field, field);
    }
    assert.equal(await rowCount(comments), before);
    assert.equal(await rowCount(threads), threadsBefore);
    // A whole emoji (a surrogate pair) is text like any other.
    const emoji = await post(token, newKey(), { body: "sourdough \ud83c\udf5e" });
    assert.equal(emoji.status, 201);
    assert.equal(emoji.body.comment.body, "sourdough 🍞");
  });

  it("returns 400 validation_failed for a NUL character in the path or the query string", async () => {
    const { token } = await app.signIn();
    const mute = await app.request("PUT", "/api/members/a%00b/mute", { token });
    assert.equal(mute.status, 400);
    assert.equal(mute.body.error.details.field, "handle");
    const handles = await app.request("GET", "/api/members/handles?prefix=%00", { token });
    assert.equal(handles.status, 400);
    assert.equal(handles.body.error.details.field, "prefix");
  });

  it("returns 400 invalid_thread_key for a key outside the allowed characters", async () => {
    const { token } = await app.signIn();
    for (const key of ["has space", "x".repeat(201), "émoji", "a?b"]) {
      const res = await post(token, key, { body: "hi" });
      assert.equal(res.status, 400, key);
      assert.equal(res.body.error.code, "invalid_thread_key");
    }
  });

  it("returns 422 invalid_parent for a parent in another thread or one that does not exist", async () => {
    const { token } = await app.signIn();
    const other = await post(token, newKey(), { body: "elsewhere" });
    const key = newKey();
    await post(token, key, { body: "first" });
    const before = await rowCount(comments);
    const cross = await post(token, key, { body: "reply", parentId: other.body.comment.id });
    assert.equal(cross.status, 422);
    assert.equal(cross.body.error.code, "invalid_parent");
    const missing = await post(token, key, { body: "reply", parentId: "999999999" });
    assert.equal(missing.status, 422);
    assert.equal(await rowCount(comments), before);
  });

  it("returns 429 with Retry-After when a member posts too fast", async () => {
    const limited = await startTestApp({ env: { HEARTH_POSTS_PER_MINUTE: "3" } });
    try {
      const { token } = await limited.signIn();
      const statuses: number[] = [];
      let last: Awaited<ReturnType<TestApp["request"]>> | undefined;
      for (let i = 0; i < 5; i++) {
        last = await limited.request("POST", path("flood"), { token, body: { body: `n${i}` } });
        statuses.push(last.status);
      }
      assert.deepEqual(statuses, [201, 201, 201, 429, 429]);
      assert.equal(last!.body.error.code, "rate_limited");
      assert.ok(Number(last!.headers.get("retry-after")) > 0);
    } finally {
      await limited.close();
    }
  });
});

describe("GET /api/threads/:key/comments", () => {
  it("returns 404 thread_not_found for a thread nobody has posted in", async () => {
    const res = await app.request("GET", path("never/posted"));
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "thread_not_found");
  });

  it("nests replies to any depth, flattening below the configured depth", async () => {
    const { token } = await app.signIn();
    const key = newKey();
    let parentId: string | undefined;
    const ids: string[] = [];
    for (let depth = 0; depth < 6; depth++) {
      const res = await post(token, key, {
        body: `level ${depth}`,
        ...(parentId ? { parentId } : {}),
      });
      assert.equal(res.status, 201);
      assert.equal(res.body.comment.depth, depth);
      parentId = res.body.comment.id;
      ids.push(parentId!);
    }
    const list = await app.request("GET", path(key));
    const [root] = list.body.comments;
    assert.equal(root.id, ids[0]);
    const level3 = root.replies[0].replies[0].replies;
    // maxDepth 3: levels 3, 4 and 5 share one list under level 2, in order.
    assert.deepEqual(
      level3.map((c: { id: string }) => c.id),
      ids.slice(3),
    );
    assert.equal(level3[1].parentId, ids[3]);
  });

  it("pages top-level comments with their replies by cursor, in each sort order", async () => {
    const { token } = await app.signIn();
    const { token: other } = await app.signIn();
    const key = newKey();
    const top: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await post(token, key, { body: `top ${i}` });
      top.push(res.body.comment.id);
      await post(token, key, { body: `reply to ${i}`, parentId: res.body.comment.id });
    }
    await app.request("POST", `/api/comments/${top[1]}/reactions`, {
      token: other,
      body: { kind: "like" },
    });
    await app.request("POST", `/api/comments/${top[1]}/reactions`, {
      token,
      body: { kind: "love" },
    });
    await app.request("POST", `/api/comments/${top[3]}/reactions`, {
      token: other,
      body: { kind: "like" },
    });

    async function all(sort: string) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `?sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
        const res = await app.request("GET", path(key) + query);
        assert.equal(res.status, 200);
        for (const c of res.body.comments) {
          assert.equal(c.replies.length, 1);
          seen.push(c.id);
        }
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      return { seen, pages };
    }
    const oldest = await all("oldest");
    assert.deepEqual(oldest.seen, top);
    assert.equal(oldest.pages, 3);
    assert.deepEqual((await all("newest")).seen, [...top].reverse());
    assert.deepEqual((await all("top")).seen, [top[1], top[3], top[4], top[2], top[0]]);
  });

  it("returns 400 for an unknown sort or a forged cursor", async () => {
    const { token } = await app.signIn();
    const key = newKey();
    await post(token, key, { body: "x" });
    assert.equal((await app.request("GET", `${path(key)}?sort=random`)).status, 400);
    assert.equal((await app.request("GET", `${path(key)}?cursor=%%%`)).status, 400);
    assert.equal((await app.request("GET", `${path(key)}?limit=1000`)).status, 400);
  });
});

describe("PATCH /api/comments/:id", () => {
  it("lets the author edit within the window and keeps the earlier body as a revision", async () => {
    const { token } = await app.signIn();
    const created = await post(token, newKey(), { body: "first draft" });
    const id = created.body.comment.id;
    const res = await app.request("PATCH", `/api/comments/${id}`, {
      token,
      body: { body: "second *draft*" },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.comment.html, "<p>second <em>draft</em></p>");
    assert.ok(res.body.comment.editedAt);
    const revisions = await app.ctx.database.db
      .select()
      .from(commentRevisions)
      .where(eq(commentRevisions.commentId, Number(id)));
    assert.deepEqual(
      revisions.map((r) => [r.revision, r.body]),
      [[1, "first draft"]],
    );
  });

  it("returns 403 forbidden when someone else edits or deletes the comment", async () => {
    const { token } = await app.signIn();
    const { token: other } = await app.signIn();
    const created = await post(token, newKey(), { body: "mine" });
    const id = created.body.comment.id;
    const edit = await app.request("PATCH", `/api/comments/${id}`, {
      token: other,
      body: { body: "yours" },
    });
    assert.equal(edit.status, 403);
    assert.equal(edit.body.error.code, "forbidden");
    const del = await app.request("DELETE", `/api/comments/${id}`, { token: other });
    assert.equal(del.status, 403);
    const list = await app.request("GET", path(created.body.comment.threadKey));
    assert.equal(list.body.comments[0].html, "<p>mine</p>");
  });

  it("returns 403 edit_window_closed after the edit window, while a moderator may still edit", async () => {
    const { token } = await app.signIn();
    const { token: mod } = await app.signIn({ roles: ["member", "moderator"] });
    const created = await post(token, newKey(), { body: "old" });
    const id = created.body.comment.id;
    app.clock.offsetMs = 16 * 60_000;
    try {
      const late = await app.request("PATCH", `/api/comments/${id}`, {
        token,
        body: { body: "new" },
      });
      assert.equal(late.status, 403);
      assert.equal(late.body.error.code, "edit_window_closed");
      const byMod = await app.request("PATCH", `/api/comments/${id}`, {
        token: mod,
        body: { body: "fixed by mod" },
      });
      assert.equal(byMod.status, 200);
    } finally {
      app.clock.offsetMs = 0;
    }
  });

  it("returns 404 comment_not_found for an unknown or malformed id", async () => {
    const { token } = await app.signIn();
    for (const id of ["987654321", "abc", "0", "-1"]) {
      const res = await app.request("PATCH", `/api/comments/${id}`, { token, body: { body: "x" } });
      assert.equal(res.status, 404, id);
      assert.equal(res.body.error.code, "comment_not_found");
    }
  });

  it("returns 422 for an empty edit and keeps the comment unchanged", async () => {
    const { token } = await app.signIn();
    const created = await post(token, newKey(), { body: "keep me" });
    const res = await app.request("PATCH", `/api/comments/${created.body.comment.id}`, {
      token,
      body: { body: " " },
    });
    assert.equal(res.status, 422);
    const [row] = await app.ctx.database.db
      .select()
      .from(comments)
      .where(eq(comments.id, Number(created.body.comment.id)));
    assert.equal(row!.body, "keep me");
  });

  it("returns 400 for an edit carrying a NUL character and keeps the comment unchanged", async () => {
    const { token } = await app.signIn();
    const created = await post(token, newKey(), { body: "keep me too" });
    const res = await app.request("PATCH", `/api/comments/${created.body.comment.id}`, {
      token,
      body: { body: "changed\u0000" },
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.details.field, "body");
    const [row] = await app.ctx.database.db
      .select()
      .from(comments)
      .where(eq(comments.id, Number(created.body.comment.id)));
    assert.equal(row!.body, "keep me too");
    assert.equal(row!.editedAt, null);
  });
});

describe("DELETE /api/comments/:id", () => {
  it("keeps the replies and shows the comment as deleted without its content", async () => {
    const { token } = await app.signIn();
    const { token: other } = await app.signIn();
    const key = newKey();
    const parent = await post(token, key, { body: "parent" });
    await post(other, key, { body: "child", parentId: parent.body.comment.id });
    const lonely = await post(token, key, { body: "no replies" });
    const del = await app.request("DELETE", `/api/comments/${parent.body.comment.id}`, { token });
    assert.equal(del.status, 200);
    assert.equal(del.body.comment.status, "deleted");
    await app.request("DELETE", `/api/comments/${lonely.body.comment.id}`, { token });
    const list = await app.request("GET", path(key));
    assert.equal(list.body.comments.length, 1, "a deleted comment without replies disappears");
    const [tombstone] = list.body.comments;
    assert.equal(tombstone.status, "deleted");
    assert.equal(tombstone.html, "");
    assert.equal(tombstone.author.name, "");
    assert.equal(tombstone.body, undefined);
    assert.equal(tombstone.replies[0].html, "<p>child</p>");
    assert.equal(list.body.thread.commentCount, 1);
  });

  it("deleting twice is harmless", async () => {
    const { token } = await app.signIn();
    const created = await post(token, newKey(), { body: "x" });
    const first = await app.request("DELETE", `/api/comments/${created.body.comment.id}`, {
      token,
    });
    const second = await app.request("DELETE", `/api/comments/${created.body.comment.id}`, {
      token,
    });
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.equal(second.body.comment.status, "deleted");
  });

  it("lets a moderator remove someone else's comment", async () => {
    const { token } = await app.signIn();
    const { token: mod } = await app.signIn({ roles: ["member", "moderator"] });
    const created = await post(token, newKey(), { body: "rude" });
    const res = await app.request("DELETE", `/api/comments/${created.body.comment.id}`, {
      token: mod,
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.comment.status, "removed");
  });
});

describe("replies on a page and GET /api/comments/:id", () => {
  it("shows the first replies of each top-level comment and counts the rest in moreReplies", async () => {
    const capped = await startTestApp({ env: { HEARTH_PAGE_REPLIES: "2" } });
    try {
      const { token } = await capped.signIn();
      const root = await capped.request("POST", path("capped"), { token, body: { body: "root" } });
      const rootId = root.body.comment.id;
      const replies: string[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await capped.request("POST", path("capped"), {
          token,
          body: { body: `reply ${i}`, parentId: i === 3 ? replies[0] : rootId },
        });
        replies.push(res.body.comment.id);
      }
      const page = await capped.request("GET", path("capped"));
      const [top] = page.body.comments;
      // Depth-first: reply 0, its child (reply 3), then replies 1 and 2.
      assert.deepEqual(
        top.replies.map((c: { id: string }) => c.id),
        [replies[0]],
      );
      assert.deepEqual(
        top.replies[0].replies.map((c: { id: string }) => c.id),
        [replies[3]],
      );
      assert.equal(top.moreReplies, 2);

      const full = await capped.request("GET", `/api/comments/${rootId}`);
      assert.equal(full.status, 200);
      assert.equal(full.body.comment.id, rootId);
      assert.equal(full.body.comment.moreReplies, 0);
      assert.deepEqual(
        full.body.comment.replies.map((c: { id: string }) => c.id),
        [replies[0], replies[1], replies[2]],
      );
      const sub = await capped.request("GET", `/api/comments/${replies[0]}`);
      assert.equal(sub.body.comment.parentId, rootId);
      assert.equal(sub.body.comment.rootId, rootId);
      assert.equal(sub.body.comment.replies[0].rootId, rootId);
      assert.equal(full.body.comment.rootId, null);
      assert.deepEqual(
        sub.body.comment.replies.map((c: { id: string }) => c.id),
        [replies[3]],
      );
    } finally {
      await capped.close();
    }
  });

  it("returns 404 for a comment that does not exist or that the reader may not see", async () => {
    assert.equal((await app.request("GET", "/api/comments/123456789")).status, 404);
    assert.equal((await app.request("GET", "/api/comments/x1")).status, 404);
  });

  it("shows a new comment on the next read at once, though pages are cached", async () => {
    const { token } = await app.signIn();
    const key = newKey();
    await post(token, key, { body: "first" });
    const before = await app.request("GET", path(key));
    assert.equal(before.body.comments.length, 1);
    await post(token, key, { body: "second" });
    const afterPost = await app.request("GET", path(key));
    assert.equal(afterPost.body.comments.length, 2);
    assert.equal(afterPost.body.thread.commentCount, 2);
    await app.request("POST", `/api/comments/${afterPost.body.comments[0].id}/reactions`, {
      token,
      body: { kind: "like" },
    });
    const afterReaction = await app.request("GET", path(key));
    assert.deepEqual(afterReaction.body.comments[0].reactions, { like: 1 });
  });

  it("gives the widget its settings with the 404 of an empty thread", async () => {
    const res = await app.request("GET", path("empty/so-far"));
    assert.equal(res.status, 404);
    assert.deepEqual(res.body.error.details.meta.reactions, [
      "like",
      "love",
      "laugh",
      "insightful",
    ]);
    assert.equal(res.body.error.details.meta.maxLength, 10_000);
  });
});
