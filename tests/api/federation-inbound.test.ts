import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Create, Note, PUBLIC_COLLECTION } from "@fedify/vocab";
import { and, eq, sql } from "drizzle-orm";
import { storeInboundActivity } from "../../db/queries/federation-inbound.ts";
import {
  comments,
  events,
  federationQueue,
  members,
  moderationQueue,
  threads,
} from "../../db/schema.ts";
import { INBOUND_MESSAGE } from "../../server/federation/inbound.ts";
import type { TestApp } from "../helpers/app.ts";
import {
  type RemoteServer,
  startFederatedTestApp,
  startRemoteServer,
} from "../helpers/fediverse.ts";

const API_KEY = "test-api-key-0123456789abcdef";
let app: TestApp;
let remote: RemoteServer;
let groupIri: string;
let articleIri: string;
let notes = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(20);
  }
}

/** A reply to the thread's Article from `name` on the remote server. */
function reply(name: string, text: string): Create {
  const id = `${remote.url}/notes/inbound-${++notes}`;
  return new Create({
    id: new URL(`${id}/activity`),
    actor: remote.actorUri(name),
    to: PUBLIC_COLLECTION,
    object: new Note({
      id: new URL(id),
      attribution: remote.actorUri(name),
      content: `<p>${text}</p>`,
      replyTarget: new URL(articleIri),
      to: PUBLIC_COLLECTION,
    }),
  });
}

/** The queue message an inbound activity is stored as, as the receiving process writes it. */
async function messageOf(activity: Create) {
  return { type: INBOUND_MESSAGE, baseUrl: app.url, activity: await activity.toJsonLd() };
}

const db = () => app.ctx.database.db;

async function commentsWithBody(body: string) {
  return db().select().from(comments).where(eq(comments.body, body));
}

async function inboundMessages() {
  return db()
    .select()
    .from(federationQueue)
    .where(sql`${federationQueue.message}->>'type' = ${INBOUND_MESSAGE}`);
}

