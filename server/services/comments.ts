/**
 * Comments: the thread page, posting, editing and deleting, with the rules each needs.
 */
import {
  type CommentRow,
  type CommentSort,
  type CommentViewer,
  findComment,
  findCommentByIdempotencyKey,
  findCommentForUpdate,
  findPostingState,
  insertComment,
  insertCommentsWithEvents,
  type NewPublishedComment,
  type PostingParent,
  reviseComment,
  selectCommentRow,
  selectMemberReactions,
  selectMemberThreadReactions,
  selectSubtree,
  selectThreadPage,
  setCommentStatus,
} from "../../db/queries/comments.ts";
import { findMemberById } from "../../db/queries/members.ts";
import { findThreadById } from "../../db/queries/threads.ts";
import type { Comment, CommentStatus, EventType, Member, Thread } from "../../db/schema.ts";
import type { AppContext } from "../context.ts";
import {
  badRequest,
  forbidden,
  HearthError,
  notFound,
  rateLimited,
  unauthenticated,
  unprocessable,
} from "../errors.ts";
import { commentTreeText, type PageComment } from "../serializers/comment-page.ts";
import {
  type CommentJson,
  type CommentPermissions,
  isTombstone,
  serializeComment,
} from "../serializers/comments.ts";
import { serializeThread } from "../serializers/threads.ts";
import { decideCommentStatus } from "./holding.ts";
import { renderMarkdown } from "./markdown.ts";
import { banHasEnded, recordHold } from "./moderation-state.ts";
import { isModerator, type Session } from "./sessions.ts";
import { cursorAfter, decodeCursor, type PageData, pageWithNewComment } from "./thread-pages.ts";
import {
  assertCanRead,
  assertCanWrite,
  assertThreadKey,
  countCacheKey,
  getOrCreateThreadForPost,
  publishedCount,
  requireThread,
  viewerAccess,
} from "./threads.ts";
import { WriteBatcher } from "./write-batcher.ts";

export const MAX_COMMENT_LENGTH = 10_000;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface ListOptions {
  sort: CommentSort;
  cursor?: string | undefined;
  limit: number;
}

/** Parses a public comment id; anything else is a 404. */
export function parseCommentId(raw: string): number {
  if (!/^[1-9]\d{0,15}$/.test(raw))
    throw notFound("comment_not_found", "There is no such comment.");
  return Number(raw);
}

/** What `session` may do with a comment; `now` defaults to the clock (a page passes it once). */
function permissionsFor(
  ctx: AppContext,
  row: Pick<CommentRow, "authorId" | "createdAt" | "status">,
  session?: Session,
  now: number = ctx.now().getTime(),
): CommentPermissions {
  const own = session !== undefined && session.memberId === row.authorId;
  const moderator = isModerator(session);
  const alive = row.status !== "deleted" && row.status !== "removed";
  if (!own && !moderator) return READ_ONLY;
  const until = row.createdAt.getTime() + ctx.config.editWindowSeconds * 1000;
  return {
    canEdit: alive && ((own && now < until) || moderator),
    canDelete: alive,
    editableUntil: own && alive ? new Date(until) : null,
    showBody: true,
  };
}

const READ_ONLY: CommentPermissions = {
  canEdit: false,
  canDelete: false,
  editableUntil: null,
  showBody: false,
};

/** What arranging comments into a tree needs of each: `CommentJson` and `PageComment` have it. */
export interface TreeNode<T> {
  id: string;
  parentId: string | null;
  status: CommentStatus;
  replies: T[];
}

/**
 * Arranges depth-first rows into a tree nested at most `maxDepth` levels: a reply deeper
 * than that joins its parent's list (its `parentId` still names the real parent). Deleted
 * and removed comments are kept only while they have replies.
 */
export function buildTree<T extends TreeNode<T>>(comments: T[], maxDepth: number): T[] {
  const roots: T[] = [];
  const placed = new Map<string, { node: T; list: T[]; level: number }>();
  for (const comment of comments) {
    const parent = comment.parentId ? placed.get(comment.parentId) : undefined;
    if (!comment.parentId || !parent) {
      if (comment.parentId) continue; // the parent is not visible to this viewer
      roots.push(comment);
      placed.set(comment.id, { node: comment, list: roots, level: 0 });
      continue;
    }
    if (parent.level < maxDepth) {
      parent.node.replies.push(comment);
      placed.set(comment.id, { node: comment, list: parent.node.replies, level: parent.level + 1 });
    } else {
      parent.list.push(comment);
      placed.set(comment.id, { node: comment, list: parent.list, level: parent.level });
    }
  }
  return prune(roots);
}

