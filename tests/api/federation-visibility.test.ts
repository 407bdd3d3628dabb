import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Create, Follow, Note, PUBLIC_COLLECTION } from "@fedify/vocab";
import { eq } from "drizzle-orm";
import { comments, federationFollowers } from "../../db/schema.ts";
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Lets events, the publisher and the delivery queue run until nothing is left. */
async function settle(): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await app.ctx.events.drain();
    await app.ctx.federation!.publisher.drain();
    for (let i = 0; i < 100 && ((await app.ctx.federation!.queue.getDepth()).ready ?? 0) > 0; i++) {
      await sleep(50);
    }
    await sleep(100);
  }
}

async function putThread(key: string, settings: Record<string, unknown>) {
  const res = await app.request("PUT", `/api/threads/${key}`, {
    token: API_KEY,
    body: { title: `Thread ${key}`, url: `https://site.example/${key}`, ...settings },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.thread;
}

async function post(key: string, token: string, body: string, parentId?: string) {
  const res = await app.request("POST", `/api/threads/${key}/comments`, {
    token,
    body: { body, ...(parentId ? { parentId } : {}) },
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.comment as { id: string };
}

const notesReceived = () =>
  remote.received.filter(
    (item) => item.type === "Create" && (item.json.object as { type?: string })?.type === "Note",
  );
const contentOf = (item: RemoteServer["received"][number]) =>
  String((item.json.object as { content?: string }).content);

before(async () => {
  app = await startFederatedTestApp();
  remote = await startRemoteServer();
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
});
after(async () => {
  await remote?.close();
  await app?.close();
});

describe("what federates", () => {
  it("delivers nothing from an unfederated or a members-only thread", async () => {
    await putThread("vis-unfederated", { federate: false });
    const refused = await app.request("PUT", "/api/threads/vis-members", {
      token: API_KEY,
      body: { read: "members", federate: true },
    });
    assert.equal(refused.status, 422);
    await putThread("vis-members", { read: "members" });
    const member = await app.signIn({ name: "Quiet Member" });
    await post("vis-unfederated", member.token, "stays home one");
    await post("vis-members", member.token, "stays home two");
    await settle();
    assert.equal(
      notesReceived().filter((item) => contentOf(item).includes("stays home")).length,
      0,
    );
  });

  it("keeps an opted-out member's comments on the site", async () => {
    await putThread("vis-optout", { federate: true });
    const member = await app.signIn({ name: "Private Person" });
    const res = await app.request("PUT", "/api/me/federation", {
      token: member.token,
      body: { federate: false },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.federate, false);
    await post("vis-optout", member.token, "not for the fediverse");
    await settle();
    assert.equal(
      notesReceived().filter((item) => contentOf(item).includes("not for the fediverse")).length,
      0,
    );
  });

  it("sends Delete for what went out when the thread stops federating or turns members-only", async () => {
    await putThread("vis-withdraw", { federate: true });
    await putThread("vis-restrict", { federate: true });
    const member = await app.signIn({ name: "Withdrawn Writer" });
    await post("vis-withdraw", member.token, "soon withdrawn");
    await post("vis-restrict", member.token, "soon restricted");
    const first = await remote.waitFor((item) => contentOf(item).includes("soon withdrawn"));
    const second = await remote.waitFor((item) => contentOf(item).includes("soon restricted"));

    await putThread("vis-withdraw", { federate: false });
    await putThread("vis-restrict", { read: "members" });
    const noteIds = [first, second].map((item) => (item.json.object as { id: string }).id);
    for (const id of noteIds) {
      await remote.waitFor(
        (item) =>
          item.type === "Delete" &&
          ((item.json.object as { id?: string })?.id ?? item.json.object) === id,
      );
    }
    // Later comments stay home.
    const before = remote.received.length;
    await post("vis-withdraw", member.token, "after withdrawal");
    await settle();
    assert.equal(
      remote.received.slice(before).filter((item) => contentOf(item).includes("after")).length,
      0,
    );
    const fetched = await fetch(noteIds[0]!, { headers: { accept: "application/activity+json" } });
    assert.equal(fetched.status, 404);
  });
});

describe("inbox security and blocks", () => {
  it("refuses an unsigned or forged activity with 401 and changes nothing", async () => {
    const follow = {
      "@context": "https://www.w3.org/ns/activitystreams",
      id: `${remote.url}/follows/forged`,
      type: "Follow",
      actor: remote.actorUri("bob").href,
      object: groupIri,
    };
    const unsigned = await fetch(`${groupIri}/inbox`, {
      method: "POST",
      headers: { "content-type": "application/activity+json" },
      body: JSON.stringify(follow),
    });
    assert.equal(unsigned.status, 401);
    const forged = await fetch(`${groupIri}/inbox`, {
      method: "POST",
      headers: {
        "content-type": "application/activity+json",
        date: new Date().toUTCString(),
        signature: `keyId="${remote.actorUri("bob").href}#main-key",algorithm="rsa-sha256",headers="(request-target) host date",signature="${Buffer.from("forged").toString("base64")}"`,
      },
      body: JSON.stringify(follow),
    });
    assert.equal(forged.status, 401);
    await settle();
    const rows = await app.ctx.database.db
      .select()
      .from(federationFollowers)
      .where(eq(federationFollowers.actorIri, remote.actorUri("bob").href));
    assert.equal(rows.length, 0);
  });

  it("stops inbound and outbound traffic with an instance suspended by a moderator", async () => {
    const moderator = await app.signIn({ name: "Mod", roles: ["member", "moderator"] });
    const member = await app.signIn({ name: "Plain Member" });
    const forbidden = await app.request("POST", "/api/mod/federation/blocks", {
      token: member.token,
      body: { target: remote.host, level: "suspend" },
    });
    assert.equal(forbidden.status, 403);
    const created = await app.request("POST", "/api/mod/federation/blocks", {
      token: moderator.token,
      body: { target: remote.host, level: "suspend", reason: "test" },
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.block.kind, "instance");
    const listed = await app.request("GET", "/api/mod/federation/blocks", {
      token: moderator.token,
    });
    assert.equal(listed.body.blocks.length, 1);

    await putThread("vis-blocked", { federate: true });
    const comment = await post("vis-blocked", member.token, "blocked instance sees nothing");
    await settle();
    assert.equal(
      remote.received.filter((item) => contentOf(item).includes("blocked instance")).length,
      0,
    );

    const replyId = `${remote.url}/notes/blocked-reply`;
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
          content: "<p>from a suspended instance</p>",
          replyTarget: new URL(`${app.url}/ap/comments/${comment.id}`),
          to: PUBLIC_COLLECTION,
        }),
      }),
    );
    await settle();
    const replies = await app.ctx.database.db
      .select()
      .from(comments)
      .where(eq(comments.parentId, Number(comment.id)));
    assert.equal(replies.length, 0);

    const removed = await app.request(
      "DELETE",
      `/api/mod/federation/blocks/${created.body.block.id}`,
      { token: moderator.token },
    );
    assert.equal(removed.status, 204);
  });
});
