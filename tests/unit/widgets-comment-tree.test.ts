import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  appendPage,
  commentIds,
  countComments,
  findPath,
  insertComment,
  removeComment,
  replaceComment,
  replyLevel,
} from "../../widgets/comment-tree.ts";
import type { Comment } from "../../widgets/types.ts";

function comment(id: string, parentId: string | null = null, replies: Comment[] = []): Comment {
  return {
    id,
    threadKey: "t",
    parentId,
    depth: 0,
    author: { id: "a", handle: "a", name: "A", avatar: null },
    html: `<p>${id}</p>`,
    status: "published",
    createdAt: "2025-01-01T00:00:00.000Z",
    editedAt: null,
    editableUntil: null,
    canEdit: false,
    canDelete: false,
    pinned: false,
    reactions: {},
    myReactions: [],
    replies,
  };
}

const ids = (list: Comment[]): unknown =>
  list.map((c) => (c.replies.length ? { [c.id]: ids(c.replies) } : c.id));

/** 1 > 2 > 3 > 4: a chain as deep as maxDepth 3 allows, plus a second top-level comment. */
const chain = () => [
  comment("1", null, [comment("2", "1", [comment("3", "2", [comment("4", "3")])])]),
  comment("5"),
];

describe("widgets comment tree", () => {
  it("adds top-level comments last, or first when the newest come first", () => {
    const list = [comment("1")];
    assert.deepEqual(ids(insertComment(list, comment("2"), { maxDepth: 3, newestFirst: false })), [
      "1",
      "2",
    ]);
    assert.deepEqual(ids(insertComment(list, comment("2"), { maxDepth: 3, newestFirst: true })), [
      "2",
      "1",
    ]);
    assert.deepEqual(ids(list), ["1"], "the input is left alone");
  });

  it("nests a reply under its parent after the earlier replies", () => {
    const list = [comment("1", null, [comment("2", "1")])];
    const next = insertComment(list, comment("9", "1"), { maxDepth: 3, newestFirst: true });
    assert.deepEqual(ids(next), [{ 1: ["2", "9"] }]);
  });

  it("puts a reply past maxDepth next to its parent, after the parent's own replies", () => {
    const list = chain();
    // 4 sits at level 3 = maxDepth; replies to it join the level-3 list (children of 3).
    const once = insertComment(list, comment("6", "4"), { maxDepth: 3, newestFirst: false });
    assert.deepEqual(ids(once), [{ 1: [{ 2: [{ 3: ["4", "6"] }] }] }, "5"]);
    const twice = insertComment(once, comment("7", "4"), { maxDepth: 3, newestFirst: false });
    assert.deepEqual(ids(twice), [{ 1: [{ 2: [{ 3: ["4", "6", "7"] }] }] }, "5"]);
    assert.equal(replyLevel(twice, "4", 3), 3);
    assert.equal(replyLevel(twice, "1", 3), 1);
  });

  it("adds a reply to an unknown parent at the top level rather than losing it", () => {
    const next = insertComment([comment("1")], comment("9", "404"), {
      maxDepth: 3,
      newestFirst: false,
    });
    assert.deepEqual(ids(next), ["1", "9"]);
  });

  it("keeps the shown replies when the server's answer carries none", () => {
    const list = chain();
    const tombstone = { ...comment("2", "1"), status: "deleted" as const, html: "" };
    const next = replaceComment(list, "2", tombstone);
    const path = findPath(next, "3");
    assert.equal(path?.[1]?.status, "deleted");
    assert.deepEqual(ids(next), ids(list));
  });

  it("removes a comment anywhere in the tree", () => {
    assert.deepEqual(ids(removeComment(chain(), "3")), [{ 1: ["2"] }, "5"]);
    assert.deepEqual(ids(removeComment(chain(), "5")), [{ 1: [{ 2: [{ 3: ["4"] }] }] }]);
  });

  it("skips comments already shown when a further page arrives", () => {
    const next = appendPage([comment("1"), comment("2")], [comment("2"), comment("3")]);
    assert.deepEqual(ids(next), ["1", "2", "3"]);
    assert.equal(countComments(chain()), 5);
  });

  it("lists every id in reading order", () => {
    assert.deepEqual(commentIds(chain()), ["1", "2", "3", "4", "5"]);
  });
});
