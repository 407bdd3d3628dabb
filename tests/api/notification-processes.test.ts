/**
 * Notifications across real Hearth processes on one PostgreSQL: a stream held by one process
 * receives what another creates, and a process killed with SIGKILL mid-batch loses no email
 * and sends none twice. PostgreSQL only (the embedded database belongs to one process).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { type HearthChild, startHearthChild } from "../helpers/child.ts";
import { testDriver } from "../helpers/database.ts";
import { settleEvents } from "../helpers/settle.ts";
import { startSmtp, type TestSmtp } from "../helpers/smtp.ts";
import { openSse } from "../helpers/sse.ts";
import { signHostToken } from "../helpers/tokens.ts";

const skip = testDriver !== "postgres" ? "needs PostgreSQL (several processes)" : undefined;

describe("notifications across processes", { skip }, () => {
  let app: TestApp;
  let smtp: TestSmtp;
  const children: HearthChild[] = [];
  /** Message-IDs the SMTP server accepted (answered 250). */
  const accepted: string[] = [];
  let refusing = false;
  let onTenth: (() => Promise<void>) | undefined;

  before(async () => {
    smtp = await startSmtp({
      parse: false,
      async onMessage(raw) {
        const id = /^Message-ID:\s*(<[^>]+>)/im.exec(raw.toString("utf8"))?.[1] ?? "";
        if (refusing) throw new Error("try later");
        if (accepted.length === 9 && onTenth) {
          refusing = true;
          const hook = onTenth;
          onTenth = undefined;
          await hook();
          throw new Error("the sender is gone");
        }
        accepted.push(id);
      },
    });
    app = await startTestApp({
      env: { HEARTH_SMTP_URL: smtp.url, HEARTH_EMAIL_DELAY: "0" },
    });
    // This process only records; the children send.
    await app.ctx.notifications.deliveries.stop();
  });
  after(async () => {
    for (const child of children) await child.kill("SIGKILL");
    await app.close();
    await smtp.close();
  });

  const childEnv = () => ({
    DATABASE_URL: app.testDatabase.url!,
    HEARTH_SMTP_URL: smtp.url,
    HEARTH_EMAIL_DELAY: "0",
    HEARTH_DELIVERY_LEASE: "2",
  });

  it("carries a notification made by one process to a stream held by another", async () => {
    const child = await startHearthChild(childEnv());
    children.push(child);
    const anna = await app.signIn({ name: "Anna Two" });
    const parent = await app.request("POST", "/api/threads/procs-1/comments", {
      token: anna.token,
      body: { body: "across processes" },
    });
    await settleEvents(app.ctx);
    const ticket = await app.request("POST", "/api/notifications/ticket", { token: anna.token });
    const stream = await openSse(
      `${app.url}/api/notifications/stream?ticket=${ticket.body.ticket}`,
    );
    await stream.next((e) => e.event === "ready");
    const session = await fetch(`${child.url}/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: await signHostToken({ name: "Ben Child" }) }),
    }).then((r) => r.json());
    const started = Date.now();
    const reply = await fetch(`${child.url}/api/threads/procs-1/comments`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${session.session.token}`,
      },
      body: JSON.stringify({ body: "from the other process", parentId: parent.body.comment.id }),
    }).then((r) => r.json());
    const event = await stream.next((e) => e.event === "notification", 15_000);
    const data = JSON.parse(event.data);
    assert.equal(data.notification.comment.id, reply.comment.id);
    assert.equal(data.notification.actor.name, "Ben Child");
    assert.ok(Date.now() - started < 15_000);
    stream.close();
    await child.kill("SIGTERM");
    children.pop();
  });

  it("delivers every pending email exactly once after a sender is killed mid-batch", async () => {
    const COUNT = 30;
    const author = await app.signIn({ name: "Replier" });
    const expected = new Set<string>();
    for (let i = 0; i < COUNT; i++) {
      const member = await app.signIn({ name: `Reader ${i}`, email: `reader${i}@example.com` });
      const parent = await app.request("POST", "/api/threads/procs-2/comments", {
        token: member.token,
        body: { body: `question ${i}` },
      });
      await app.request("POST", "/api/threads/procs-2/comments", {
        token: author.token,
        body: { body: `answer ${i}`, parentId: parent.body.comment.id },
      });
      app.ctx.limits.posts.take = () => 0;
    }
    await settleEvents(app.ctx);
    const rows = (await app.ctx.database.db.execute(
      (
        await import("drizzle-orm")
      )
        .sql`select dedupe_key from deliveries where dedupe_key like 'email:%' and status = 'pending'`,
    )) as unknown as { dedupe_key: string }[];
    for (const row of rows) expected.add(row.dedupe_key);
    assert.equal(expected.size, COUNT);

    const first = await startHearthChild(childEnv());
    children.push(first);
    const killed = new Promise<void>((resolve) => {
      onTenth = async () => {
        // Give the sender a moment to record the messages already accepted, then kill it
        // while this message waits for its answer.
        await new Promise((r) => setTimeout(r, 300));
        await first.kill("SIGKILL");
        resolve();
      };
    });
    await killed;
    children.pop();
    assert.equal(accepted.length, 9);
    refusing = false;

    const second = await startHearthChild(childEnv());
    children.push(second);
    const until = Date.now() + 60_000;
    while (accepted.length < COUNT && Date.now() < until)
      await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(accepted.length, COUNT, `accepted ${accepted.length} messages`);
    assert.equal(new Set(accepted).size, COUNT, "no message was accepted twice");
    const status = (await app.ctx.database.db.execute(
      (
        await import("drizzle-orm")
      )
        .sql`select status, count(*)::int as n from deliveries where dedupe_key like 'email:%' group by status`,
    )) as unknown as { status: string; n: number }[];
    assert.deepEqual(
      status.map((s) => [s.status, s.n]),
      [["sent", COUNT]],
    );
  });
});
