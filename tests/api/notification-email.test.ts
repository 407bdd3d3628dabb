import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { settleDeliveries, settleEvents } from "../helpers/settle.ts";
import { startSmtp, type TestSmtp } from "../helpers/smtp.ts";

const WEBHOOK_SECRET = "webhook-secret-0123456789abcdef";
let app: TestApp;
let smtp: TestSmtp;
let hookServer: Server;
const hooks: { headers: IncomingHttpHeaders; body: string }[] = [];
let hookStatus = 200;

before(async () => {
  smtp = await startSmtp();
  hookServer = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      hooks.push({ headers: req.headers, body });
      res.statusCode = hookStatus;
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => hookServer.listen(0, "127.0.0.1", resolve));
  const hookPort = (hookServer.address() as AddressInfo).port;
  app = await startTestApp({
    env: {
      HEARTH_SMTP_URL: smtp.url,
      HEARTH_MAIL_FROM: "Hearth <notify@hearth.example>",
      HEARTH_PUBLIC_URL: "http://hearth.example",
      HEARTH_EMAIL_DELAY: "60",
      HEARTH_DELIVERY_ATTEMPTS: "2",
      HEARTH_WEBHOOK_URLS: `http://127.0.0.1:${hookPort}/hearth-hook`,
      HEARTH_WEBHOOK_SECRET: WEBHOOK_SECRET,
      HEARTH_OUTBOUND_ALLOW_HOSTS: "127.0.0.1",
    },
  });
});
after(async () => {
  await app.close();
  await smtp.close();
  hookServer.closeAllConnections();
  await new Promise<void>((resolve) => hookServer.close(() => resolve()));
});

let n = 0;
const key = () => `mail-${++n}-${Math.random().toString(36).slice(2, 8)}`;

