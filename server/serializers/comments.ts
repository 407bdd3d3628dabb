import type { CommentRow } from "../../db/queries/comments.ts";
import type { CommentStatus } from "../../db/schema.ts";

/** What the viewer may do, worked out by the comments service. */
export interface CommentPermissions {
  canEdit: boolean;
  canDelete: boolean;
  editableUntil: Date | null;
  /** The Markdown source is returned to its author (for editing) and to moderators. */
  showBody: boolean;
}

export interface CommentJson {
  id: string;
  threadKey: string;
  parentId: string | null;
  /** The top-level comment this reply sits under; null for a top-level comment. */
  rootId: string | null;
  depth: number;
  /**
   * `url`: the profile page of an author from the Fediverse (their handle is then
   * `user@instance`); null for members of the site.
   */
  author: { id: string; handle: string; name: string; avatar: string | null; url: string | null };
  html: string;
  body?: string;
  status: CommentStatus;
  createdAt: string;
  editedAt: string | null;
  editableUntil: string | null;
  canEdit: boolean;
  canDelete: boolean;
  pinned: boolean;
  reactions: Record<string, number>;
  myReactions: string[];
  /** Replies below this top-level comment that are not in `replies` yet (GET /api/comments/:id has them). */
  moreReplies: number;
  replies: CommentJson[];
}

const TOMBSTONES: ReadonlySet<CommentStatus> = new Set(["deleted", "removed"]);

/** Only http(s) links leave the server: a remote actor chooses its own profile URL. */
const webUrl = (url: string | null | undefined): string | null =>
  url && /^https?:\/\//i.test(url) ? url : null;

/** A comment's author as the API shows it: nobody for a deleted or removed comment. */
export function commentAuthor(row: CommentRow): CommentJson["author"] {
  if (TOMBSTONES.has(row.status)) return { id: "", handle: "", name: "", avatar: null, url: null };
  return {
    id: row.authorId,
    handle: row.authorHandle,
    name: row.authorName,
    avatar: row.authorAvatar,
    url: webUrl(row.authorUrl),
  };
}

/** The public JSON of one comment; deleted and removed comments keep no content or author. */
export function serializeComment(
  row: CommentRow,
  threadKey: string,
  permissions: CommentPermissions,
  myReactions: string[],
): CommentJson {
  const tombstone = TOMBSTONES.has(row.status);
  return {
    id: String(row.id),
    threadKey,
    parentId: row.parentId === null ? null : String(row.parentId),
    rootId: row.rootId === null ? null : String(row.rootId),
    depth: row.path.length,
    author: commentAuthor(row),
    html: tombstone ? "" : row.html,
    ...(permissions.showBody && !tombstone ? { body: row.body } : {}),
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt ? row.editedAt.toISOString() : null,
    editableUntil: permissions.editableUntil ? permissions.editableUntil.toISOString() : null,
    canEdit: permissions.canEdit,
    canDelete: permissions.canDelete,
    pinned: row.pinnedAt !== null,
    reactions: tombstone ? {} : row.reactions,
    myReactions,
    moreReplies: 0,
    replies: [],
  };
}

export function isTombstone(comment: Pick<CommentJson, "status">): boolean {
  return TOMBSTONES.has(comment.status);
}
