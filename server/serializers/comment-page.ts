/**
 * The JSON text of a thread page's comment tree, written without building a `CommentJson`
 * per comment. It is the same JSON as `serializeComment` nested into a tree and passed through
 * `JSON.stringify`, but faster. Most of a comment (its author, HTML, dates and reaction counts)
 * is the same for every viewer. It is written once per cached row and reused until the row
 * changes, because a changed comment is read anew as a new row. Only what depends on the
 * viewer is written per request: the Markdown source, the edit and delete rights and their
 * own reactions.
 */
import type { CommentRow } from "../../db/queries/comments.ts";
import type { CommentStatus } from "../../db/schema.ts";
import { type CommentPermissions, commentAuthor, isTombstone } from "./comments.ts";

/** One comment of a page, placed in the tree, with what the viewer may do with it. */
export interface PageComment {
  id: string;
  parentId: string | null;
  status: CommentStatus;
  row: CommentRow;
  permissions: CommentPermissions;
  myReactions: readonly string[];
  moreReplies: number;
  replies: PageComment[];
}

/** Rows are never changed in place, so a row's text stays valid for as long as the row. */
const written = new WeakMap<CommentRow, string>();

/** The viewer-independent start of a comment's JSON object, without its closing brace. */
function commonPart(row: CommentRow, threadKey: string): string {
  let text = written.get(row);
  if (text !== undefined) return text;
  const tombstone = isTombstone(row);
  text =
    `{"id":"${row.id}","threadKey":${JSON.stringify(threadKey)}` +
    `,"parentId":${row.parentId === null ? "null" : `"${row.parentId}"`}` +
    `,"rootId":${row.rootId === null ? "null" : `"${row.rootId}"`}` +
    `,"depth":${row.path.length},"author":${JSON.stringify(commentAuthor(row))}` +
    `,"html":${tombstone ? '""' : JSON.stringify(row.html)}` +
    `,"status":"${row.status}","createdAt":"${row.createdAt.toISOString()}"` +
    `,"editedAt":${row.editedAt ? `"${row.editedAt.toISOString()}"` : "null"}` +
    `,"pinned":${row.pinnedAt !== null}` +
    `,"reactions":${tombstone ? "{}" : JSON.stringify(row.reactions)}`;
  written.set(row, text);
  return text;
}

function commentText(comment: PageComment, threadKey: string): string {
  const { row, permissions } = comment;
  let text = commonPart(row, threadKey);
  if (permissions.showBody && !isTombstone(row)) {
    text += `,"body":${JSON.stringify(row.body)}`;
  }
  const until = permissions.editableUntil;
  text +=
    `,"editableUntil":${until ? `"${until.toISOString()}"` : "null"}` +
    `,"canEdit":${permissions.canEdit},"canDelete":${permissions.canDelete}` +
    `,"myReactions":${comment.myReactions.length === 0 ? "[]" : JSON.stringify(comment.myReactions)}` +
    `,"moreReplies":${comment.moreReplies}` +
    `,"replies":${commentTreeText(comment.replies, threadKey)}}`;
  return text;
}

/** The JSON text of a list of comments with their replies. */
export function commentTreeText(comments: readonly PageComment[], threadKey: string): string {
  if (comments.length === 0) return "[]";
  let text = "[";
  for (let i = 0; i < comments.length; i++) {
    if (i > 0) text += ",";
    text += commentText(comments[i]!, threadKey);
  }
  return `${text}]`;
}
