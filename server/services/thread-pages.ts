/**
 * Pages of a thread as the page cache keeps them, their cursors, and how a new comment
 * changes a cached page. Keeping a page up to date after this process's own post spares the
 * next reader the page query: a new reply lands in its top-level comment's replies, a new
 * top-level comment at the end (oldest) or the start (newest) of the thread. When a change
 * cannot be placed with certainty, the page is dropped and read again.
 */
import type { CommentCursor, CommentRow, CommentSort } from "../../db/queries/comments.ts";
import { badRequest } from "../errors.ts";

export type PageRow = CommentRow & {
  /** Visible comments in this row's top-level group (the top-level comment included). */
  subtreeSize: number;
};

export interface PageData {
  /** Top-level comments in page order, each followed by its first replies depth-first. */
  rows: PageRow[];
  /** Published comments in the thread. */
  count: number;
  nextCursor: string | null;
  sort: CommentSort;
  cursor: CommentCursor | undefined;
  /** Top-level comments a page holds. */
  limit: number;
}

export function encodeCursor(cursor: CommentCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

export function decodeCursor(raw: string): CommentCursor {
  try {
    const value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as CommentCursor;
    if (
      Number.isSafeInteger(value.id) &&
      (value.score === undefined || Number.isSafeInteger(value.score))
    ) {
      return { id: value.id, ...(value.score !== undefined ? { score: value.score } : {}) };
    }
  } catch {}
  throw badRequest("validation_failed", "The cursor is not valid.", { field: "cursor" });
}

/** The cursor that continues after `row` in `sort` order. */
export function cursorAfter(row: PageRow, sort: CommentSort): string {
  return encodeCursor({ id: row.id, ...(sort === "top" ? { score: row.reactionCount } : {}) });
}

/** Orders rows as the page query does within a group: by `path || id`. */
function comparePaths(a: PageRow, b: PageRow): number {
  const left = [...a.path, a.id];
  const right = [...b.path, b.id];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return left[i]! - right[i]!;
  }
  return left.length - right.length;
}

/** Where each top-level group starts and ends in `rows`. */
function groups(rows: PageRow[]): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (rows[i]!.parentId === null) found.push({ start: i, end: i + 1 });
    else if (found.length > 0) found[found.length - 1]!.end = i + 1;
  }
  return found;
}

/**
 * The page after `comment`, just published with the newest id in the thread, or undefined
 * when the page has to be read again. `replyLimit` is the number of replies a page shows
 * under each top-level comment.
 */
export function pageWithNewComment(
  page: PageData,
  comment: CommentRow,
  replyLimit: number,
): PageData | undefined {
  if (comment.status !== "published") return undefined;
  const count = page.count + 1;
  return comment.parentId === null
    ? withTopLevel(page, { ...comment, subtreeSize: 1 }, count)
    : withReply(page, comment, replyLimit, count);
}

function withReply(
  page: PageData,
  reply: CommentRow,
  replyLimit: number,
  count: number,
): PageData | undefined {
  const group = groups(page.rows).find(({ start }) => page.rows[start]!.id === reply.rootId);
  if (!group) return { ...page, count };
  const total = page.rows[group.start]!.subtreeSize + 1;
  const shown = page.rows
    .slice(group.start, group.end)
    .map((row) => ({ ...row, subtreeSize: total }));
  const row: PageRow = { ...reply, subtreeSize: total };
  let at = shown.length;
  while (at > 1 && comparePaths(row, shown[at - 1]!) < 0) at--;
  // A full group shows its first replies in path order: the reply joins only if it sorts
  // before the last one shown, which then gives way.
  const full = shown.length >= replyLimit + 1;
  if (!full || at < shown.length) {
    shown.splice(at, 0, row);
    if (shown.length > replyLimit + 1) shown.pop();
  }
  return {
    ...page,
    count,
    rows: [...page.rows.slice(0, group.start), ...shown, ...page.rows.slice(group.end)],
  };
}

function withTopLevel(page: PageData, row: PageRow, count: number): PageData | undefined {
  const found = groups(page.rows);
  const hasMore = page.nextCursor !== null;
  if (page.sort === "oldest") {
    // The newest comment comes last: only the thread's last page changes.
    if (hasMore) return { ...page, count };
    if (found.length < page.limit) return { ...page, count, rows: [...page.rows, row] };
    const last = page.rows[found[found.length - 1]!.start]!;
    return { ...page, count, nextCursor: cursorAfter(last, "oldest") };
  }
  if (page.sort === "newest") {
    // The newest comment comes first: later pages keep their place after their cursor.
    if (page.cursor) return { ...page, count };
    if (found.length < page.limit) return { ...page, count, rows: [row, ...page.rows] };
    const kept = found[page.limit - 2];
    const rows = kept ? [row, ...page.rows.slice(0, kept.end)] : [row];
    const last = kept ? page.rows[kept.start]! : row;
    return { ...page, count, rows, nextCursor: cursorAfter(last, "newest") };
  }
  // Top: a comment without reactions sorts after every comment with some, before the rest.
  if (page.cursor && (page.cursor.score ?? 0) === 0) return { ...page, count };
  const last = found.length > 0 ? page.rows[found[found.length - 1]!.start]! : undefined;
  if (hasMore && last && last.reactionCount > 0) return { ...page, count };
  return undefined;
}
