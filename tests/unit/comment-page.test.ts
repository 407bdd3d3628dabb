import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CommentRow } from "../../db/queries/comments.ts";
import { commentTreeText, type PageComment } from "../../server/serializers/comment-page.ts";
import {
  type CommentJson,
  type CommentPermissions,
  serializeComment,
} from "../../server/serializers/comments.ts";
import { buildTree } from "../../server/services/comments.ts";

const at = (minute: number) => new Date(Date.UTC(2026, 10, 24, 9, minute, 30, 125));

function row(
  id: number,
  parent: CommentRow | undefined,
  fields: Partial<CommentRow> = {},
): CommentRow {
  return {
    id,
    threadId: 7,
    parentId: parent?.id ?? null,
    rootId: parent ? (parent.rootId ?? parent.id) : null,
    path: parent ? [...parent.path, parent.id] : [],
    authorId: `00000000-0000-4000-8000-00000000000${id % 3}`,
    authorHandle: `member-${id % 3}`,
    authorName: `Member "${id % 3}" <b>`,
    authorAvatar: id % 2 ? `https://cdn.example/${id}.png` : null,
    authorUrl:
      id === 4 ? "https://social.example/@remote" : id === 5 ? "javascript:alert(1)" : null,
    body: `Comment **${id}** with "quotes", \\ and ünïcödé \u2028`,
    html: `<p>Comment <strong>${id}</strong> with &quot;quotes&quot;, \\ and ünïcödé \u2028</p>\n`,
    status: "published",
    reactions: id % 2 ? { like: id, love: 1 } : {},
    reactionCount: id % 2 ? id + 1 : 0,
    pinnedAt: id === 1 ? at(5) : null,
    createdAt: at(id),
    editedAt: id === 2 ? at(30) : null,
    ...fields,
  };
}

function rows(): CommentRow[] {
  const one = row(1, undefined);
  const two = row(2, one);
  const three = row(3, two, { status: "deleted" });
  const four = row(4, three);
  const five = row(5, four);
  const six = row(6, undefined, { status: "removed" });
  const seven = row(7, undefined, { status: "held" });
  const eight = row(8, undefined, { status: "deleted" });
  const nine = row(9, eight);
  return [one, two, three, four, five, six, seven, eight, nine];
}

const viewers: Record<string, (row: CommentRow) => CommentPermissions> = {
  anonymous: () => ({ canEdit: false, canDelete: false, editableUntil: null, showBody: false }),
  author: (row) => {
    const own = row.authorId.endsWith("1");
    return {
      canEdit: own,
      canDelete: own,
      editableUntil: own ? new Date(row.createdAt.getTime() + 900_000) : null,
      showBody: own,
    };
  },
  moderator: () => ({ canEdit: true, canDelete: true, editableUntil: null, showBody: true }),
};

const mine = (row: CommentRow) => (row.id % 4 === 1 ? ["like", "insightful"] : []);
const more = (row: CommentRow) => (row.parentId === null ? row.id * 2 : 0);

describe("comment page text", () => {
  for (const [viewer, permissionsOf] of Object.entries(viewers)) {
    for (const maxDepth of [1, 3]) {
      it(`is the JSON of the serialized tree, for an ${viewer} viewer nesting ${maxDepth} deep`, () => {
        const objects = buildTree(
          rows().map((r) => {
            const json = serializeComment(r, 'forum/a "key"', permissionsOf(r), mine(r));
            json.moreReplies = more(r);
            return json;
          }),
          maxDepth,
        );
        const texts = () =>
          buildTree(
            rows().map(
              (r): PageComment => ({
                id: String(r.id),
                parentId: r.parentId === null ? null : String(r.parentId),
                status: r.status,
                row: r,
                permissions: permissionsOf(r),
                myReactions: mine(r),
                moreReplies: more(r),
                replies: [],
              }),
            ),
            maxDepth,
          );
        const text = commentTreeText(texts(), 'forum/a "key"');
        const parsed = JSON.parse(text) as CommentJson[];
        assert.deepEqual(parsed, JSON.parse(JSON.stringify(objects)));
        assert.ok(parsed.length > 0);
      });
    }
  }

  it("writes a changed comment anew: a row read again after an edit is a new row", () => {
    const [first] = rows();
    const permissions = viewers.anonymous!(first!);
    const node = (r: CommentRow): PageComment => ({
      id: String(r.id),
      parentId: null,
      status: r.status,
      row: r,
      permissions,
      myReactions: [],
      moreReplies: 0,
      replies: [],
    });
    const before = JSON.parse(commentTreeText([node(first!)], "k")) as CommentJson[];
    const edited = { ...first!, html: "<p>edited</p>\n", editedAt: at(40) };
    const after = JSON.parse(commentTreeText([node(edited)], "k")) as CommentJson[];
    assert.equal(before[0]!.html, first!.html);
    assert.equal(after[0]!.html, "<p>edited</p>\n");
    assert.equal(after[0]!.editedAt, at(40).toISOString());
  });
});
