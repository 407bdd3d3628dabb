import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CommentJson } from "../../server/serializers/comments.ts";
import { buildTree } from "../../server/services/comments.ts";

function c(
  id: string,
  parentId: string | null,
  status: CommentJson["status"] = "published",
): CommentJson {
  return {
    id,
    threadKey: "t",
    parentId,
    rootId: null,
    depth: 0,
    author: { id: "a", handle: "a", name: "A", avatar: null, url: null },
    html: "",
    status,
    createdAt: "",
    editedAt: null,
    editableUntil: null,
    canEdit: false,
    canDelete: false,
    pinned: false,
    reactions: {},
    myReactions: [],
    moreReplies: 0,
    replies: [],
  };
}

describe("buildTree", () => {
  it("nests depth-first rows under their parents", () => {
    const tree = buildTree([c("1", null), c("2", "1"), c("3", "2"), c("4", "1"), c("5", null)], 3);
    assert.deepEqual(
      tree.map((n) => n.id),
      ["1", "5"],
    );
    assert.deepEqual(
      tree[0]!.replies.map((n) => n.id),
      ["2", "4"],
    );
    assert.deepEqual(
      tree[0]!.replies[0]!.replies.map((n) => n.id),
      ["3"],
    );
  });

  it("keeps replies below the maximum depth in their parent's list", () => {
    const tree = buildTree([c("1", null), c("2", "1"), c("3", "2"), c("4", "3")], 1);
    assert.deepEqual(
      tree[0]!.replies.map((n) => n.id),
      ["2", "3", "4"],
    );
  });

  it("drops deleted comments without replies and keeps those with replies", () => {
    const tree = buildTree([c("1", null, "deleted"), c("2", "1"), c("3", null, "removed")], 3);
    assert.deepEqual(
      tree.map((n) => n.id),
      ["1"],
    );
  });

  it("leaves out replies whose parent the viewer cannot see", () => {
    const tree = buildTree([c("1", null), c("3", "2")], 3);
    assert.deepEqual(tree[0]!.replies, []);
  });
});
