import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import postgres from "postgres";
import { openDatabase } from "../../db/client.ts";
import { findComment } from "../../db/queries/comments.ts";
import { insertNotifications } from "../../db/queries/notifications.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { testDriver } from "../helpers/database.ts";
import { settleEvents } from "../helpers/settle.ts";
import { openSse } from "../helpers/sse.ts";

let app: TestApp;
before(async () => {
  app = await startTestApp({ env: { HEARTH_STREAM_HEARTBEAT: "1" } });
});
after(() => app.close());

let threadCounter = 0;
const newThread = () => `notify-${++threadCounter}-${Math.random().toString(36).slice(2, 8)}`;

async function post(token: string, key: string, body: string, parentId?: string) {
  const res = await app.request("POST", `/api/threads/${key}/comments`, {
    token,
    body: { body, parentId, url: `https://site.example/${key}` },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await settleEvents(app.ctx);
  return res.body.comment.id as string;
}

async function list(token: string, query = "") {
  const res = await app.request("GET", `/api/notifications${query}`, { token });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

describe("notifications", () => {
  it("tells the author of a comment about a reply, with a permalink, and not the replier", async () => {
    const anna = await app.signIn({ name: "Anna Reply" });
    const ben = await app.signIn({ name: "Ben Reply" });
    const key = newThread();
    const parent = await post(anna.token, key, "What do you think?");
    const reply = await post(ben.token, key, "I think *so*.", parent);
    const page = await list(anna.token);
    assert.equal(page.unread, 1);
    assert.equal(page.notifications.length, 1);
    const [n] = page.notifications;
    assert.equal(n.kind, "reply");
    assert.equal(n.actor.name, "Ben Reply");
    assert.equal(n.comment.id, reply);
    assert.equal(n.comment.excerpt, "I think so.");
    assert.equal(n.comment.url, `https://site.example/${key}#hearth-comment-${reply}`);
    assert.equal(n.thread.key, key);
    assert.equal((await list(ben.token)).notifications.length, 0);
  });

  it("notifies mentioned members once, and followers of the thread, but never the actor", async () => {
    const anna = await app.signIn({ name: "Anna Mention" });
    const ben = await app.signIn({ name: "Ben Mention" });
    const cleo = await app.signIn({ name: "Cleo Mention" });
    const key = newThread();
    await post(cleo.token, key, "Opening the thread");
    await post(
      ben.token,
      key,
      `Hello @${anna.member.handle} and @${anna.member.handle}, and me @${ben.member.handle}`,
    );
    const annaPage = await list(anna.token);
    assert.deepEqual(
      annaPage.notifications.map((n: { kind: string }) => n.kind),
      ["mention"],
    );
    const cleoPage = await list(cleo.token);
    assert.deepEqual(
      cleoPage.notifications.map((n: { kind: string }) => n.kind),
      ["thread"],
    );
    assert.equal((await list(ben.token)).notifications.length, 0);
  });

  it("follows and unfollows threads explicitly", async () => {
    const anna = await app.signIn();
    const ben = await app.signIn();
    const key = newThread();
    await post(ben.token, key, "first");
    let res = await app.request("PUT", `/api/threads/${key}/follow`, { token: anna.token });
    assert.deepEqual(res.body, { following: true });
    await post(ben.token, key, "second");
    assert.equal((await list(anna.token)).notifications.length, 1);
    res = await app.request("DELETE", `/api/threads/${key}/follow`, { token: anna.token });
    assert.deepEqual(res.body, { following: false });
    res = await app.request("GET", `/api/threads/${key}/follow`, { token: anna.token });
    assert.deepEqual(res.body, { following: false });
    await post(ben.token, key, "third");
    assert.equal((await list(anna.token)).notifications.length, 1);
  });

  it("tells followers only of comments posted after they followed, however late the event is handled", async () => {
    const anna = await app.signIn({ name: "Anna Early" });
    const ben = await app.signIn({ name: "Ben Later" });
    const key = newThread();
    await post(anna.token, key, "Opening the thread");
    // The comment's event waits (as it would behind a busy dispatcher) while Ben follows.
    await app.ctx.events.stop();
    try {
      const res = await app.request("POST", `/api/threads/${key}/comments`, {
        token: anna.token,
        body: { body: "Posted before Ben followed" },
      });
      assert.equal(res.status, 201);
      const follow = await app.request("PUT", `/api/threads/${key}/follow`, { token: ben.token });
      assert.deepEqual(follow.body, { following: true });
    } finally {
      app.ctx.events.start();
    }
    await settleEvents(app.ctx);
    assert.equal((await list(ben.token)).notifications.length, 0);
    await post(anna.token, key, "Posted after Ben followed");
    assert.deepEqual(
      (await list(ben.token)).notifications.map(
        (n: { kind: string; comment: { excerpt: string } }) => [n.kind, n.comment.excerpt],
      ),
      [["thread", "Posted after Ben followed"]],
    );
  });

  it("does not tell a replier about the comment they replied to when its event is handled after the reply's", {
    skip: testDriver !== "postgres" ? "needs PostgreSQL (two dispatchers at once)" : undefined,
  }, async () => {
    const anna = await app.signIn({ name: "Anna Asks" });
    const ben = await app.signIn({ name: "Ben Answers" });
    const key = newThread();
    const holder = postgres(app.testDatabase.url!, { max: 1, onnotice: () => {} });
    await app.ctx.events.stop();
    try {
      const parent = await app.request("POST", `/api/threads/${key}/comments`, {
        token: anna.token,
        body: { body: "A question" },
      });
      const reply = await app.request("POST", `/api/threads/${key}/comments`, {
        token: ben.token,
        body: { body: "An answer", parentId: parent.body.comment.id },
      });
      assert.equal(reply.status, 201);
      // Another process has claimed the question's event and is still handling it, so
      // this one handles the answer's event first.
      await holder.begin(async (sql) => {
        await sql`select id from events where comment_id = ${Number(parent.body.comment.id)} for update`;
        assert.equal(await app.ctx.events.drain(), 1);
      });
      assert.equal(await app.ctx.events.drain(), 1);
    } finally {
      app.ctx.events.start();
      await holder.end({ timeout: 5 });
    }
    assert.equal((await list(ben.token)).notifications.length, 0);
    assert.deepEqual(
      (await list(anna.token)).notifications.map((n: { kind: string }) => n.kind),
      ["reply"],
    );
  });

  it("stays silent about members one muted, until unmuted", async () => {
    const anna = await app.signIn();
    const ben = await app.signIn();
    const key = newThread();
    const parent = await post(anna.token, key, "mine");
    let res = await app.request("PUT", `/api/members/${ben.member.handle}/mute`, {
      token: anna.token,
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.muted, true);
    res = await app.request("GET", "/api/members/mutes", { token: anna.token });
    assert.deepEqual(
      res.body.muted.map((m: { handle: string }) => m.handle),
      [ben.member.handle],
    );
    await post(ben.token, key, "muted reply", parent);
    assert.equal((await list(anna.token)).notifications.length, 0);
    await app.request("DELETE", `/api/members/${ben.member.handle}/mute`, { token: anna.token });
    await post(ben.token, key, "audible reply", parent);
    assert.equal((await list(anna.token)).notifications.length, 1);
    res = await app.request("PUT", `/api/members/no-such-handle-xyz/mute`, { token: anna.token });
    assert.equal(res.status, 404);
  });

  it("tells no one about content they cannot see: held comments, threads of another tier", async () => {
    const anna = await app.signIn({ tiers: ["gold"] });
    const ben = await app.signIn({ tiers: ["gold"] });
    const key = newThread();
    const parent = await post(anna.token, key, "gold thread opener");
    const settings = await app.request("PUT", `/api/threads/${key}`, {
      headers: { authorization: "Bearer test-api-key-0123456789abcdef" },
      body: { read: ["gold"], write: ["gold"] },
    });
    assert.equal(settings.status, 200, JSON.stringify(settings.body));
    // Anna loses the gold tier at her next sign-in: replies there no longer reach her.
    await app.signIn({ sub: undefined });
    const annaAgain = await app.request("POST", "/api/session", {
      body: {
        token: await (await import("../helpers/tokens.ts")).signHostToken({
          sub: await subjectOf(anna.member.id),
          tiers: [],
        }),
      },
    });
    assert.equal(annaAgain.status, 200);
    await post(ben.token, key, "a gold reply", parent);
    assert.equal((await list(anna.token)).notifications.length, 0);

    const key2 = newThread();
    const cleo = await app.signIn();
    const p2 = await post(cleo.token, key2, "open thread");
    await app.request("PUT", `/api/threads/${key2}`, {
      headers: { authorization: "Bearer test-api-key-0123456789abcdef" },
      body: { premoderated: true },
    });
    const dan = await app.signIn();
    const held = await app.request("POST", `/api/threads/${key2}/comments`, {
      token: dan.token,
      body: { body: "held reply", parentId: p2 },
    });
    assert.equal(held.body.comment.status, "held");
    await settleEvents(app.ctx);
    assert.equal((await list(cleo.token)).notifications.length, 0);
  });

  it("groups reactions to one comment: Anna and 2 others", async () => {
    const author = await app.signIn();
    const key = newThread();
    const id = await post(author.token, key, "react to me");
    const names = ["Anna Group", "Ben Group", "Cleo Group"];
    for (const name of names) {
      const m = await app.signIn({ name });
      const res = await app.request("POST", `/api/comments/${id}/reactions`, {
        token: m.token,
        body: { kind: "like" },
      });
      assert.equal(res.status, 200);
    }
    await settleEvents(app.ctx);
    const page = await list(author.token);
    assert.equal(page.unread, 3);
    assert.equal(page.notifications.length, 1);
    const [group] = page.notifications;
    assert.equal(group.kind, "reaction");
    assert.equal(group.reaction, "like");
    assert.equal(group.actorCount, 3);
    assert.equal(group.ids.length, 3);
    assert.equal(group.actors[0].name, "Cleo Group");
    const read = await app.request("POST", "/api/notifications/read", {
      token: author.token,
      body: { ids: group.ids },
    });
    assert.deepEqual(read.body, { marked: 3, unread: 0 });
  });

  it("keeps a busy followed thread to one unread notification until the member reads it", async () => {
    const anna = await app.signIn({ name: "Anna Follows" });
    const ben = await app.signIn({ name: "Ben Busy" });
    const key = newThread();
    const own = await post(anna.token, key, "Anna opens the thread");
    const first = await post(ben.token, key, "busy 1");
    await post(ben.token, key, "busy 2");
    await post(ben.token, key, "busy 3");
    let page = await list(anna.token);
    assert.deepEqual(
      page.notifications.map((n: { kind: string; comment: { id: string } }) => [
        n.kind,
        n.comment.id,
      ]),
      [["thread", first]],
    );
    assert.equal(page.unread, 1);
    // A reply is its own notification, whatever the thread's.
    const reply = await post(ben.token, key, "answering Anna", own);
    page = await list(anna.token);
    assert.deepEqual(
      page.notifications.map((n: { kind: string; comment: { id: string } }) => [
        n.kind,
        n.comment.id,
      ]),
      [
        ["reply", reply],
        ["thread", first],
      ],
    );
    const read = await app.request("POST", "/api/notifications/read", {
      token: anna.token,
      body: { all: true },
    });
    assert.equal(read.status, 200);
    const after = await post(ben.token, key, "busy 4");
    await post(ben.token, key, "busy 5");
    page = await list(anna.token);
    assert.equal(page.unread, 1);
    assert.deepEqual(
      page.notifications.map((n: { kind: string; comment: { id: string } }) => [
        n.kind,
        n.comment.id,
      ]),
      [
        ["thread", after],
        ["reply", reply],
        ["thread", first],
      ],
    );
  });

  it("notifies from a backlog of events handled in one batch as it would one at a time", async () => {
    const anna = await app.signIn({ name: "Anna Batch" });
    const ben = await app.signIn({ name: "Ben Batch" });
    const cleo = await app.signIn({ name: "Cleo Batch" });
    const dan = await app.signIn({ name: "Dan Batch" });
    const eve = await app.signIn({ name: "Eve Batch" });
    const key = newThread();
    const opener = await post(anna.token, key, "Anna opens");
    const muted = await app.request("PUT", `/api/members/${dan.member.handle}/mute`, {
      token: anna.token,
    });
    assert.equal(muted.status, 200);
    const ids: Record<string, string> = {};
    await app.ctx.events.stop();
    try {
      const send = async (name: string, token: string, body: string, parentId?: string) => {
        const res = await app.request("POST", `/api/threads/${key}/comments`, {
          token,
          body: { body, parentId },
        });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        ids[name] = res.body.comment.id;
      };
      await send("benReply", ben.token, "Ben answers Anna", opener);
      await send("cleoMention", cleo.token, `Cleo asks @${anna.member.handle}`);
      await send("danReply", dan.token, "Dan answers Anna", opener);
      await send("eveTop", eve.token, "Eve joins");
      await send("benTop", ben.token, "Ben again");
    } finally {
      app.ctx.events.start();
    }
    await settleEvents(app.ctx);
    const kinds = async (token: string) =>
      (await list(token)).notifications.map((n: { kind: string; comment: { id: string } }) => [
        n.kind,
        n.comment.id,
      ]);
    // Anna: the reply and the mention; Dan's reply is muted; Eve's comment is the thread's
    // one unread notification, so Ben's second comment adds none.
    assert.deepEqual(await kinds(anna.token), [
      ["thread", ids.eveTop],
      ["mention", ids.cleoMention],
      ["reply", ids.benReply],
    ]);
    // Ben followed with his reply: he hears of the next comment only, and not of his own.
    assert.deepEqual(await kinds(ben.token), [["thread", ids.cleoMention]]);
    // Eve followed with her comment, after everything but Ben's second one.
    assert.deepEqual(await kinds(eve.token), [["thread", ids.benTop]]);
    // Dan hears of Eve's comment (after his), not of Anna's mute.
    assert.deepEqual(await kinds(dan.token), [["thread", ids.eveTop]]);
  });

  it("lists with a cursor, counts unread, marks one and all read", async () => {
    const anna = await app.signIn();
    const ben = await app.signIn();
    const key = newThread();
    const parent = await post(anna.token, key, "parent");
    for (let i = 0; i < 5; i++) await post(ben.token, key, `reply ${i}`, parent);
    const first = await list(anna.token, "?limit=2");
    assert.equal(first.notifications.length, 2);
    assert.equal(first.unread, 5);
    assert.equal(first.notifications[0].comment.excerpt, "reply 4");
    const second = await list(anna.token, `?limit=2&cursor=${first.nextCursor}`);
    assert.equal(second.notifications[0].comment.excerpt, "reply 2");
    const third = await list(anna.token, `?limit=2&cursor=${second.nextCursor}`);
    assert.equal(third.notifications.length, 1);
    assert.equal(third.nextCursor, null);
    let res = await app.request("POST", `/api/notifications/${first.notifications[0].id}/read`, {
      token: anna.token,
    });
    assert.deepEqual(res.body, { marked: 1, unread: 4 });
    res = await app.request("GET", "/api/notifications/unread-count", { token: anna.token });
    assert.deepEqual(res.body, { unread: 4 });
    assert.equal((await list(anna.token, "?unread=1")).notifications.length, 4);
    res = await app.request("POST", "/api/notifications/read", {
      token: anna.token,
      body: { all: true },
    });
    assert.deepEqual(res.body, { marked: 4, unread: 0 });
    // Someone else's notification cannot be marked.
    res = await app.request("POST", `/api/notifications/${first.notifications[1].id}/read`, {
      token: ben.token,
    });
    assert.deepEqual(res.body, { marked: 0, unread: 0 });
    res = await app.request("GET", "/api/notifications");
    assert.equal(res.status, 401);
  });

  it("tells authors the outcome of moderation", async () => {
    const anna = await app.signIn();
    const mod = await app.signIn({ roles: ["moderator"] });
    const key = newThread();
    const id = await post(anna.token, key, "borderline");
    const res = await app.request("DELETE", `/api/comments/${id}`, { token: mod.token });
    assert.equal(res.status, 200);
    await settleEvents(app.ctx);
    const page = await list(anna.token);
    assert.equal(page.notifications[0].kind, "moderation");
    assert.equal(page.notifications[0].outcome, "removed");
    assert.equal(page.notifications[0].actor, null);
  });

  it("suggests handles by prefix for the composer", async () => {
    const stamp = Math.random().toString(36).slice(2, 7);
    const a = await app.signIn({ name: `Zed ${stamp} One` });
    await app.signIn({ name: `Zed ${stamp} Two` });
    const res = await app.request("GET", `/api/members/handles?prefix=zed-${stamp}`, {
      token: a.token,
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.members.map((m: { handle: string }) => m.handle).sort(), [
      `zed-${stamp}-one`,
      `zed-${stamp}-two`,
    ]);
    assert.equal(res.body.members[0].email, undefined);
    const bad = await app.request("GET", "/api/members/handles?prefix=%25%25", { token: a.token });
    assert.equal(bad.status, 400);
  });
});

describe("notification preferences", () => {
  it("has defaults and saves changes", async () => {
    const anna = await app.signIn();
    let res = await app.request("GET", "/api/notifications/preferences", { token: anna.token });
    assert.deepEqual(res.body.email, {
      reply: "immediate",
      mention: "immediate",
      thread: "digest",
      reaction: "off",
      moderation: "immediate",
    });
    res = await app.request("PUT", "/api/notifications/preferences", {
      token: anna.token,
      body: { email: { reply: "digest", thread: "off" } },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.email.reply, "digest");
    assert.equal(res.body.email.thread, "off");
    assert.equal(res.body.email.mention, "immediate");
  });

  it("refuses unknown keys or values with 422 and changes nothing", async () => {
    const anna = await app.signIn();
    for (const body of [
      { email: { reply: "hourly" } },
      { email: { likes: "off" } },
      { push: { reply: "off" } },
      { email: "off" },
    ]) {
      const res = await app.request("PUT", "/api/notifications/preferences", {
        token: anna.token,
        body: { ...body },
      });
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.equal(res.body.error.code, "invalid_preferences");
    }
    const res = await app.request("GET", "/api/notifications/preferences", { token: anna.token });
    assert.equal(res.body.email.reply, "immediate");
  });
});

describe("notification stream", () => {
  it("delivers live notifications with a ticket, sends heartbeats, and resumes after Last-Event-ID", async () => {
    const anna = await app.signIn();
    const ben = await app.signIn();
    const key = newThread();
    const parent = await post(anna.token, key, "stream parent");
    const ticket = await app.request("POST", "/api/notifications/ticket", { token: anna.token });
    assert.equal(ticket.status, 200);
    const stream = await openSse(
      `${app.url}/api/notifications/stream?ticket=${ticket.body.ticket}`,
    );
    assert.equal(stream.status, 200);
    const ready = await stream.next((e) => e.event === "ready");
    assert.deepEqual(JSON.parse(ready.data), { unread: 0 });
    const reply = await post(ben.token, key, "live reply", parent);
    const live = await stream.next((e) => e.event === "notification");
    const data = JSON.parse(live.data);
    assert.equal(data.notification.comment.id, reply);
    assert.equal(data.unread, 1);
    await new Promise((r) => setTimeout(r, 1300));
    assert.ok(stream.comments >= 1, "a heartbeat arrived");
    stream.close();

    await post(ben.token, key, "missed 1", parent);
    await post(ben.token, key, "missed 2", parent);
    const resumed = await openSse(`${app.url}/api/notifications/stream`, {
      authorization: `Bearer ${anna.token}`,
      "last-event-id": live.id!,
    });
    const a = await resumed.next((e) => e.event === "notification");
    const b = await resumed.next((e) => e.event === "notification" && e.id !== a.id);
    assert.deepEqual(
      [a, b].map((e) => JSON.parse(e.data).notification.comment.excerpt),
      ["missed 1", "missed 2"],
    );
    resumed.close();
  });

  it("lets no notification commit behind one with a higher id, so a stream or a resume after Last-Event-ID misses none", {
    skip: testDriver !== "postgres" ? "needs PostgreSQL (two dispatchers at once)" : undefined,
  }, async () => {
    const anna = await app.signIn();
    const commentId = Number(await post(anna.token, newThread(), "noticed by two dispatchers"));
    const comment = await findComment(app.ctx.database.db, commentId);
    const notice = (eventId: number) => ({
      memberId: anna.member.id,
      kind: "reply" as const,
      eventId,
      threadId: comment!.threadId,
      commentId,
    });
    // A second process's dispatcher, on its own connection pool.
    const other = await openDatabase({ databaseUrl: app.testDatabase.url! });
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let firstId = 0;
      const first = app.ctx.database.db.transaction(async (tx) => {
        const [written] = await insertNotifications(tx, [notice(990_000_001)]);
        firstId = written!.id;
        await held;
      });
      while (firstId === 0) await new Promise((r) => setTimeout(r, 10));
      let secondCommitted = false;
      const second = other.db
        .transaction((tx) => insertNotifications(tx, [notice(990_000_002)]))
        .then(([written]) => {
          secondCommitted = true;
          return written!.id;
        });
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(secondCommitted, false, "the second writer waits for the first to commit");
      release();
      await first;
      assert.ok((await second) > firstId, "the later commit has the higher id");
    } finally {
      await other.close();
    }
  });

  it("refuses an expired or forged ticket and an expired session with 401", async () => {
    const anna = await app.signIn();
    const ticket = await app.request("POST", "/api/notifications/ticket", { token: anna.token });
    const forged = await fetch(`${app.url}/api/notifications/stream?ticket=${ticket.body.ticket}x`);
    assert.equal(forged.status, 401);
    await forged.text();
    app.clock.offsetMs = 120_000;
    try {
      const expired = await fetch(
        `${app.url}/api/notifications/stream?ticket=${ticket.body.ticket}`,
      );
      assert.equal(expired.status, 401);
      assert.equal((await expired.json()).error.code, "ticket_expired");
      app.clock.offsetMs = 13 * 3600_000;
      const session = await fetch(`${app.url}/api/notifications/stream`, {
        headers: { authorization: `Bearer ${anna.token}` },
      });
      assert.equal(session.status, 401);
      assert.equal((await session.json()).error.code, "token_expired");
    } finally {
      app.clock.offsetMs = 0;
    }
    const none = await fetch(`${app.url}/api/notifications/stream`);
    assert.equal(none.status, 401);
    await none.text();
  });

  it("closes an open stream when the session behind it expires", async () => {
    const anna = await app.signIn();
    const ticket = await app.request("POST", "/api/notifications/ticket", { token: anna.token });
    const expiresAt = Date.parse(ticket.body.expiresAt);
    assert.ok(expiresAt > Date.now());
    // Move the clock to 1.5 s before the session's end; the stream must end by itself.
    const { exp } = JSON.parse(Buffer.from(anna.token.split(".")[1]!, "base64url").toString());
    app.clock.offsetMs = exp * 1000 - Date.now() - 1500;
    try {
      const t2 = await app.request("POST", "/api/notifications/ticket", { token: anna.token });
      const stream = await openSse(`${app.url}/api/notifications/stream?ticket=${t2.body.ticket}`);
      assert.equal(stream.status, 200);
      const expired = await stream.next((e) => e.event === "expired", 5000);
      assert.equal(JSON.parse(expired.data).code, "token_expired");
      await stream.closed;
    } finally {
      app.clock.offsetMs = 0;
    }
  });
});

async function subjectOf(memberId: string): Promise<string> {
  const row = await app.ctx.database.db.query.members.findFirst({
    where: (m, { eq }) => eq(m.id, memberId),
  });
  return row!.subject;
}