function prune<T extends TreeNode<T>>(list: T[]): T[] {
  const kept: T[] = [];
  for (const comment of list) {
    comment.replies = prune(comment.replies);
    if (isTombstone(comment) && comment.replies.length === 0) {
      // A tombstone stays when a flattened reply to it follows in the same list.
      if (!list.some((other) => other.parentId === comment.id)) continue;
    }
    kept.push(comment);
  }
  return kept;
}

function meta(ctx: AppContext) {
  return {
    reactions: ctx.config.reactions,
    maxDepth: ctx.config.maxDepth,
    maxLength: MAX_COMMENT_LENGTH,
    editWindowSeconds: ctx.config.editWindowSeconds,
  };
}

async function readPage(
  ctx: AppContext,
  thread: Thread,
  options: ListOptions,
  viewer: CommentViewer,
): Promise<PageData> {
  const db = ctx.database.db;
  const cursor = options.cursor ? decodeCursor(options.cursor) : undefined;
  const [rows, count] = await Promise.all([
    selectThreadPage(db, thread.id, {
      sort: options.sort,
      cursor,
      limit: options.limit + 1,
      replyLimit: ctx.config.pageReplies,
      viewer,
    }),
    publishedCount(ctx, thread.id),
  ]);
  const topLevel = rows.filter((row) => row.parentId === null);
  const hasMore = topLevel.length > options.limit;
  const extra = topLevel[options.limit];
  const last = topLevel[options.limit - 1];
  return {
    rows: extra ? rows.filter((row) => (row.rootId ?? row.id) !== extra.id) : rows,
    count,
    nextCursor: hasMore && last ? cursorAfter(last, options.sort) : null,
    sort: options.sort,
    cursor,
    limit: options.limit,
  };
}

/**
 * One page of a thread: top-level comments in the chosen order, each with its first
 * replies (`HEARTH_PAGE_REPLIES`) and the number of replies left (`moreReplies`). Returns the
 * response's JSON text (`{thread, comments, nextCursor, meta}`): a page is read far more often
 * than it changes, so each comment's text is kept with the cached page (comment-page.ts).
 */
export async function listComments(
  ctx: AppContext,
  key: string,
  options: ListOptions,
  session: Session | undefined,
) {
  const thread = await requireThread(ctx, key).catch((error: unknown) => {
    // An empty page still needs the settings the widget renders with.
    if (error instanceof HearthError && error.code === "thread_not_found") {
      throw new HearthError(404, error.code, error.message, { meta: meta(ctx) });
    }
    throw error;
  });
  assertCanRead(thread, session);
  const viewer: CommentViewer = { memberId: session?.memberId, moderator: isModerator(session) };
  const viewerKey = viewer.moderator ? "mod" : (viewer.memberId ?? "anon");
  const cacheKey = `${thread.id}|${options.sort}|${options.cursor ?? ""}|${options.limit}|${viewerKey}`;
  const cache = ctx.caches.pages;
  const generation = cache.generation(thread.id);
  let page = cache.get(cacheKey) as PageData | undefined;
  if (!page) {
    page = await readPage(ctx, thread, options, viewer);
    cache.set(cacheKey, page, thread.id, generation);
  }
  const mine = session
    ? await memberThreadReactions(ctx, thread.id, session.memberId)
    : new Map<number, string[]>();
  const shown = new Map<number, number>();
  for (const row of page.rows) {
    const root = row.rootId ?? row.id;
    shown.set(root, (shown.get(root) ?? 0) + 1);
  }
  const now = ctx.now().getTime();
  const flat = page.rows.map(
    (row): PageComment => ({
      id: String(row.id),
      parentId: row.parentId === null ? null : String(row.parentId),
      status: row.status,
      row,
      permissions: permissionsFor(ctx, row, session, now),
      myReactions: mine.get(row.id) ?? NONE,
      moreReplies:
        row.parentId === null ? Math.max(0, row.subtreeSize - (shown.get(row.id) ?? 0)) : 0,
      replies: [],
    }),
  );
  const threadJson = {
    ...serializeThread(thread, page.count),
    viewer: viewerAccess(thread, session),
  };
  return (
    `{"thread":${JSON.stringify(threadJson)}` +
    `,"comments":${commentTreeText(buildTree(flat, ctx.config.maxDepth), thread.key)}` +
    `,"nextCursor":${JSON.stringify(page.nextCursor)},"meta":${JSON.stringify(meta(ctx))}}`
  );
}

const NONE: readonly string[] = [];

