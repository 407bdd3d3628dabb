import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CommentRow } from "../../db/queries/comments.ts";
import { serializeComment } from "../../server/serializers/comments.ts";

const permissions = { canEdit: false, canDelete: false, editableUntil: null, showBody: false };

function row(authorUrl: string | null | undefined, status: CommentRow["status"] = "published") {
  return {
    id: 7,
    threadId: 1,
    parentId: null,
    rootId: null,
    path: [],
    authorId: "00000000-0000-4000-8000-000000000001",
    authorHandle: "alice@remote.example",
    authorName: "Alice",
    authorAvatar: null,
    authorUrl,
    body: "hi",
    html: "<p>hi</p>",
    status,
    reactions: {},
    reactionCount: 0,
    pinnedAt: null,
    createdAt: new Date(0),
    editedAt: null,
  } satisfies CommentRow;
}

describe("a comment's author in the public JSON", () => {
  it("carries the profile URL of an author from the Fediverse, and null for members", () => {
    const remote = serializeComment(row("https://remote.example/@alice"), "t", permissions, []);
    assert.equal(remote.author.url, "https://remote.example/@alice");
    assert.equal(serializeComment(row(null), "t", permissions, []).author.url, null);
    assert.equal(serializeComment(row(undefined), "t", permissions, []).author.url, null);
  });

  it("never passes on a profile URL that is not http(s), nor one of a deleted comment", () => {
    const script = serializeComment(row("javascript:alert(1)"), "t", permissions, []);
    assert.equal(script.author.url, null);
    const deleted = serializeComment(
      row("https://remote.example/@alice", "deleted"),
      "t",
      permissions,
      [],
    );
    assert.equal(deleted.author.url, null);
  });
});
