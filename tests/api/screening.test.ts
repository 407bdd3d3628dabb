import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { solveChallenge } from "altcha-lib/v1";
import { eq } from "drizzle-orm";
import { selectEvents } from "../../db/queries/events.ts";
import { screeningChallenges, screeningSignups } from "../../db/schema.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { startHearthChild } from "../helpers/child.ts";
import { testDriver } from "../helpers/database.ts";
import { signHostToken } from "../helpers/tokens.ts";

const API_KEY = "test-api-key-0123456789abcdef";

/** A stand-in for StopForumSpam on 127.0.0.1: lists one email, hangs for another. */
let fake: Server;
let fakeUrl: string;
let app: TestApp;
let mod: { token: string; member: { id: string } };

before(async () => {
  fake = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const email = url.searchParams.get("email");
    if (email === "slow@example.org") return; // never answers
    res.setHeader("content-type", "application/json");
    res.end(
      JSON.stringify({
        success: 1,
        email: email === "listed@example.org" ? { appears: 1, confidence: 97.5 } : { appears: 0 },
      }),
    );
  });
  await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/api`;
  app = await startTestApp({
    env: {
      HEARTH_POSTS_PER_MINUTE: "0",
      HEARTH_TRUST_AFTER: "2",
      HEARTH_SCREEN_STOPFORUMSPAM: "1",
      HEARTH_STOPFORUMSPAM_URL: fakeUrl,
      HEARTH_OUTBOUND_ALLOW_HOSTS: "127.0.0.1",
      HEARTH_SCREEN_TIMEOUT_MS: "300",
      HEARTH_SCREEN_POW_MAX: "2000",
    },
  });
  mod = await app.signIn({ roles: ["member", "moderator"] });
});
after(async () => {
  await app.close();
  fake.closeAllConnections();
  await new Promise((resolve) => fake.close(resolve));
});

async function session(
  tokenOptions: Parameters<typeof signHostToken>[0],
  screening?: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return app.request("POST", "/api/session", {
    body: { token: await signHostToken(tokenOptions), ...(screening ? { screening } : {}) },
    headers,
  });
}

async function solved(): Promise<string> {
  const challenge = (await app.request("GET", "/api/screen/challenge")).body;
  assert.equal(challenge.algorithm, "SHA-256");
  const solution = await solveChallenge(challenge.challenge, challenge.salt, "SHA-256", 2000)
    .promise;
  assert.ok(solution);
  return Buffer.from(
    JSON.stringify({
      algorithm: challenge.algorithm,
      challenge: challenge.challenge,
      number: solution.number,
      salt: challenge.salt,
      signature: challenge.signature,
    }),
  ).toString("base64");
}

describe("POST /api/screen/signup", () => {
  it("answers 401 without the API key", async () => {
    const res = await app.request("POST", "/api/screen/signup", { body: { email: "a@b.org" } });
    assert.equal(res.status, 401);
    const wrong = await app.request("POST", "/api/screen/signup", {
      body: { email: "a@b.org" },
      headers: { authorization: "Bearer not-the-key-000000000000000" },
    });
    assert.equal(wrong.status, 401);
  });

  it("answers 422 for malformed fields", async () => {
    for (const body of [
      { email: "not an email" },
      { ip: "999.1.1.1" },
      { elapsedMs: "fast" },
      { elapsedMs: -5 },
      { name: 42 },
      { surprise: true },
    ]) {
      const res = await app.request("POST", "/api/screen/signup", {
        body,
        headers: { authorization: `Bearer ${API_KEY}` },
      });
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.equal(res.body.error.code, "validation_failed");
    }
  });

  it("allows an ordinary signup and scores a bot-like one with reasons", async () => {
    const person = await app.request("POST", "/api/screen/signup", {
      headers: { authorization: `Bearer ${API_KEY}` },
      body: { email: "maria.gonzalez@gmail.com", name: "María González", elapsedMs: 14_000 },
    });
    assert.equal(person.status, 200);
    assert.deepEqual(person.body, { verdict: "allow", score: 0, reasons: [] });
    const bot = await app.request("POST", "/api/screen/signup", {
      headers: { authorization: `Bearer ${API_KEY}` },
      body: {
        email: "xkq8zt2v@mailinator.com",
        name: "xkqzt8v2wq",
        elapsedMs: 300,
        honeypot: "http://spam.example",
      },
    });
    assert.equal(bot.body.verdict, "block");
    const signals = bot.body.reasons.map((r: { signal: string }) => r.signal).sort();
    assert.deepEqual(signals, ["disposable_email", "honeypot", "improbable_name", "timing"]);
    assert.ok(bot.body.reasons.every((r: { message: string }) => r.message.length > 0));
  });

  it("counts a StopForumSpam listing and never blocks when the service hangs", async () => {
    const listed = await app.request("POST", "/api/screen/signup", {
      headers: { authorization: `Bearer ${API_KEY}` },
      body: { email: "listed@example.org", name: "Lisa Listed" },
    });
    assert.equal(listed.body.reasons[0].signal, "stopforumspam");
    assert.equal(listed.body.verdict, "review");
    const started = Date.now();
    const slow = await app.request("POST", "/api/screen/signup", {
      headers: { authorization: `Bearer ${API_KEY}` },
      body: { email: "slow@example.org", name: "Sam Slow" },
    });
    assert.equal(slow.status, 200);
    assert.equal(slow.body.verdict, "allow");
    assert.ok(Date.now() - started < 3000);
  });
});

describe("screening at the first session", () => {
  it("blocks a filled honeypot with 403 signup_blocked, again later, until a moderator approves", async () => {
    const sub = `honeypot-${Date.now()}`;
    const res = await session({ sub, name: "Bot Honey" }, { honeypot: "gotcha", elapsedMs: 9000 });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, "signup_blocked");
    const again = await session({ sub, name: "Bot Honey" });
    assert.equal(again.status, 403);
    const members = await app.ctx.database.db.query.members.findFirst({
      where: (m, { eq }) => eq(m.subject, sub),
    });
    assert.ok(members);
    const detail = await app.request("GET", `/api/mod/members/${members.id}`, { token: mod.token });
    assert.equal(detail.body.moderation.screening.verdict, "block");
    assert.equal(detail.body.moderation.screening.reasons[0].signal, "honeypot");
    await app.request("POST", `/api/mod/members/${members.id}/approve`, { token: mod.token });
    const allowed = await session({ sub, name: "Bot Honey" });
    assert.equal(allowed.status, 200);
  });

  it("accepts a solved proof-of-work once", async () => {
    const altcha = await solved();
    const first = await session(
      { name: "Paula Worker", email: "paula@example.org" },
      { altcha, elapsedMs: 8000 },
    );
    assert.equal(first.status, 200);
    const detail = await app.request("GET", `/api/mod/members/${first.body.member.id}`, {
      token: mod.token,
    });
    assert.deepEqual(
      detail.body.moderation.screening.reasons.map((r: { signal: string; score: number }) => [
        r.signal,
        r.score,
      ]),
      [["proof_of_work", -10]],
    );
    const replay = await app.request("POST", "/api/screen/signup", {
      headers: { authorization: `Bearer ${API_KEY}` },
      body: { altcha },
    });
    assert.equal(replay.body.reasons[0].message, "The proof-of-work was already used.");
    const again = await session({ name: "Pablo Again" }, { altcha, elapsedMs: 8000 });
    assert.equal(again.status, 200);
    const againDetail = await app.request("GET", `/api/mod/members/${again.body.member.id}`, {
      token: mod.token,
    });
    assert.deepEqual(againDetail.body.moderation.screening.reasons, [
      { signal: "proof_of_work", score: 40, message: "The proof-of-work was already used." },
    ]);
  });

  it("refuses a solved proof-of-work replayed to another Hearth on the same database", async () => {
    const other = await startTestApp({
      database: app.testDatabase,
      env: { HEARTH_POSTS_PER_MINUTE: "0", HEARTH_SCREEN_POW_MAX: "2000" },
    });
    try {
      const altcha = await solved();
      const first = await session({ name: "Petra Once" }, { altcha, elapsedMs: 8000 });
      assert.equal(first.status, 200);
      const replay = await other.request("POST", "/api/screen/signup", {
        headers: { authorization: `Bearer ${API_KEY}` },
        body: { altcha },
      });
      assert.equal(replay.status, 200);
      assert.deepEqual(replay.body.reasons, [
        { signal: "proof_of_work", score: 40, message: "The proof-of-work was already used." },
      ]);
      // A fresh challenge from the second instance is accepted there, and then not here.
      const challenge = (await other.request("GET", "/api/screen/challenge")).body;
      const solution = await solveChallenge(challenge.challenge, challenge.salt, "SHA-256", 2000)
        .promise;
      const fresh = Buffer.from(
        JSON.stringify({ ...challenge, number: solution?.number }),
      ).toString("base64");
      const there = await other.request("POST", "/api/session", {
        body: {
          token: await signHostToken({ name: "Pia There" }),
          screening: { altcha: fresh, elapsedMs: 8000 },
        },
      });
      assert.equal(there.status, 200);
      const here = await app.request("POST", "/api/screen/signup", {
        headers: { authorization: `Bearer ${API_KEY}` },
        body: { altcha: fresh },
      });
      assert.equal(here.body.reasons[0].message, "The proof-of-work was already used.");
    } finally {
      await other.close();
    }
  });

  it("clears expired proof-of-work challenges and old signups as screening goes on", async () => {
    const db = app.ctx.database.db;
    const now = Date.now();
    await db.insert(screeningChallenges).values([
      { signature: "expired-challenge", expiresAt: new Date(now - 60_000) },
      { signature: "live-challenge", expiresAt: new Date(now + 3600_000) },
    ]);
    await db.insert(screeningSignups).values({
      ip: "203.0.113.9",
      subnet: "203.0.113.0/24",
      createdAt: new Date(now - 25 * 3600_000),
    });
    // A process clears them at most every ten minutes: move its clock past that.
    app.clock.offsetMs = 11 * 60_000;
    try {
      const res = await session(
        { name: "Carla Clean", issuedAgo: -11 * 60, expiresIn: 3600 },
        { elapsedMs: 8000 },
      );
      assert.equal(res.status, 200);
    } finally {
      app.clock.offsetMs = 0;
    }
    const left = await db.select().from(screeningChallenges);
    const signatures = left.map((row) => row.signature);
    assert.ok(!signatures.includes("expired-challenge"));
    assert.ok(signatures.includes("live-challenge"));
    const old = await db
      .select()
      .from(screeningSignups)
      .where(eq(screeningSignups.ip, "203.0.113.9"));
    assert.deepEqual(old, []);
  });

  it("accepts one of several first sessions sending the same proof-of-work at once", async () => {
    const altcha = await solved();
    const results = await Promise.all(
      ["Rosa Race", "Ravi Race", "Rhea Race", "Remo Race"].map((name) =>
        session({ name }, { altcha, elapsedMs: 8000 }),
      ),
    );
    const messages: string[] = [];
    for (const res of results) {
      assert.equal(res.status, 200);
      const detail = await app.request("GET", `/api/mod/members/${res.body.member.id}`, {
        token: mod.token,
      });
      const pow = detail.body.moderation.screening.reasons.find(
        (r: { signal: string }) => r.signal === "proof_of_work",
      );
      messages.push(pow.message);
    }
    assert.deepEqual(messages.sort(), [
      "Solved the proof-of-work.",
      "The proof-of-work was already used.",
      "The proof-of-work was already used.",
      "The proof-of-work was already used.",
    ]);
  });

  it("refuses a solved proof-of-work replayed to a second Hearth process", {
    skip: testDriver !== "postgres" ? "needs PostgreSQL (several processes)" : undefined,
  }, async () => {
    const child = await startHearthChild({
      DATABASE_URL: app.testDatabase.url!,
      HEARTH_SCREEN_POW_MAX: "2000",
    });
    try {
      const altcha = await solved();
      const screen = (url: string) =>
        fetch(`${url}/api/screen/signup`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
          body: JSON.stringify({ altcha }),
        }).then((r) => r.json() as Promise<{ reasons: { message: string }[] }>);
      assert.equal((await screen(child.url)).reasons[0]?.message, "Solved the proof-of-work.");
      assert.equal(
        (await screen(app.url)).reasons[0]?.message,
        "The proof-of-work was already used.",
      );
      assert.equal(
        (await screen(child.url)).reasons[0]?.message,
        "The proof-of-work was already used.",
      );
    } finally {
      await child.kill();
    }
  });

  it("queues a review-verdict account and holds its comments until it earns trust", async () => {
    const res = await session(
      { name: "Quinn Quick", email: "quinn@mailinator.com" },
      { elapsedMs: 10_000 },
    );
    assert.equal(res.status, 200);
    const token = res.body.session.token as string;
    const id = res.body.member.id as string;
    const queue = await app.request("GET", "/api/mod/queue?reason=signup", { token: mod.token });
    assert.equal(queue.status, 200, JSON.stringify(queue.body));
    const item = queue.body.items.find((i: { author: { id: string } }) => i.author.id === id);
    assert.equal(item.kind, "member");
    assert.equal(item.author.screening.verdict, "review");
    assert.ok(
      item.author.screening.reasons.some(
        (r: { signal: string }) => r.signal === "disposable_email",
      ),
    );

    const post = (body: string) =>
      app.request("POST", "/api/threads/screen-trust/comments", { token, body: { body } });
    const first = await post("My first thoughts on this article.");
    assert.equal(first.body.comment.status, "held");
    const second = await post("And a second thought.");
    assert.equal(second.body.comment.status, "held");
    for (const c of [first, second])
      await app.request("POST", `/api/mod/comments/${c.body.comment.id}/approve`, {
        token: mod.token,
      });
    const third = await post("Now I post freely.");
    assert.equal(third.body.comment.status, "published");
  });

  it("publishes the comments screening held when a moderator approves the account, and only those", async () => {
    const admin = await app.signIn({ name: "Ada Approver", roles: ["member", "admin"] });
    const filter = await app.request("POST", "/api/mod/filters", {
      token: admin.token,
      body: { kind: "word", pattern: "zorblax", action: "hold" },
    });
    assert.equal(filter.status, 201);
    await app.request("PUT", "/api/threads/screen-approve-pre", {
      headers: { authorization: `Bearer ${API_KEY}` },
      body: { premoderated: true },
    });
    const res = await session(
      { name: "Vera Review", email: "vera@mailinator.com" },
      { elapsedMs: 10_000 },
    );
    assert.equal(res.status, 200);
    const token = res.body.session.token as string;
    const id = res.body.member.id as string;
    const post = async (key: string, body: string) => {
      const posted = await app.request("POST", `/api/threads/${key}/comments`, {
        token,
        body: { body },
      });
      assert.equal(posted.status, 201, JSON.stringify(posted.body));
      assert.equal(posted.body.comment.status, "held");
      return posted.body.comment.id as string;
    };
    const plain = await post("screen-approve", "Thanks for writing this up, it helped me.");
    const premoderated = await post("screen-approve-pre", "A thought in a pre-moderated thread.");
    const filtered = await post("screen-approve", "This has the zorblax word in it.");
    const later = await post("screen-approve", "And one more, past the screened first ones.");

    // A second account whose own first post screening blocked: that comment stays held.
    const spammer = await session(
      { name: "Sid Spam", email: "sid@mailinator.com" },
      { elapsedMs: 10_000 },
    );
    const spamToken = spammer.body.session.token as string;
    const fine = await app.request("POST", "/api/threads/screen-approve/comments", {
      token: spamToken,
      body: { body: "Hello everyone, glad to be here." },
    });
    const spam = await app.request("POST", "/api/threads/screen-approve/comments", {
      token: spamToken,
      body: {
        body: "Cheap followers https://a.example https://b.example https://c.example click here",
      },
    });
    assert.equal(spam.body.comment.status, "held");

    const approved = await app.request("POST", `/api/mod/members/${id}/approve`, {
      token: mod.token,
    });
    assert.equal(approved.status, 200);
    assert.equal(approved.body.changed, true);
    assert.deepEqual(approved.body.publishedComments, [plain, later]);
    const status = async (commentId: string) =>
      (await app.request("GET", `/api/comments/${commentId}`, { token: mod.token })).body.comment
        .status;
    assert.equal(await status(plain), "published");
    assert.equal(await status(later), "published");
    assert.equal(await status(premoderated), "held");
    assert.equal(await status(filtered), "held");
    const page = await app.request("GET", "/api/threads/screen-approve/comments");
    const visible = page.body.comments.map((c: { id: string }) => c.id);
    assert.ok(visible.includes(plain) && visible.includes(later) && !visible.includes(filtered));

    // The queue keeps the others, each under the reason that still holds it.
    const queue = await app.request("GET", "/api/mod/queue?limit=100", { token: mod.token });
    const reasonOf = (commentId: string) =>
      queue.body.items.find((i: { comment: { id: string } | null }) => i.comment?.id === commentId)
        ?.reason;
    assert.equal(reasonOf(plain), undefined);
    assert.equal(reasonOf(later), undefined);
    assert.equal(reasonOf(premoderated), "premoderation");
    assert.equal(reasonOf(filtered), "word_filter");

    // Audited on the account and on each comment; recorded as approvals for notifications
    // and federation.
    const audit = (await app.request("GET", "/api/mod/audit?limit=100", { token: mod.token })).body
      .entries as {
      action: string;
      target: { id: string };
      after: Record<string, unknown>;
    }[];
    const accountEntry = audit.find((e) => e.action === "member.approve" && e.target.id === id);
    assert.deepEqual(accountEntry?.after.publishedComments, [plain, later]);
    assert.deepEqual(accountEntry?.after.stillHeld, [{ id: filtered, reason: "word_filter" }]);
    for (const commentId of [plain, later]) {
      assert.deepEqual(
        audit.filter((e) => e.target.id === commentId).map((e) => e.action),
        ["comment.approve"],
      );
      const events = await selectEvents(app.ctx.database.db, { commentId: Number(commentId) });
      const approval = events.find((e) => e.type === "comment.approved");
      assert.equal(approval?.actorId, mod.member.id);
      assert.equal(approval?.payload.authorId, id);
    }
    for (const commentId of [premoderated, filtered]) {
      const events = await selectEvents(app.ctx.database.db, { commentId: Number(commentId) });
      assert.ok(!events.some((e) => e.type === "comment.approved"));
    }
    const detail = await app.request("GET", `/api/mod/members/${id}`, { token: mod.token });
    assert.equal(detail.body.moderation.approvedComments, 2);

    // Approving again changes nothing.
    const again = await app.request("POST", `/api/mod/members/${id}/approve`, {
      token: mod.token,
    });
    assert.equal(again.body.changed, false);
    assert.deepEqual(again.body.publishedComments, []);

    // The spammer's approval publishes the ordinary post, not the one screening blocked.
    const spamApproved = await app.request(
      "POST",
      `/api/mod/members/${spammer.body.member.id}/approve`,
      { token: mod.token },
    );
    assert.deepEqual(spamApproved.body.publishedComments, [fine.body.comment.id]);
    assert.equal(await status(spam.body.comment.id), "held");
    await app.request("DELETE", `/api/mod/filters/${filter.body.filter.id}`, {
      token: admin.token,
    });
  });

  it("keeps a banned member's held comments held when the account is approved, until unbanned", async () => {
    const res = await session(
      { name: "Bruno Banned", email: "bruno@mailinator.com" },
      { elapsedMs: 10_000 },
    );
    const id = res.body.member.id as string;
    const posted = await app.request("POST", "/api/threads/screen-approve-ban/comments", {
      token: res.body.session.token,
      body: { body: "Held while my account is reviewed." },
    });
    assert.equal(posted.body.comment.status, "held");
    await app.request("POST", `/api/mod/members/${id}/ban`, { token: mod.token, body: {} });
    const approved = await app.request("POST", `/api/mod/members/${id}/approve`, {
      token: mod.token,
    });
    assert.deepEqual(approved.body.publishedComments, []);
    await app.request("POST", `/api/mod/members/${id}/unban`, { token: mod.token });
    const again = await app.request("POST", `/api/mod/members/${id}/approve`, {
      token: mod.token,
    });
    assert.equal(again.body.changed, true);
    assert.deepEqual(again.body.publishedComments, [posted.body.comment.id]);
  });

  it("refuses posts from an account a moderator rejected with 403 banned", async () => {
    const member = await app.signIn({ name: "Rita Rejected" });
    const reject = await app.request("POST", `/api/mod/members/${member.member.id}/reject`, {
      token: mod.token,
    });
    assert.equal(reject.body.member.moderatorVerdict, "rejected");
    const res = await app.request("POST", "/api/threads/screen-reject/comments", {
      token: member.token,
      body: { body: "hello" },
    });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, "banned");
  });

  it("counts signups per address and subnet in a sliding window", async () => {
    const verdicts: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await session(
        { name: `Velo Person ${i}`, email: `velo${i}@example.org` },
        undefined,
        { "x-forwarded-for": `198.51.100.${i % 3}` },
      );
      assert.equal(res.status, 200);
      const detail = await app.request("GET", `/api/mod/members/${res.body.member.id}`, {
        token: mod.token,
      });
      verdicts.push(detail.body.moderation.screening.verdict);
    }
    assert.equal(verdicts[0], "allow");
    assert.equal(verdicts.at(-1), "review");
  });

  it("holds a first comment full of links with the screening reason", async () => {
    const member = await app.signIn({ name: "Linus Links" });
    const res = await app.request("POST", "/api/threads/screen-links/comments", {
      token: member.token,
      body: {
        body: "Cheap followers https://a.example https://b.example https://c.example click here",
      },
    });
    assert.equal(res.body.comment.status, "held");
    const queue = await app.request("GET", "/api/mod/queue?thread=screen-links", {
      token: mod.token,
    });
    assert.equal(queue.body.items[0].reason, "screening");
    assert.ok(
      queue.body.items[0].details.reasons.some((r: { signal: string }) => r.signal === "content"),
    );
  });
});