/**
 * The caller's own reactions in a thread, kept for a few seconds per member and thread;
 * their own reaction drops the entry at once (`reactionsCacheKey`).
 */
async function memberThreadReactions(ctx: AppContext, threadId: number, memberId: string) {
  const cache = ctx.caches.reactions;
  const key = reactionsCacheKey(threadId, memberId);
  let mine = cache.get(key);
  if (!mine) {
    const generation = cache.generation(key);
    mine = await selectMemberThreadReactions(ctx.database.db, threadId, memberId);
    cache.set(key, mine, key, generation);
  }
  return mine;
}

export const reactionsCacheKey = (threadId: number, memberId: string) => `${threadId}|${memberId}`;

/** The most replies GET /api/comments/:id returns below one comment. */
export const MAX_SUBTREE = 2000;

/** One comment with all its replies (up to 2,000), nested like a thread page. */
export async function getComment(ctx: AppContext, id: number, session: Session | undefined) {
  const { comment, thread } = await requireVisibleComment(ctx, id, session);
  const viewer: CommentViewer = { memberId: session?.memberId, moderator: isModerator(session) };
  const db = ctx.database.db;
  // One row more than is returned tells whether the subtree was cut short.
  const rows = await selectSubtree(db, comment, viewer, MAX_SUBTREE + 2);
  const kept = rows.slice(0, MAX_SUBTREE + 1);
  const mine = session
    ? await selectMemberReactions(
        db,
        thread.id,
        session.memberId,
        kept.map((row) => row.id),
      )
    : new Map<number, string[]>();
  const flat = kept.map((row) =>
    serializeComment(row, thread.key, permissionsFor(ctx, row, session), mine.get(row.id) ?? []),
  );
  // Build the tree as if this comment were top-level, at its own visual depth.
  const level = Math.min(comment.path.length, ctx.config.maxDepth);
  const [root] = buildTree(
    flat.map((json, index) => (index === 0 ? { ...json, parentId: null } : json)),
    Math.max(ctx.config.maxDepth - level, 0),
  );
  if (!root) throw notFound("comment_not_found", "There is no such comment.");
  return {
    ...root,
    parentId: flat[0]!.parentId,
    moreReplies: rows.length > kept.length ? 1 : 0,
  };
}

/** Checks a comment body: 422 when empty or longer than 10,000 characters. */
export function assertCommentBody(body: string): string {
  const trimmed = body.trim();
  if (trimmed.length === 0)
    throw unprocessable("comment_empty", "Write something first.", { field: "body" });
  if (trimmed.length > MAX_COMMENT_LENGTH) {
    throw unprocessable(
      "comment_too_long",
      `A comment is at most ${MAX_COMMENT_LENGTH} characters.`,
      {
        field: "body",
        maxLength: MAX_COMMENT_LENGTH,
      },
    );
  }
  return trimmed;
}

/**
 * The posting member, refused when banned. A process keeps member rows for a few seconds;
 * `forgetMember` drops one at once (after a ban, say).
 */
async function requireActiveMember(ctx: AppContext, session: Session): Promise<Member> {
  const cache = ctx.caches.members;
  let member = cache.get(session.memberId);
  if (!member) {
    const generation = cache.generation(session.memberId);
    member = await findMemberById(ctx.database.db, session.memberId);
    if (member) cache.set(session.memberId, member, session.memberId, generation);
  }
  if (!member || member.status === "erased")
    throw unauthenticated("token_invalid", "The session names no known member.");
  if (member.status === "banned") {
    if (!(await banHasEnded(ctx, member)))
      throw forbidden("banned", "You can no longer post here.");
    member = { ...member, status: "active" };
  }
  return member;
}

async function loadRow(ctx: AppContext, id: number): Promise<CommentRow> {
  const row = await selectCommentRow(ctx.database.db, id);
  if (!row) throw notFound("comment_not_found", "There is no such comment.");
  return row;
}

function asJson(ctx: AppContext, row: CommentRow, thread: Pick<Thread, "key">, session: Session) {
  return serializeComment(row, thread.key, permissionsFor(ctx, row, session), []);
}

type PublishedInsert = {
  comment: NewPublishedComment;
  event: { type: EventType; payload: Record<string, unknown> };
};

/**
 * Published comments (with their events) are written in groups: members posting at the same
 * moment share one statement and one commit instead of one each.
 */
const publishedBatchers = new WeakMap<object, WriteBatcher<PublishedInsert, Comment | undefined>>();

