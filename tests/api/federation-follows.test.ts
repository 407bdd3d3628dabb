import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Follow } from "@fedify/vocab";
import { eq } from "drizzle-orm";
import { federationFollowers } from "../../db/schema.ts";
import type { TestApp } from "../helpers/app.ts";
import {
  type RemoteServer,
  startFederatedTestApp,
  startRemoteServer,
} from "../helpers/fediverse.ts";
import { settleEvents } from "../helpers/settle.ts";

const API_KEY = "test-api-key-0123456789abcdef";
let app: TestApp;
let remote: RemoteServer;
let groupIri: string;

before(async () => {
  app = await startFederatedTestApp({
    HEARTH_FEDERATION_APPROVE_FOLLOWS: "1",
  });
  remote = await startRemoteServer(["alice"]);
  groupIri = `${app.url}/ap/actors/community`;
});
after(async () => {
  await remote?.close();
  await app?.close();
});

const notes = () =>
  remote.received.filter(
    (item) => item.type === "Create" && (item.json.object as { type?: string })?.type === "Note",
  );

describe("follow requests with HEARTH_FEDERATION_APPROVE_FOLLOWS=1", () => {
  it("waits for a moderator: nothing is delivered to the follower until approved, then the Accept and the posts arrive", async () => {
    const group = await remote.context().lookupObject(groupIri);
    assert.equal(
      (group as { manuallyApprovesFollowers?: boolean }).manuallyApprovesFollowers,
      true,
    );

    const aliceIri = remote.actorUri("alice").href;
    const followId = `${remote.url}/follows/alice`;
    await remote.send(
      "alice",
      groupIri,
      new Follow({ id: new URL(followId), actor: new URL(aliceIri), object: new URL(groupIri) }),
    );
    await settleFederation();
    const [pending] = await app.ctx.database.db
      .select()
      .from(federationFollowers)
      .where(eq(federationFollowers.actorIri, aliceIri));
    assert.equal(pending?.status, "pending");
    assert.equal(remote.received.filter((item) => item.type === "Accept").length, 0);

    // A pending follower gets nothing.
    const put = await app.request("PUT", "/api/threads/follows-article", {
      token: API_KEY,
      body: { title: "Article", url: "https://site.example/a", federate: true },
    });
    assert.equal(put.status, 200);
    const member = await app.signIn({ name: "Nora Member" });
    const before = await app.request("POST", "/api/threads/follows-article/comments", {
      token: member.token,
      body: { body: "before the approval" },
    });
    assert.equal(before.status, 201);
    await settleFederation();
    assert.equal(notes().length, 0);

    // Only moderators see and answer follow requests.
    const moderator = await app.signIn({ name: "Mia Moderator", roles: ["member", "moderator"] });
    const refused = await app.request("GET", "/api/mod/federation/followers?status=pending", {
      token: member.token,
    });
    assert.equal(refused.status, 403);
    const listed = await app.request("GET", "/api/mod/federation/followers?status=pending", {
      token: moderator.token,
    });
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.followers.map((row: { actor: string; handle: string; status: string }) => [
        row.actor,
        row.handle,
        row.status,
      ]),
      [[aliceIri, `alice@${remote.host}`, "pending"]],
    );
    const notAllowed = await app.request("POST", "/api/mod/federation/followers/approve", {
      token: member.token,
      body: { actor: aliceIri },
    });
    assert.equal(notAllowed.status, 403);
    const unknown = await app.request("POST", "/api/mod/federation/followers/approve", {
      token: moderator.token,
      body: { actor: `${remote.url}/users/nobody` },
    });
    assert.equal(unknown.status, 404);

    const approved = await app.request("POST", "/api/mod/federation/followers/approve", {
      token: moderator.token,
      body: { actor: aliceIri },
    });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.follower.status, "accepted");
    const accept = await remote.waitFor((item) => item.type === "Accept");
    assert.equal(accept.json.actor, groupIri);
    const acceptedFollow = accept.json.object as { id?: string } | string;
    assert.equal(typeof acceptedFollow === "string" ? acceptedFollow : acceptedFollow.id, followId);
    const accepted = await app.request("GET", "/api/mod/federation/followers", {
      token: moderator.token,
    });
    assert.deepEqual(
      accepted.body.followers.map((row: { actor: string }) => row.actor),
      [aliceIri],
    );

    // From now on the follower gets the thread's posts.
    await app.request("POST", "/api/threads/follows-article/comments", {
      token: member.token,
      body: { body: "after the approval" },
    });
    await remote.waitFor(
      (item) =>
        item.type === "Create" &&
        String((item.json.object as { content?: string }).content).includes("after the approval"),
    );
    assert.equal(
      notes().filter((item) =>
        String((item.json.object as { content?: string }).content).includes("before the approval"),
      ).length,
      0,
    );
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Lets events, the publisher and the federation queue run until nothing is left. */
async function settleFederation(): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await settleEvents(app.ctx);
    await app.ctx.federation!.publisher.drain();
    for (let i = 0; i < 200 && (await app.ctx.federation!.queue.getDepth()).queued > 0; i++) {
      await sleep(50);
    }
    await sleep(100);
  }
}