before(async () => {
  app = await startFederatedTestApp();
  remote = await startRemoteServer(["alice", "bob", "carol", "dora"]);
  groupIri = `${app.url}/ap/actors/community`;
  const put = await app.request("PUT", "/api/threads/inbound-article", {
    token: API_KEY,
    body: { title: "Article", url: "https://site.example/inbound", federate: true },
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const [thread] = await db().select().from(threads).where(eq(threads.key, "inbound-article"));
  articleIri = `${app.url}/ap/threads/${thread!.id}`;
});
after(async () => {
  await remote?.close();
  await app?.close();
});

describe("inbound activities", () => {
  it("applies a reply as it arrives, drops its queue message with it, and a second run of the message changes nothing", async () => {
    const activity = reply("alice", "applied as it arrived");
    await remote.send("alice", groupIri, activity);
    const [stored] = await until(async () => {
      const rows = await commentsWithBody("applied as it arrived");
      return rows.length > 0 ? rows : undefined;
    });
    assert.equal(stored?.status, "held");
    // The message went in the statement that stored the comment.
    assert.deepEqual(await inboundMessages(), []);

    // The same activity runs from the queue again, as it would after a retry.
    await app.ctx.federation!.queue.enqueue(await messageOf(activity));
    await until(async () => ((await inboundMessages()).length === 0 ? true : undefined));
    assert.equal((await commentsWithBody("applied as it arrived")).length, 1);
    const held = await db()
      .select()
      .from(moderationQueue)
      .where(eq(moderationQueue.commentId, stored!.id));
    assert.equal(held.length, 1);
    const created = await db()
      .select()
      .from(events)
      .where(and(eq(events.commentId, stored!.id), eq(events.type, "comment.created")));
    assert.equal(created.length, 1);
  });

  it("stores a reply whose text holds NUL characters, cleaned, instead of failing it", async () => {
    const activity = reply("bob", "nul\u0000 in a\u0000 reply");
    // sendActivity throws unless the inbox accepts it.
    await remote.send("bob", groupIri, activity);
    const [stored] = await until(async () => {
      const rows = await commentsWithBody("nul in a reply");
      return rows.length > 0 ? rows : undefined;
    });
    assert.equal(stored?.html, "<p>nul in a reply</p>");
    await until(async () => ((await inboundMessages()).length === 0 ? true : undefined));
  });

  it("leaves an activity to the process applying it, and applies it once that process's lease runs out", async () => {
    const activity = reply("bob", "stored before the process stopped");
    // Stored and leased by a process that is still at work: the queue does not touch it.
    const working = await storeInboundActivity(db(), await messageOf(activity), 60_000);
    await sleep(400);
    assert.deepEqual(await commentsWithBody("stored before the process stopped"), []);
    assert.equal((await inboundMessages()).length, 1);
    await app.ctx.federation!.queue.complete(working);

    // Stored by a process that stopped before applying it: its lease has run out.
    await storeInboundActivity(db(), await messageOf(activity), 0);
    const [stored] = await until(async () => {
      const rows = await commentsWithBody("stored before the process stopped");
      return rows.length > 0 ? rows : undefined;
    });
    assert.equal(stored?.status, "held");
    const [item] = await db()
      .select()
      .from(moderationQueue)
      .where(eq(moderationQueue.commentId, stored!.id));
    assert.equal(item?.reason, "federation");
    await until(async () => ((await inboundMessages()).length === 0 ? true : undefined));
  });

  it("puts back a reply whose application failed, and applies it from the queue once it can", async () => {
    // Every handle the new author could take is taken, so storing the reply fails.
    const handle = `dora@${remote.host}`;
    const taken = await db()
      .insert(members)
      .values(
        [handle, ...[2, 3, 4, 5].map((n) => `${handle}-${n}`)].map((h, n) => ({
          issuer: "test",
          subject: `taken-${n}`,
          handle: h,
          name: `Taken ${n}`,
        })),
      )
      .returning();
    await remote.send("dora", groupIri, reply("dora", "applied on a later try"));
    const [waiting] = await until(async () => {
      const rows = await inboundMessages();
      return rows[0]?.leasedUntil === null ? rows : undefined;
    });
    assert.equal(waiting?.attempts, 1);
    assert.ok(waiting!.runAt.getTime() > Date.now() - 100, "it waits for a backoff");
    assert.deepEqual(await commentsWithBody("applied on a later try"), []);

    await db()
      .update(members)
      .set({ handle: "no-longer-dora" })
      .where(eq(members.id, taken[0]!.id));
    const [stored] = await until(async () => {
      const rows = await commentsWithBody("applied on a later try");
      return rows.length > 0 ? rows : undefined;
    });
    assert.equal(stored?.status, "held");
    await until(async () => ((await inboundMessages()).length === 0 ? true : undefined));
  });

  it("answers 202 only once the activity is stored, and applies every one of many sent at once", async () => {
    const texts = Array.from({ length: 40 }, (_, n) => `one of many, number ${n}`);
    await Promise.all(
      texts.map((text, n) => {
        const name = n % 2 ? "carol" : "bob";
        return remote.send(name, groupIri, reply(name, text));
      }),
    );
    // Each answered activity is, at any moment, either a comment or a queued message: one
    // statement counts both in one snapshot.
    const result = await db().execute(sql`
      select (select count(*) from ${comments}
          where ${comments.body} like 'one of many, number %')
        + (select count(*) from ${federationQueue}
          where ${federationQueue.message}->>'type' = ${INBOUND_MESSAGE}) as n`);
    // PGlite answers with { rows }, the postgres driver with the rows.
    const [counted] = (
      Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows
    ) as { n: unknown }[];
    assert.equal(Number(counted?.n), texts.length);
    await until(async () => {
      const rows = await db()
        .select({ body: comments.body })
        .from(comments)
        .where(sql`${comments.body} like 'one of many, number %'`);
      return rows.length === texts.length ? rows : undefined;
    });
    await until(async () => ((await inboundMessages()).length === 0 ? true : undefined));
  });
});