async function post(token: string, thread: string, body: string, parentId?: string) {
  const res = await app.request("POST", `/api/threads/${thread}/comments`, {
    token,
    body: { body, parentId, url: `https://site.example/${thread}`, title: `Post ${thread}` },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await settleEvents(app.ctx);
  return res.body.comment.id as string;
}

/** Moves the clock past the email delay and sends what is due. */
async function afterDelay(seconds = 61) {
  app.clock.offsetMs += seconds * 1000;
  await settleDeliveries(app.ctx);
}

const header = (mail: { headerLines: readonly { key: string; line: string }[] }, name: string) =>
  mail.headerLines
    .find((h) => h.key === name)
    ?.line.replace(/^[^:]+:\s*/, "")
    .replace(/\r?\n\s+/g, "");

const unsubscribeLink = (mail: { headerLines: readonly { key: string; line: string }[] }) => {
  const value = String(header(mail, "list-unsubscribe"));
  return /<([^>]+)>/.exec(value)![1]!.replace("http://hearth.example", app.url);
};

describe("notification email", () => {
  it("emails a reply after the delay with both parts, the comment, a link and one-click unsubscribe headers", async () => {
    const anna = await app.signIn({ name: "Anna Mail", email: "anna@example.com" });
    const ben = await app.signIn({ name: "Ben Mail" });
    const thread = key();
    const parent = await post(anna.token, thread, "Question?");
    const before = smtp.messages.length;
    const reply = await post(ben.token, thread, "An **answer** with <b>tags</b>", parent);
    await settleDeliveries(app.ctx);
    assert.equal(smtp.messages.length, before, "nothing before the delay");
    await afterDelay();
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    assert.equal(mail!.subject, "Ben Mail replied to your comment");
    assert.equal(mail!.from!.value[0]!.address, "notify@hearth.example");
    assert.deepEqual(
      (Array.isArray(mail!.to) ? mail!.to : [mail!.to!]).flatMap((a) =>
        a.value.map((v) => v.address),
      ),
      ["anna@example.com"],
    );
    const link = `https://site.example/${thread}#hearth-comment-${reply}`;
    assert.match(mail!.text!, /An answer with <b>tags<\/b>/);
    assert.ok(mail!.text!.includes(link));
    assert.ok(String(mail!.html).includes(`href="${link}"`));
    assert.ok(String(mail!.html).includes("&#60;b&#62;tags"), "comment text is escaped in HTML");
    assert.match(
      String(header(mail!, "list-unsubscribe")),
      /^<http:\/\/hearth\.example\/notifications\/unsubscribe\?u=[\w.-]+>$/,
    );
    assert.equal(header(mail!, "list-unsubscribe-post"), "List-Unsubscribe=One-Click");
    assert.match(String(mail!.messageId), /^<[0-9a-f]{32}@hearth\.example>$/);
  });

  it("writes in the member's language", async () => {
    const anna = await app.signIn({
      name: "Anna De",
      email: "anna.de@example.com",
      locale: "de-AT",
    });
    const ben = await app.signIn({ name: "Ben De" });
    const cleo = await app.signIn({ name: "Cleo Fr", email: "cleo@example.com", locale: "fr" });
    const thread = key();
    const parent = await post(anna.token, thread, "Frage");
    const before = smtp.messages.length;
    await post(ben.token, thread, `Antwort an @${cleo.member.handle}`, parent);
    await afterDelay();
    const mails = (await smtp.waitFor(before + 2)).slice(before);
    const subjects = mails.map((m) => m.subject).sort();
    assert.deepEqual(subjects, [
      "Ben De hat auf deinen Kommentar geantwortet",
      "Ben De vous a mentionné",
    ]);
  });

  it("sends nothing for a notification read in the page, a deleted comment, or a member without email", async () => {
    const anna = await app.signIn({ email: "anna.read@example.com" });
    // Her followed-thread digest would go out if the clock crossed the digest hour here.
    await app.request("PUT", "/api/notifications/preferences", {
      token: anna.token,
      body: { email: { thread: "off" } },
    });
    const ben = await app.signIn();
    const noMail = await app.signIn();
    const thread = key();
    const parent = await post(anna.token, thread, "p");
    const parent2 = await post(noMail.token, thread, "p2");
    await post(ben.token, thread, "read me in the page", parent);
    const deleted = await post(ben.token, thread, "deleted before the delay", parent);
    await post(ben.token, thread, "to someone without email", parent2);
    const list = await app.request("GET", "/api/notifications", { token: anna.token });
    const readOne = list.body.notifications.find(
      (x: { comment: { excerpt: string } }) => x.comment.excerpt === "read me in the page",
    );
    await app.request("POST", `/api/notifications/${readOne.id}/read`, { token: anna.token });
    await app.request("DELETE", `/api/comments/${deleted}`, { token: ben.token });
    const before = smtp.messages.length;
    await afterDelay();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(smtp.messages.length, before);
  });

  it("unsubscribes with one click, once; a forged or reused link is a 400 page and changes nothing", async () => {
    const anna = await app.signIn({ name: "Anna Unsub", email: "anna.unsub@example.com" });
    const ben = await app.signIn();
    const thread = key();
    const parent = await post(anna.token, thread, "p");
    const before = smtp.messages.length;
    await post(ben.token, thread, "reply", parent);
    await afterDelay();
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    const link = unsubscribeLink(mail!);

    const [payload, signature] = new URL(link).searchParams.get("u")!.split(".");
    const forgedPayload = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload!, "base64url").toString()),
        k: ["mention"],
      }),
    ).toString("base64url");
    const forged = await fetch(link.replace(/u=.*/, `u=${forgedPayload}.${signature}`), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    assert.equal(forged.status, 400);
    assert.match(forged.headers.get("content-type")!, /text\/html/);
    assert.match(await forged.text(), /not valid/);

    const page = await fetch(link);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<form method="post">/);
    let prefs = await app.request("GET", "/api/notifications/preferences", { token: anna.token });
    assert.equal(prefs.body.email.reply, "immediate", "opening the link changes nothing");
    assert.equal(prefs.body.email.mention, "immediate");

    const oneClick = await fetch(link, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    assert.equal(oneClick.status, 200);
    assert.match(await oneClick.text(), /no longer receive/);
    prefs = await app.request("GET", "/api/notifications/preferences", { token: anna.token });
    assert.equal(prefs.body.email.reply, "off");
    assert.equal(prefs.body.email.mention, "immediate");

    await app.request("PUT", "/api/notifications/preferences", {
      token: anna.token,
      body: { email: { reply: "immediate" } },
    });
    const reused = await fetch(link, { method: "POST" });
    assert.equal(reused.status, 400);
    assert.match(await reused.text(), /already been used/);
    prefs = await app.request("GET", "/api/notifications/preferences", { token: anna.token });
    assert.equal(prefs.body.email.reply, "immediate", "a reused link changes nothing");
    const reusedGet = await fetch(link);
    assert.equal(reusedGet.status, 400);
  });

  it("sends a backlog larger than one claim, every email exactly once", async () => {
    const FOLLOWERS = 120;
    const author = await app.signIn({ name: "Busy Author" });
    const thread = key();
    await post(author.token, thread, "Opening a busy thread");
    const addresses = new Set<string>();
    for (let i = 0; i < FOLLOWERS; i++) {
      const email = `${thread}-follower-${i}@example.com`;
      const follower = await app.signIn({ name: `Follower ${i}`, email });
      addresses.add(email);
      await app.request("PUT", `/api/threads/${thread}/follow`, { token: follower.token });
      const prefs = await app.request("PUT", "/api/me/preferences", {
        token: follower.token,
        body: { email: { thread: "immediate" } },
      });
      assert.equal(prefs.status, 200);
    }
    const before = smtp.messages.length;
    await post(author.token, thread, "News for everyone who follows");
    await afterDelay();
    await smtp.waitFor(before + FOLLOWERS, 60_000);
    await settleDeliveries(app.ctx);
    const mails = smtp.messages.slice(before).filter((m) => {
      const to = Array.isArray(m.to) ? m.to : [m.to!];
      return to.some((a) => a.value.some((v) => addresses.has(String(v.address))));
    });
    assert.equal(mails.length, FOLLOWERS);
    assert.equal(new Set(mails.map((m) => m.messageId)).size, FOLLOWERS, "no email twice");
    const reached = new Set(
      mails.flatMap((m) => (Array.isArray(m.to) ? m.to : [m.to!])[0]!.value.map((v) => v.address)),
    );
    assert.deepEqual([...reached].sort(), [...addresses].sort());
  });

  it("sends again after its delivery worker was stopped and started", async () => {
    const anna = await app.signIn({ name: "Anna Restart", email: "anna.restart@example.com" });
    const ben = await app.signIn({ name: "Ben Restart" });
    const thread = key();
    const parent = await post(anna.token, thread, "p");
    await app.ctx.notifications.deliveries.stop();
    app.ctx.notifications.deliveries.start();
    const before = smtp.messages.length;
    await post(ben.token, thread, "after a restart", parent);
    await afterDelay();
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    assert.match(mail!.text!, /after a restart/);
  });

  it("waits and retries while SMTP is down, parks after the last attempt, and an admin retry sends it", async () => {
    const anna = await app.signIn({ email: "anna.down@example.com" });
    const ben = await app.signIn();
    const thread = key();
    const parent = await post(anna.token, thread, "p");
    await smtp.stop();
    try {
      const started = Date.now();
      await post(ben.token, thread, "while SMTP is down", parent);
      assert.ok(Date.now() - started < 5000, "posting does not wait for SMTP");
      const before = smtp.messages.length;
      await afterDelay();
      let troubled = await app.request("GET", "/api/admin/deliveries?status=failed", {
        headers: { authorization: "Bearer test-api-key-0123456789abcdef" },
      });
      assert.equal(troubled.status, 200);
      const failing = troubled.body.deliveries.find(
        (d: { target: string }) => d.target === anna.member.id,
      );
      assert.ok(failing, JSON.stringify(troubled.body));
      assert.equal(failing.attempts, 1);
      assert.ok(failing.lastError);
      // Second attempt after the backoff fails too: parked.
      await afterDelay(30);
      troubled = await app.request("GET", "/api/admin/deliveries?status=parked", {
        headers: { authorization: "Bearer test-api-key-0123456789abcdef" },
      });
      const parked = troubled.body.deliveries.find((d: { id: string }) => d.id === failing.id);
      assert.equal(parked?.status, "parked");
      const member = await app.request("GET", "/api/admin/deliveries", { token: ben.token });
      assert.equal(member.status, 403);
      await smtp.start();
      const retried = await app.request("POST", `/api/admin/deliveries/${failing.id}/retry`, {
        headers: { authorization: "Bearer test-api-key-0123456789abcdef" },
      });
      assert.equal(retried.status, 200);
      await settleDeliveries(app.ctx);
      const mails = (await smtp.waitFor(before + 1)).slice(before);
      assert.equal(mails.length, 1);
      assert.match(mails[0]!.text!, /while SMTP is down/);
    } finally {
      await smtp.start().catch(() => {});
    }
  });

  it("sends followed threads as one digest", async () => {
    const anna = await app.signIn({ name: "Anna Digest", email: "anna.digest@example.com" });
    const others = [await app.signIn({ name: "Ben D" }), await app.signIn({ name: "Cleo D" })];
    const thread = key();
    await post(anna.token, thread, "I follow this thread by posting");
    for (const [i, other] of [others[0]!, others[1]!, others[0]!].entries()) {
      await post(other.token, thread, `digest item ${i}`);
    }
    const before = smtp.messages.length;
    await afterDelay();
    assert.equal(smtp.messages.length, before, "followed threads wait for the digest");
    await afterDelay(86_400);
    const toAnna = () =>
      smtp.messages
        .slice(before)
        .filter((m) => JSON.stringify(m.to).includes("anna.digest@example.com"));
    await smtp.waitFor(before + 1);
    await new Promise((r) => setTimeout(r, 500));
    const mails = toAnna();
    assert.deepEqual(
      mails.map((m) => m.subject),
      ["3 new comments in threads you follow"],
    );
    for (let i = 0; i < 3; i++) {
      assert.ok(mails[0]!.text!.includes(`digest item ${i}`));
      assert.ok(String(mails[0]!.html).includes(`digest item ${i}`));
    }
    assert.ok(header(mails[0]!, "list-unsubscribe"));
    // Comments after that digest come in the next one, and only they.
    const ahead = Math.round(app.clock.offsetMs / 1000);
    const later = await app.signIn({ name: "Dan D", issuedAgo: -ahead, expiresIn: ahead + 600 });
    await post(later.token, thread, "digest item later");
    await afterDelay(86_400);
    await smtp.waitFor(before + 2);
    await new Promise((r) => setTimeout(r, 500));
    const next = toAnna().slice(1);
    assert.deepEqual(
      next.map((m) => m.subject),
      ["1 new comment in threads you follow"],
    );
    assert.ok(next[0]!.text!.includes("digest item later"));
    assert.ok(!next[0]!.text!.includes("digest item 0"));
  });
});

