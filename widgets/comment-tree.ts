/**
 * Pure helpers over the comment tree as the server sends it: top-level comments with their
 * replies nested up to `maxDepth` levels; deeper replies sit at the last level next to
 * their parent. Every helper returns new arrays and leaves its input alone.
 */
import type { Comment } from "./types.ts";

export function findComment(list: readonly Comment[], id: string): Comment | null {
  for (const comment of list) {
    if (comment.id === id) return comment;
    const found = findComment(comment.replies, id);
    if (found) return found;
  }
  return null;
}

/** The comments from the top level down to `id`, or null when it is not in the tree. */
export function findPath(list: readonly Comment[], id: string): Comment[] | null {
  for (const comment of list) {
    if (comment.id === id) return [comment];
    const below = findPath(comment.replies, id);
    if (below) return [comment, ...below];
  }
  return null;
}

/** Replaces the comment `id` with `update(comment)`. */
export function updateComment(
  list: readonly Comment[],
  id: string,
  update: (comment: Comment) => Comment,
): Comment[] {
  return list.map((comment) => {
    if (comment.id === id) return update(comment);
    if (!findComment(comment.replies, id)) return comment;
    return { ...comment, replies: updateComment(comment.replies, id, update) };
  });
}

/**
 * Puts the server's version of a comment in place of `id`. Answers to PATCH and DELETE carry
 * no replies, so the ones already shown are kept.
 */
export function replaceComment(list: readonly Comment[], id: string, next: Comment): Comment[] {
  return updateComment(list, id, (previous) => ({
    ...next,
    replies: next.replies.length > 0 ? next.replies : previous.replies,
  }));
}

export function removeComment(list: readonly Comment[], id: string): Comment[] {
  return list
    .filter((comment) => comment.id !== id)
    .map((comment) =>
      findComment(comment.replies, id)
        ? { ...comment, replies: removeComment(comment.replies, id) }
        : comment,
    );
}

/** The visual level a reply to `parentId` lands on (0 = top level). */
export function replyLevel(list: readonly Comment[], parentId: string, maxDepth: number): number {
  const path = findPath(list, parentId);
  return path ? Math.min(path.length, Math.max(maxDepth, 1)) : 0;
}

/**
 * Adds a new comment where the server would show it: top-level ones first (`newest`) or
 * last; replies under their parent, or, past `maxDepth`, next to the parent after the
 * parent's earlier replies.
 */
export function insertComment(
  list: readonly Comment[],
  comment: Comment,
  options: { maxDepth: number; newestFirst: boolean },
): Comment[] {
  const path = comment.parentId ? findPath(list, comment.parentId) : null;
  if (!path) return options.newestFirst ? [comment, ...list] : [...list, comment];

  const level = Math.min(path.length, Math.max(options.maxDepth, 1));
  const container = path[level - 1]!;
  const family = new Set([comment.parentId]);
  let after = -1;
  container.replies.forEach((reply, index) => {
    if (family.has(reply.id) || family.has(reply.parentId)) {
      family.add(reply.id);
      after = index;
    }
  });
  const replies = [...container.replies];
  replies.splice(after === -1 ? replies.length : after + 1, 0, comment);
  return updateComment(list, container.id, (found) => ({ ...found, replies }));
}

/** Appends a further page, skipping comments already shown (such as one just posted). */
export function appendPage(list: readonly Comment[], page: readonly Comment[]): Comment[] {
  const seen = new Set(list.map((comment) => comment.id));
  return [...list, ...page.filter((comment) => !seen.has(comment.id))];
}

/** How many comments the tree holds, replies included. */
export function countComments(list: readonly Comment[]): number {
  return list.reduce((sum, comment) => sum + 1 + countComments(comment.replies), 0);
}

/** The ids of every comment in the tree, in reading order. */
export function commentIds(list: readonly Comment[]): string[] {
  return list.flatMap((comment) => [comment.id, ...commentIds(comment.replies)]);
}