function publishedInserts(ctx: AppContext): WriteBatcher<PublishedInsert, Comment | undefined> {
  let batcher = publishedBatchers.get(ctx.database);
  if (!batcher) {
    const db = ctx.database.db;
    batcher = new WriteBatcher((items: PublishedInsert[]) => insertCommentsWithEvents(db, items));
    publishedBatchers.set(ctx.database, batcher);
  }
  return batcher;
}

export interface NewCommentInput {
  body: string;
  parentId?: string | undefined;
  title?: string | undefined;
  url?: string | undefined;
}

/**
 * Posts a comment, creating the thread on its first comment. A retried request with the
 * same Idempotency-Key returns the comment it created (`created: false`).
 */
export async function postComment(
  ctx: AppContext,
  session: Session,
  key: string,
  input: NewCommentInput,
  idempotencyKey: string | undefined,
): Promise<{ comment: CommentJson; created: boolean }> {
  assertThreadKey(key);
  const body = assertCommentBody(input.body);
  if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,100}$/.test(idempotencyKey)) {
    throw badRequest(
      "validation_failed",
      "Idempotency-Key must be 1 to 100 visible ASCII characters.",
      {
        field: "Idempotency-Key",
      },
    );
  }
  const parentId =
    input.parentId === undefined || input.parentId === null
      ? undefined
      : parseParentId(input.parentId);
  const db = ctx.database.db;
  const [member, thread, { moderation, parent }] = await Promise.all([
    requireActiveMember(ctx, session),
    getOrCreateThreadForPost(ctx, key, { title: input.title ?? null, url: input.url ?? null }),
    findPostingState(db, session.memberId, parentId),
  ]);
  assertCanWrite(thread, session);

  if (parentId !== undefined) assertReplyable(parent, thread, session);

  const retryAfter = ctx.limits.posts.take(member.id);
  if (retryAfter > 0) {
    // A retry of a post that went through is answered, not limited.
    const replay =
      idempotencyKey &&
      (await findCommentByIdempotencyKey(db, thread.id, member.id, idempotencyKey));
    if (replay)
      return {
        comment: asJson(ctx, await loadRow(ctx, replay.id), thread, session),
        created: false,
      };
    throw rateLimited(retryAfter);
  }

  const decision = await decideCommentStatus(ctx, { session, member, thread, body, moderation });
  const status: CommentStatus = decision.status;
  const comment = {
    threadId: thread.id,
    parentId: parent?.id ?? null,
    rootId: parent ? (parent.rootId ?? parent.id) : null,
    path: parent ? [...parent.path, parent.id] : [],
    authorId: member.id,
    body,
    html: renderMarkdown(body),
    status,
    idempotencyKey: idempotencyKey ?? null,
  };
  const payload = { parentId: comment.parentId, status };
  // A published comment with no screening to record is one statement: the comment and its
  // event. Anything else commits its moderation records in the same transaction.
  const inserted =
    status === "published" && !decision.screening
      ? await publishedInserts(ctx).submit({ comment, event: { type: "comment.created", payload } })
      : await db.transaction(async (tx) => {
          const row = await insertComment(tx, comment);
          if (row) {
            await recordHold(ctx, tx, decision, row, member, body);
            await ctx.events.record(tx, {
              type: "comment.created",
              threadId: thread.id,
              commentId: row.id,
              actorId: member.id,
              payload,
            });
          }
          return row;
        });
  if (!inserted) {
    // The Idempotency-Key was used already: answer with the comment it created.
    const existing = idempotencyKey
      ? await findCommentByIdempotencyKey(db, thread.id, member.id, idempotencyKey)
      : undefined;
    if (!existing) throw new Error("comment insert returned nothing");
    return {
      comment: asJson(ctx, await loadRow(ctx, existing.id), thread, session),
      created: false,
    };
  }
  const row = toRow(inserted, member);
  const countKey = countCacheKey(thread.id);
  ctx.caches.pages.update(thread.id, (value, key) =>
    key === countKey
      ? (value as number) + (row.status === "published" ? 1 : 0)
      : pageWithNewComment(value as PageData, row, ctx.config.pageReplies),
  );
  ctx.events.wake();
  return { comment: asJson(ctx, row, thread, session), created: true };
}

function parseParentId(raw: unknown): number {
  if (typeof raw === "string" && /^[1-9]\d{0,15}$/.test(raw)) return Number(raw);
  if (typeof raw === "number" && Number.isSafeInteger(raw) && raw > 0) return raw;
  throw unprocessable("invalid_parent", "The comment you reply to does not exist.", {
    field: "parentId",
  });
}