describe("webhooks", () => {
  it("posts signed events to the host and retries a failed one with the same delivery id", async () => {
    app.clock.offsetMs = 0;
    const anna = await app.signIn({ name: "Anna Hook" });
    const thread = key();
    hookStatus = 500;
    const start = hooks.length;
    const id = await post(anna.token, thread, "hooked");
    await settleDeliveries(app.ctx);
    assert.equal(hooks.length, start + 1);
    hookStatus = 200;
    await afterDelay(30);
    assert.equal(hooks.length, start + 2);
    const [first, second] = hooks.slice(start);
    assert.equal(first!.headers["hearth-delivery"], second!.headers["hearth-delivery"]);
    const hook = second!;
    assert.equal(hook.headers["hearth-event"], "comment.created");
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(hook.headers["hearth-signature"]));
    assert.ok(match);
    const expected = createHmac("sha256", WEBHOOK_SECRET)
      .update(`${match[1]}.${hook.body}`)
      .digest("hex");
    assert.equal(match[2], expected);
    const body = JSON.parse(hook.body);
    assert.equal(body.type, "comment.created");
    assert.equal(body.data.comment.id, id);
    assert.equal(body.data.comment.body, "hooked");
    assert.equal(body.data.thread.key, thread);

    await app.request("PATCH", `/api/comments/${id}`, {
      token: anna.token,
      body: { body: "edited" },
    });
    const mod = await app.signIn({ roles: ["moderator"] });
    await app.request("DELETE", `/api/comments/${id}`, { token: mod.token });
    await settleDeliveries(app.ctx);
    const types = hooks.slice(start + 2).map((h) => h.headers["hearth-event"]);
    assert.deepEqual(types, ["comment.edited", "comment.removed"]);
    assert.equal(JSON.parse(hooks[hooks.length - 1]!.body).data.comment.body, null);
  });
});
