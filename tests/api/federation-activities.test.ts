import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Create, Follow, Note, PUBLIC_COLLECTION } from "@fedify/vocab";
import { eq } from "drizzle-orm";
import { comments, moderationQueue } from "../../db/schema.ts";
import type { TestApp } from "../helpers/app.ts";
import {
  type RemoteServer,
  startFederatedTestApp,
  startRemoteServer,
} from "../helpers/fediverse.ts";

const API_KEY = "test-api-key-0123456789abcdef";
const THREAD = "activities-article";
let app: TestApp;
let remote: RemoteServer;
let groupIri: string;
let replies = 0;

type Received = RemoteServer["received"][number];
const objectOf = (item: Received) => item.json.object as Record<string, unknown> | string;
const objectId = (item: Received) => {
  const object = objectOf(item);
  return typeof object === "string" ? object : String(object.id);
};

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function post(token: string, body: string, parentId?: string): Promise<string> {
  const res = await app.request("POST", `/api/threads/${THREAD}/comments`, {
    token,
    body: { body, ...(parentId ? { parentId } : {}) },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.comment.id;
}

/** The Note of a comment as the remote server received it in a Create. */
async function noteOf(commentId: string): Promise<string> {
  const iri = `${app.url}/ap/comments/${commentId}`;
  await remote.waitFor((item) => item.type === "Create" && objectId(item) === iri);
  return iri;
}

/** Alice replies to `inReplyTo` from the remote server; resolves with the stored comment. */
async function aliceReplies(inReplyTo: string, text: string) {
  const noteId = `${remote.url}/notes/activities-${++replies}`;
  await remote.send(
    "alice",
    groupIri,
    new Create({
      id: new URL(`${noteId}/activity`),
      actor: remote.actorUri("alice"),
      to: PUBLIC_COLLECTION,
      object: new Note({
        id: new URL(noteId),
        attribution: remote.actorUri("alice"),
        content: `<p>${text}</p>`,
        replyTarget: new URL(inReplyTo),
        to: PUBLIC_COLLECTION,
      }),
    }),
  );
  return until(async () => {
    const [row] = await app.ctx.database.db.select().from(comments).where(eq(comments.body, text));
    return row;
  });
}

before(async () => {
  app = await startFederatedTestApp({
    HEARTH_REACTIONS: "like,love",
  });
  remote = await startRemoteServer(["alice"]);
  groupIri = `${app.url}/ap/actors/community`;
  await remote.send(
    "alice",
    groupIri,
    new Follow({
      id: new URL(`${remote.url}/follows/alice`),
      actor: remote.actorUri("alice"),
      object: new URL(groupIri),
    }),
  );
  await remote.waitFor((item) => item.type === "Accept");
  const put = await app.request("PUT", `/api/threads/${THREAD}`, {
    token: API_KEY,
    body: { title: "Article", url: "https://site.example/article", federate: true },
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
});
after(async () => {
  await remote?.close();
  await app?.close();
});

describe("what members do after posting reaches the Fediverse", () => {
  it("sends Update with the new text when a member edits a comment that went out", async () => {
    const nora = await app.signIn({ name: "Nora Member" });
    const id = await post(nora.token, "First thoughts on the article");
    const iri = await noteOf(id);
    const edited = await app.request("PATCH", `/api/comments/${id}`, {
      token: nora.token,
      body: { body: "First thoughts on the article, **edited**" },
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    const update = await remote.waitFor((item) => item.type === "Update" && objectId(item) === iri);
    assert.equal(update.json.actor, `${app.url}/ap/actors/${nora.member.id}`);
    const note = objectOf(update) as { content?: string; updated?: string };
    assert.match(String(note.content), /<strong>edited<\/strong>/);
    assert.ok(note.updated, "the Note says when it was updated");
  });

  it("sends Like when a member reacts to a comment that went out, from the member's actor", async () => {
    const nora = await app.signIn({ sub: "nora-likes", name: "Nora Liker" });
    const ben = await app.signIn({ sub: "ben-likes", name: "Ben Writer" });
    const noraComment = await post(nora.token, "Worth a like?");
    const iri = await noteOf(noraComment);
    // Ben is on the Fediverse once one of his comments went out.
    await noteOf(await post(ben.token, "Ben's own take"));
    const reacted = await app.request("POST", `/api/comments/${noraComment}/reactions`, {
      token: ben.token,
      body: { kind: "like" },
    });
    assert.ok([200, 201].includes(reacted.status), JSON.stringify(reacted.body));
    const like = await remote.waitFor((item) => item.type === "Like" && objectId(item) === iri);
    assert.equal(like.json.actor, `${app.url}/ap/actors/${ben.member.id}`);
  });
});

describe("a silenced instance", () => {
  it("holds every reply from it for review, even from a trusted author, and still gets posts", async () => {
    const nora = await app.signIn({ sub: "nora-silence", name: "Nora Silence" });
    const target = await noteOf(await post(nora.token, "Replies welcome"));
    const moderator = await app.signIn({ name: "Mia Moderator", roles: ["member", "moderator"] });

    // Alice's first reply is held; once approved, her next one publishes at once.
    const first = await aliceReplies(target, "first reply from alice");
    assert.equal(first.status, "held");
    const approved = await app.request("POST", `/api/mod/comments/${first.id}/approve`, {
      token: moderator.token,
      body: {},
    });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const trusted = await aliceReplies(target, "second reply from alice");
    assert.equal(trusted.status, "published");

    const block = await app.request("POST", "/api/mod/federation/blocks", {
      token: moderator.token,
      body: { target: remote.host, level: "silence", reason: "too chatty" },
    });
    assert.equal(block.status, 201, JSON.stringify(block.body));
    assert.deepEqual(
      [block.body.block.kind, block.body.block.level, block.body.block.reason],
      ["instance", "silence", "too chatty"],
    );
    const silenced = await aliceReplies(target, "third reply from alice");
    assert.equal(silenced.status, "held");
    const [queued] = await app.ctx.database.db
      .select()
      .from(moderationQueue)
      .where(eq(moderationQueue.commentId, silenced.id));
    assert.equal(queued?.reason, "federation");
    assert.equal((queued?.details as { silenced?: boolean } | undefined)?.silenced, true);
    const page = await app.request("GET", `/api/threads/${THREAD}/comments?limit=50`);
    assert.ok(!JSON.stringify(page.body).includes("third reply from alice"));

    // Silence is not suspend: the instance still gets the thread's posts.
    await noteOf(await post(nora.token, "Still reaching the silenced instance"));

    const removed = await app.request(
      "DELETE",
      `/api/mod/federation/blocks/${block.body.block.id}`,
      {
        token: moderator.token,
      },
    );
    assert.equal(removed.status, 204);
    const after = await aliceReplies(target, "fourth reply from alice");
    assert.equal(after.status, "published");
  });
});
