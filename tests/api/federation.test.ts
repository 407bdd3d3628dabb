import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  Create,
  Delete,
  Flag,
  Follow,
  Like,
  Note,
  PUBLIC_COLLECTION,
  Tombstone,
  Update,
} from "@fedify/vocab";
import { eq } from "drizzle-orm";
import { comments, federationFollowers, federationReports } from "../../db/schema.ts";
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
/** The member comment and the remote reply of the main flow, for the follow-up tests. */
let flow: { commentId: string; noteIri: string; replyIri: string; replyId: number };

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function federateThread(key: string, settings: Record<string, unknown>) {
  const res = await app.request("PUT", `/api/threads/${key}`, {
    token: API_KEY,
    body: { title: `Thread ${key}`, url: `https://site.example/${key}`, ...settings },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.thread;
}

before(async () => {
  app = await startFederatedTestApp({
    HEARTH_COMMUNITY_NAME: "The Journal",
    HEARTH_COMMUNITY_SUMMARY: "Members talk about the articles",
  });
  remote = await startRemoteServer();
});
after(async () => {
  await remote?.close();
  await app?.close();
});

describe("federation with a second ActivityPub server", () => {
  it("is discovered as @community by WebFinger and followed", async () => {
    const host = new URL(app.url).host;
    const res = await fetch(
      `${app.url}/.well-known/webfinger?resource=${encodeURIComponent(`acct:community@${host}`)}`,
    );
    assert.equal(res.status, 200);
    const jrd = (await res.json()) as { links: { rel: string; href: string; type?: string }[] };
    const self = jrd.links.find((link) => link.rel === "self");
    assert.ok(self);
    groupIri = self.href;

    const group = await remote.context().lookupObject(groupIri);
    assert.equal(group?.constructor.name, "Group");
    assert.equal((group as { name?: unknown }).name?.toString(), "The Journal");

    await remote.send(
      "alice",
      groupIri,
      new Follow({
        id: new URL(`${remote.url}/follows/1`),
        actor: remote.actorUri("alice"),
        object: new URL(groupIri),
      }),
    );
    const accept = await remote.waitFor((item) => item.type === "Accept");
    assert.equal(accept.json.actor, groupIri);
    const [row] = await app.ctx.database.db
      .select()
      .from(federationFollowers)
      .where(eq(federationFollowers.actorIri, remote.actorUri("alice").href));
    assert.equal(row?.status, "accepted");
  });

  it("serves NodeInfo 2.1", async () => {
    const links = (await (await fetch(`${app.url}/.well-known/nodeinfo`)).json()) as {
      links: { rel: string; href: string }[];
    };
    const href = links.links.find((link) => link.rel.includes("2.1"))?.href;
    assert.ok(href);
    const info = (await (await fetch(href)).json()) as {
      software: { name: string };
      protocols: string[];
    };
    assert.equal(info.software.name, "hearth");
    assert.deepEqual(info.protocols, ["activitypub"]);
  });

  it("delivers a member's comment in a public federated thread, and a reply lands held until approved, linking to its author's profile", async () => {
    await federateThread("fed-public", { federate: true });
    const member = await app.signIn({ name: "Nora Member", email: "nora@site.example" });
    const posted = await app.request("POST", "/api/threads/fed-public/comments", {
      token: member.token,
      body: { body: "Hello **Fediverse**" },
    });
    assert.equal(posted.status, 201);
    const commentId = posted.body.comment.id as string;

    const create = await remote.waitFor(
      (item) =>
        item.type === "Create" &&
        (item.json.object as { type?: string } | undefined)?.type === "Note",
    );
    const note = create.json.object as Record<string, unknown>;
    assert.match(String(note.content), /<strong>Fediverse<\/strong>/);
    assert.match(String(note.inReplyTo), /\/ap\/threads\/\d+$/);
    assert.ok(!JSON.stringify(create.json).includes("nora@site.example"));
    const person = await remote.context().lookupObject(String(note.attributedTo));
    assert.equal((person as { name?: unknown }).name?.toString(), "Nora Member");
    await remote.waitFor(
      (item) =>
        item.type === "Create" &&
        (item.json.object as { type?: string } | undefined)?.type === "Article",
    );

    const replyId = `${remote.url}/notes/reply-1`;
    await remote.send(
      "alice",
      groupIri,
      new Create({
        id: new URL(`${replyId}/activity`),
        actor: remote.actorUri("alice"),
        to: PUBLIC_COLLECTION,
        object: new Note({
          id: new URL(replyId),
          attribution: remote.actorUri("alice"),
          content: "<p>Hi from <em>elsewhere</em></p>",
          replyTarget: new URL(String(note.id)),
          to: PUBLIC_COLLECTION,
        }),
      }),
    );
    const stored = await until(async () => {
      const rows = await app.ctx.database.db
        .select()
        .from(comments)
        .where(eq(comments.parentId, Number(commentId)));
      return rows[0];
    });
    assert.equal(stored.status, "held");
    assert.equal(stored.body, "Hi from elsewhere");

    const before = await app.request("GET", "/api/threads/fed-public/comments");
    assert.equal(before.body.comments[0].replies.length, 0);

    const moderator = await app.signIn({ name: "Mia Moderator", roles: ["member", "moderator"] });
    const queue = await app.request("GET", "/api/mod/queue", { token: moderator.token });
    assert.equal(queue.status, 200);
    assert.ok(JSON.stringify(queue.body).includes(String(stored.id)));
    const approved = await app.request("POST", `/api/mod/comments/${stored.id}/approve`, {
      token: moderator.token,
      body: {},
    });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const afterApproval = await app.request("GET", "/api/threads/fed-public/comments");
    const reply = afterApproval.body.comments[0].replies[0];
    assert.equal(reply.id, String(stored.id));
    assert.equal(reply.author.handle, `alice@${remote.host}`);
    assert.equal(reply.author.name, "Alice Remote");
    // Shown with handle and instance, linking to the profile on their own server.
    assert.equal(reply.author.url, `${remote.url}/@alice`);
    assert.equal(afterApproval.body.comments[0].author.url, null);
    flow = { commentId, noteIri: String(note.id), replyIri: replyId, replyId: stored.id };
  });

  it("applies the remote author's edit, like, deletion and report, and ignores someone else's", async () => {
    const alice = remote.actorUri("alice");
    const editedNote = new Note({
      id: new URL(flow.replyIri),
      attribution: alice,
      content: "<p>Hi again, edited</p>",
      replyTarget: new URL(flow.noteIri),
      to: PUBLIC_COLLECTION,
    });
    await remote.send(
      "bob",
      groupIri,
      new Update({
        id: new URL(`${remote.url}/updates/forged`),
        actor: remote.actorUri("bob"),
        object: editedNote,
      }),
    );
    await remote.send(
      "alice",
      groupIri,
      new Update({ id: new URL(`${remote.url}/updates/1`), actor: alice, object: editedNote }),
    );
    const edited = await until(async () => {
      const [row] = await app.ctx.database.db
        .select()
        .from(comments)
        .where(eq(comments.id, flow.replyId));
      return row?.body === "Hi again, edited" ? row : undefined;
    });
    assert.ok(edited.editedAt);

    await remote.send(
      "alice",
      groupIri,
      new Like({
        id: new URL(`${remote.url}/likes/1`),
        actor: alice,
        object: new URL(flow.noteIri),
      }),
    );
    await until(async () => {
      const [row] = await app.ctx.database.db
        .select()
        .from(comments)
        .where(eq(comments.id, Number(flow.commentId)));
      return row?.reactions.like === 1 ? row : undefined;
    });

    await remote.send(
      "alice",
      groupIri,
      new Flag({
        id: new URL(`${remote.url}/flags/1`),
        actor: alice,
        object: new URL(flow.noteIri),
        content: "please look",
      }),
    );
    const report = await until(async () => {
      const [row] = await app.ctx.database.db.select().from(federationReports);
      return row;
    });
    assert.equal(report.commentId, Number(flow.commentId));
    assert.equal(report.content, "please look");

    await remote.send(
      "alice",
      groupIri,
      new Delete({
        id: new URL(`${remote.url}/deletes/1`),
        actor: alice,
        object: new Tombstone({ id: new URL(flow.replyIri) }),
      }),
    );
    await until(async () => {
      const [row] = await app.ctx.database.db
        .select()
        .from(comments)
        .where(eq(comments.id, flow.replyId));
      return row?.status === "deleted" ? row : undefined;
    });
  });
});