function assertReplyable(
  parent: PostingParent | undefined,
  thread: Thread,
  session: Session,
): void {
  if (
    !parent ||
    (parent.status === "held" && parent.authorId !== session.memberId && !isModerator(session))
  ) {
    throw unprocessable("invalid_parent", "The comment you reply to does not exist.", {
      field: "parentId",
    });
  }
  if (parent.threadId !== thread.id) {
    throw unprocessable("invalid_parent", "The comment you reply to is in another thread.", {
      field: "parentId",
    });
  }
  if (parent.status === "deleted" || parent.status === "removed") {
    throw unprocessable("invalid_parent", "The comment you reply to was deleted.", {
      field: "parentId",
    });
  }
}

function toRow(comment: Comment, author: Member): CommentRow {
  return {
    ...comment,
    authorHandle: author.handle,
    authorName: author.name,
    authorAvatar: author.avatar,
  };
}

async function threadOf(
  ctx: AppContext,
  comment: Pick<Comment, "threadId">,
  session: Session,
): Promise<Thread> {
  const thread = await findThreadById(ctx.database.db, comment.threadId);
  if (!thread) throw notFound("comment_not_found", "There is no such comment.");
  assertCanRead(thread, session);
  return thread;
}

/** Edits a comment: its author within the edit window, a moderator at any time. */
export async function editComment(ctx: AppContext, session: Session, id: number, rawBody: string) {
  const body = assertCommentBody(rawBody);
  const html = renderMarkdown(body);
  const member = await requireActiveMember(ctx, session);
  const moderator = isModerator(session);
  const thread = await ctx.database.db.transaction(async (tx) => {
    const comment = await findCommentForUpdate(tx, id);
    if (!comment) throw notFound("comment_not_found", "There is no such comment.");
    if (comment.authorId !== member.id && !moderator)
      throw forbidden("forbidden", "Only the author can edit this comment.");
    if (comment.status === "deleted" || comment.status === "removed") {
      throw new HearthError(
        409,
        "conflict",
        "This comment was deleted and can no longer be edited.",
      );
    }
    const windowEnds = comment.createdAt.getTime() + ctx.config.editWindowSeconds * 1000;
    if (!moderator && ctx.now().getTime() > windowEnds) {
      throw forbidden("edit_window_closed", "The time to edit this comment has passed.");
    }
    if (comment.body !== body) {
      await reviseComment(tx, comment, { body, html, editedBy: member.id });
      await ctx.events.record(tx, {
        type: "comment.edited",
        threadId: comment.threadId,
        commentId: comment.id,
        actorId: member.id,
        payload: { authorId: comment.authorId },
      });
    }
    return comment;
  });
  ctx.events.wake();
  const t = await threadOf(ctx, thread, session);
  return asJson(ctx, await loadRow(ctx, id), t, session);
}

/** Deletes a comment: the author's own (shown as deleted) or, by a moderator, removed. */
export async function deleteComment(ctx: AppContext, session: Session, id: number) {
  const member = await requireActiveMember(ctx, session);
  const moderator = isModerator(session);
  const comment = await ctx.database.db.transaction(async (tx) => {
    const current = await findCommentForUpdate(tx, id);
    if (!current) throw notFound("comment_not_found", "There is no such comment.");
    const own = current.authorId === member.id;
    if (!own && !moderator)
      throw forbidden("forbidden", "Only the author or a moderator can delete this comment.");
    if (current.status === "deleted" || current.status === "removed") return current;
    const status = own ? "deleted" : "removed";
    const updated = await setCommentStatus(tx, current, status);
    await ctx.events.record(tx, {
      type: own ? "comment.deleted" : "comment.removed",
      threadId: current.threadId,
      commentId: current.id,
      actorId: member.id,
      payload: { authorId: current.authorId, previousStatus: current.status },
    });
    return updated;
  });
  ctx.events.wake();
  ctx.caches.pages.invalidate(comment.threadId);
  const thread = await threadOf(ctx, comment, session);
  return asJson(ctx, await loadRow(ctx, id), thread, session);
}

/** Loads a comment the caller may see, with its thread. */
export async function requireVisibleComment(
  ctx: AppContext,
  id: number,
  session: Session | undefined,
) {
  const comment = await findComment(ctx.database.db, id);
  const visible =
    comment &&
    (comment.status !== "held" || comment.authorId === session?.memberId || isModerator(session));
  if (!comment || !visible) throw notFound("comment_not_found", "There is no such comment.");
  const thread = await findThreadById(ctx.database.db, comment.threadId);
  if (!thread) throw notFound("comment_not_found", "There is no such comment.");
  assertCanRead(thread, session);
  return { comment, thread };
}
