/**
 * The widgets' API client for the moderation desk against a real Hearth server: the queue,
 * single and bulk decisions, the member detail and the audit log.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { HearthApiError, HearthClient } from "../../widgets/api.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { signHostToken } from "../helpers/tokens.ts";

const API_KEY = "test-api-key-0123456789abcdef";

describe("widgets API client: moderation", () => {
  let app: TestApp;
  let moderator: HearthClient;
  let member: HearthClient;

  async function heldComments(thread: string, bodies: string[]): Promise<string[]> {
    const res = await app.request("PUT", `/api/threads/${encodeURIComponent(thread)}`, {
      headers: { authorization: `Bearer ${API_KEY}` },
      body: { premoderated: true },
    });
    assert.equal(res.status, 200);
    const ids: string[] = [];
    for (const [n, body] of bodies.entries()) {
      const { comment } = await member.postComment(thread, { body }, `${thread}-${n}`);
      assert.equal(comment.status, "held");
      ids.push(comment.id);
    }
    return ids;
  }

  before(async () => {
    app = await startTestApp();
    moderator = new HearthClient({
      server: app.url,
      getToken: () =>
        signHostToken({
          sub: "desk-moderator",
          name: "Mo Derator",
          roles: ["member", "moderator"],
        }),
    });
    member = new HearthClient({
      server: app.url,
      getToken: () => signHostToken({ sub: "desk-member", name: "Mem Ber" }),
    });
  });

  after(async () => {
    await app.close();
  });

  it("lists held comments with context and approves one", async () => {
    const [id] = await heldComments("desk/one", ["Held for review, please."]);
    const page = await moderator.modQueue({ thread: "desk/one" });
    assert.equal(page.items.length, 1);
    const item = page.items[0]!;
    assert.equal(item.kind, "comment");
    assert.equal(item.reason, "premoderation");
    assert.equal(item.comment?.id, id);
    assert.equal(item.thread?.key, "desk/one");
    assert.equal(item.author.name, "Mem Ber");
    assert.equal(typeof item.author.history.comments, "object");

    await moderator.moderate("comments", id!, "approve");
    assert.equal((await moderator.modQueue({ thread: "desk/one" })).items.length, 0);
    const { comment } = await member.getComment(id!);
    assert.equal(comment.status, "published");
  });

  it("removes several comments at once and logs every decision", async () => {
    const ids = await heldComments("desk/two", ["First bulk note.", "Second bulk note."]);
    const { results } = await moderator.moderateMany("remove", ids, "Off-topic");
    assert.deepEqual(
      results.map((r) => [r.id, r.error ?? null]),
      ids.map((id) => [id, null]),
    );
    assert.equal((await moderator.modQueue({ thread: "desk/two" })).items.length, 0);
    const audit = await moderator.modAudit();
    const removed = audit.entries.filter((entry) => entry.action === "comment.remove");
    assert.deepEqual(removed.map((entry) => entry.target.id).sort(), [...ids].sort());
    assert.equal(removed[0]?.actor?.name, "Mo Derator");
    assert.equal(removed[0]?.after?.reason, "Off-topic");
  });

  it("shows a member's detail and limits them", async () => {
    const [id] = await heldComments("desk/three", ["Who am I?"]);
    const page = await moderator.modQueue({ thread: "desk/three" });
    const authorId = page.items[0]!.author.id;
    await moderator.moderate("members", authorId, "limit");
    const detail = await moderator.modMember(authorId);
    assert.equal(detail.member.status, "limited");
    assert.ok(detail.recentComments.some((c) => c.id === id));
    await moderator.moderate("members", authorId, "unlimit");
    assert.equal((await moderator.modMember(authorId)).member.status, "active");
  });

  it("is refused to members with 403 forbidden", async () => {
    await assert.rejects(member.modQueue(), (error: unknown) => {
      assert.ok(error instanceof HearthApiError);
      assert.equal(error.status, 403);
      assert.equal(error.code, "forbidden");
      return true;
    });
  });
});
