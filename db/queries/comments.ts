import { and, asc, eq, inArray, or, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { DbLike } from "../client.ts";
import {
  type Comment,
  type CommentStatus,
  commentRevisions,
  comments,
  type EventType,
  federationRemoteActors,
  type MemberModeration,
  memberModeration,
  members,
  type NewComment,
  reactions,
} from "../schema.ts";
import { bigintArray } from "./any-of.ts";
import { preparedPerDatabase } from "./prepared.ts";
import { rowsOf, toDate, toNumberOrNull } from "./raw-rows.ts";

export type CommentSort = "oldest" | "newest" | "top";

/** Where a page of top-level comments starts: after this comment in the chosen order. */
export interface CommentCursor {
  id: number;
  /** Reaction count of that comment, for `top`. */
  score?: number;
}

/** Who is looking: decides whether held comments are included. */
export interface CommentViewer {
  memberId?: string | undefined;
  moderator: boolean;
}

/** A comment as a thread page shows it, with its author. */
export interface CommentRow {
  id: number;
  threadId: number;
  parentId: number | null;
  rootId: number | null;
  path: number[];
  authorId: string;
  authorHandle: string;
  authorName: string;
  authorAvatar: string | null;
  /** The profile page of an author from the Fediverse; null (or absent) for members. */
  authorUrl?: string | null;
  body: string;
  html: string;
  status: CommentStatus;
  reactions: Record<string, number>;
  reactionCount: number;
  pinnedAt: Date | null;
  createdAt: Date;
  editedAt: Date | null;
}

const rowColumns = {
  id: comments.id,
  threadId: comments.threadId,
  parentId: comments.parentId,
  rootId: comments.rootId,
  path: comments.path,
  authorId: comments.authorId,
  authorHandle: members.handle,
  authorName: members.name,
  authorAvatar: members.avatar,
  authorUrl: federationRemoteActors.url,
  body: comments.body,
  html: comments.html,
  status: comments.status,
  reactions: comments.reactions,
  reactionCount: comments.reactionCount,
  pinnedAt: comments.pinnedAt,
  createdAt: comments.createdAt,
  editedAt: comments.editedAt,
};

function visibleTo(
  viewer: CommentViewer,
  table: { status: AnyPgColumn; authorId: AnyPgColumn } = comments,
): SQL {
  if (viewer.moderator) return sql`true`;
  if (viewer.memberId) {
    return or(sql`${table.status} <> 'held'`, eq(table.authorId, viewer.memberId)) as SQL;
  }
  return sql`${table.status} <> 'held'`;
}

/**
 * One page of a thread: `limit` top-level comments in the chosen order, each followed by
 * its first `replyLimit` replies depth-first. One statement: the top-level comments come
 * from their own partial index, and each one's replies from `comments_root_idx` through a
 * lateral subquery, so the cost grows with the page, not with the thread. Every row carries
 * `subtreeSize`, the number of visible comments in its top-level comment's group (the
 * top-level comment included), so the caller can tell how many replies are left.
 */
export async function selectThreadPage(
  db: DbLike,
  threadId: number,
  options: {
    sort: CommentSort;
    cursor?: CommentCursor | undefined;
    limit: number;
    replyLimit: number;
    viewer: CommentViewer;
  },
): Promise<(CommentRow & { subtreeSize: number })[]> {
  const order = {
    oldest: sql`c.id asc`,
    newest: sql`c.id desc`,
    top: sql`c.reaction_count desc, c.id desc`,
  }[options.sort];
  const cursor = options.cursor;
  const after = !cursor
    ? sql``
    : options.sort === "oldest"
      ? sql`and c.id > ${cursor.id}`
      : options.sort === "newest"
        ? sql`and c.id < ${cursor.id}`
        : sql`and (c.reaction_count, c.id) < (${cursor.score ?? 0}, ${cursor.id})`;
  const visible = (alias: string) => {
    const status = sql.raw(`${alias}.status`);
    const author = sql.raw(`${alias}.author_id`);
    if (options.viewer.moderator) return sql`true`;
    if (options.viewer.memberId)
      return sql`(${status} <> 'held' or ${author} = ${options.viewer.memberId})`;
    return sql`${status} <> 'held'`;
  };
  const result = await db.execute(sql`
    with page as (
      select c.id as root_id, row_number() over (order by ${order}) as position
      from comments c
      where c.thread_id = ${threadId} and c.parent_id is null and ${visible("c")} ${after}
      order by ${order}
      limit ${options.limit}
    )
    select g.id, g.thread_id, g.parent_id, g.root_id, g.path, g.author_id, m.handle, m.name,
      m.avatar, ra.url as author_url, g.body, g.html, g.status, g.reactions, g.reaction_count,
      g.pinned_at, g.created_at, g.edited_at, g.total
    from page
    cross join lateral (
      select r.*, count(*) over () as total
      from comments r
      where r.thread_id = ${threadId} and coalesce(r.root_id, r.id) = page.root_id
        and ${visible("r")}
      order by r.path || r.id
      limit ${options.replyLimit + 1}
    ) g
    join members m on m.id = g.author_id
    left join federation_remote_actors ra on ra.member_id = g.author_id
    order by page.position, g.path || g.id`);
  return rowsOf(result).map(toPageRow);
}

/** Maps a raw row of the page statement (bigints may arrive as strings) to a `CommentRow`. */
function toPageRow(row: Record<string, unknown>): CommentRow & { subtreeSize: number } {
  const reactions = typeof row.reactions === "string" ? JSON.parse(row.reactions) : row.reactions;
  return {
    id: Number(row.id),
    threadId: Number(row.thread_id),
    parentId: toNumberOrNull(row.parent_id),
    rootId: toNumberOrNull(row.root_id),
    path: (row.path as unknown[]).map(Number),
    authorId: String(row.author_id),
    authorHandle: String(row.handle),
    authorName: String(row.name),
    authorAvatar: (row.avatar as string | null) ?? null,
    authorUrl: (row.author_url as string | null) ?? null,
    body: String(row.body),
    html: String(row.html),
    status: row.status as CommentStatus,
    reactions: (reactions ?? {}) as Record<string, number>,
    reactionCount: Number(row.reaction_count),
    pinnedAt: row.pinned_at === null ? null : toDate(row.pinned_at),
    createdAt: toDate(row.created_at),
    editedAt: row.edited_at === null ? null : toDate(row.edited_at),
    subtreeSize: Number(row.total),
  };
}

/** A comment and every visible reply below it, depth-first, at most `limit` rows. */
export async function selectSubtree(
  db: DbLike,
  comment: Pick<Comment, "threadId" | "id" | "rootId">,
  viewer: CommentViewer,
  limit: number,
): Promise<CommentRow[]> {
  const rows = await db
    .select(rowColumns)
    .from(comments)
    .innerJoin(members, eq(members.id, comments.authorId))
    .leftJoin(federationRemoteActors, eq(federationRemoteActors.memberId, comments.authorId))
    .where(
      and(
        eq(comments.threadId, comment.threadId),
        sql`coalesce(${comments.rootId}, ${comments.id}) = ${comment.rootId ?? comment.id}`,
        or(eq(comments.id, comment.id), sql`${comment.id}::bigint = any(${comments.path})`),
        visibleTo(viewer),
      ),
    )
    .orderBy(sql`${comments.path} || ${comments.id}`)
    .limit(limit);
  return rows as CommentRow[];
}

/** One comment with its author, by id alone (ids are unique across threads). */
export async function selectCommentRow(db: DbLike, id: number): Promise<CommentRow | undefined> {
  const [row] = await db
    .select(rowColumns)
    .from(comments)
    .innerJoin(members, eq(members.id, comments.authorId))
    .leftJoin(federationRemoteActors, eq(federationRemoteActors.memberId, comments.authorId))
    .where(eq(comments.id, id));
  return row as CommentRow | undefined;
}

export async function findComment(db: DbLike, id: number): Promise<Comment | undefined> {
  const [row] = await db.select().from(comments).where(eq(comments.id, id));
  return row;
}

/**
 * What posting needs of the author's moderation record: whether screening blocks them or
 * asks for review, how far they have come towards trust, and what a screened comment adds
 * to (`recordScreenedComment`).
 */
export type PostingModeration = Pick<
  MemberModeration,
  | "screenedComments"
  | "approvedComments"
  | "moderatorVerdict"
  | "screeningVerdict"
  | "screeningScore"
  | "screeningReasons"
  | "screenedAt"
>;

/** What posting needs of the comment replied to: where it is, who wrote it and its status. */
export type PostingParent = Pick<
  Comment,
  "id" | "threadId" | "rootId" | "path" | "authorId" | "status"
>;

/**
 * What posting reads, in one statement: the author's moderation record and, for a reply,
 * the comment replied to (from any thread; the caller checks).
 */
export async function findPostingState(
  db: DbLike,
  memberId: string,
  parentId: number | undefined,
): Promise<{ moderation: PostingModeration | undefined; parent: PostingParent | undefined }> {
  // Comment ids start at 1: -1 finds no parent.
  const [row] = await postingStateQuery(db).execute({ memberId, parentId: parentId ?? -1 });
  return { moderation: row?.moderation ?? undefined, parent: row?.parent ?? undefined };
}

/**
 * Posting runs this for every comment, so it reads only the columns posting uses: each
 * column costs a decoding step per row. A group's first column is never null in a stored
 * row; drizzle reads a left-joined group as absent when that column is null.
 */
const postingStateQuery = preparedPerDatabase((db) =>
  db
    .select({
      moderation: {
        screenedComments: memberModeration.screenedComments,
        approvedComments: memberModeration.approvedComments,
        moderatorVerdict: memberModeration.moderatorVerdict,
        screeningVerdict: memberModeration.screeningVerdict,
        screeningScore: memberModeration.screeningScore,
        screeningReasons: memberModeration.screeningReasons,
        screenedAt: memberModeration.screenedAt,
      },
      parent: {
        id: comments.id,
        threadId: comments.threadId,
        rootId: comments.rootId,
        path: comments.path,
        authorId: comments.authorId,
        status: comments.status,
      },
    })
    .from(members)
    .leftJoin(memberModeration, eq(memberModeration.memberId, members.id))
    .leftJoin(comments, eq(comments.id, sql.placeholder("parentId")))
    .where(eq(members.id, sql.placeholder("memberId")))
    .prepare("posting_state"),
);

/** A comment as notifying of it needs it: where it is, who wrote it, its text and status. */
export type NotifiedComment = Pick<
  Comment,
  "id" | "threadId" | "parentId" | "authorId" | "body" | "status" | "createdAt"
>;

/**
 * The comments with the given ids (ids are unique across threads), in no order, with the
 * columns notifying of them reads. Each batch of events runs this, so it is written as SQL:
 * drizzle would build the statement anew for every batch.
 */
export async function selectNotifiedComments(
  db: DbLike,
  ids: number[],
): Promise<NotifiedComment[]> {
  if (ids.length === 0) return [];
  const rows = rowsOf(
    await db.execute(sql`
      select id, thread_id, parent_id, author_id, body, status, created_at
      from comments where id = any(${bigintArray(ids)}::bigint[])`),
  );
  return rows.map((row) => ({
    id: Number(row.id),
    threadId: Number(row.thread_id),
    parentId: toNumberOrNull(row.parent_id),
    authorId: String(row.author_id),
    body: String(row.body),
    status: row.status as CommentStatus,
    createdAt: toDate(row.created_at),
  }));
}

/** Where a comment is, who wrote it and its status (what a reply's parent is asked). */
export type CommentStanding = Pick<Comment, "id" | "threadId" | "authorId" | "status">;

/** The standing of the comments with the given ids, in no order (each batch of events). */
export async function selectCommentStandings(
  db: DbLike,
  ids: number[],
): Promise<CommentStanding[]> {
  if (ids.length === 0) return [];
  const rows = rowsOf(
    await db.execute(sql`
      select id, thread_id, author_id, status
      from comments where id = any(${bigintArray(ids)}::bigint[])`),
  );
  return rows.map((row) => ({
    id: Number(row.id),
    threadId: Number(row.thread_id),
    authorId: String(row.author_id),
    status: row.status as CommentStatus,
  }));
}

/** Locks the comment row for the rest of the transaction. */
export async function findCommentForUpdate(db: DbLike, id: number): Promise<Comment | undefined> {
  const [row] = await db.select().from(comments).where(eq(comments.id, id)).for("update");
  return row;
}

export async function findCommentByIdempotencyKey(
  db: DbLike,
  threadId: number,
  authorId: string,
  key: string,
): Promise<Comment | undefined> {
  const [row] = await db
    .select()
    .from(comments)
    .where(
      and(
        eq(comments.threadId, threadId),
        eq(comments.authorId, authorId),
        eq(comments.idempotencyKey, key),
      ),
    );
  return row;
}

/** Inserts a comment; undefined when its idempotency key was used already. */
/** A published comment to insert with its event, as `insertCommentsWithEvents` takes it. */
export type NewPublishedComment = Required<
  Pick<
    NewComment,
    | "threadId"
    | "parentId"
    | "rootId"
    | "path"
    | "authorId"
    | "body"
    | "html"
    | "status"
    | "idempotencyKey"
  >
>;

/**
 * Inserts comments, each with its event, in one statement (atomic: all or none). Returns,
 * in the order given, each stored comment, or undefined where the comment's
 * Idempotency-Key was used already. Comments of one call share their `created_at`.
 */
export async function insertCommentsWithEvents(
  db: DbLike,
  items: {
    comment: NewPublishedComment;
    event: { type: EventType; payload: Record<string, unknown> };
  }[],
): Promise<(Comment | undefined)[]> {
  if (items.length === 0) return [];
  const input = items.map(({ comment, event }, ord) => ({
    ord,
    thread_id: comment.threadId,
    parent_id: comment.parentId,
    root_id: comment.rootId,
    path: comment.path.map((id) => Math.trunc(id)),
    author_id: comment.authorId,
    body: comment.body,
    html: comment.html,
    status: comment.status,
    idempotency_key: comment.idempotencyKey,
    event_type: event.type,
    payload: event.payload,
  }));
  const rows = rowsOf(
    await db.execute(sql`
      with input as materialized (
        select nextval(pg_get_serial_sequence('comments', 'id')) as id, r.*
        from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as r(
          ord int, thread_id bigint, parent_id bigint, root_id bigint, path bigint[],
          author_id uuid, body text, html text, status text, idempotency_key text,
          event_type text, payload jsonb)
      ), inserted as (
        insert into comments
          (id, thread_id, parent_id, root_id, path, author_id, body, html, status, idempotency_key)
        overriding system value
        select id, thread_id, parent_id, root_id, path, author_id, body, html, status,
          idempotency_key
        from input order by ord
        on conflict do nothing
        returning id, created_at
      ), recorded as (
        insert into events (type, thread_id, comment_id, actor_id, payload)
        select input.event_type, input.thread_id, input.id, input.author_id, input.payload
        from inserted join input using (id)
        order by input.ord
      )
      select input.ord, inserted.id, inserted.created_at
      from input left join inserted using (id)`),
  );
  const stored = new Map(rows.map((row) => [Number(row.ord), row]));
  return items.map(({ comment }, ord) => {
    const row = stored.get(ord);
    if (!row || row.id === null || row.id === undefined) return undefined;
    return {
      ...comment,
      id: Number(row.id),
      reactions: {},
      reactionCount: 0,
      pinnedAt: null,
      createdAt: toDate(row.created_at),
      editedAt: null,
      deletedAt: null,
    };
  });
}

export async function insertComment(db: DbLike, comment: NewComment): Promise<Comment | undefined> {
  const [row] = await db.insert(comments).values(comment).onConflictDoNothing().returning();
  return row;
}

/** Replaces a comment's body, keeping the previous body as a revision. */
export async function reviseComment(
  db: DbLike,
  previous: Comment,
  next: { body: string; html: string; editedBy: string },
): Promise<Comment> {
  const [{ revisions } = { revisions: 0 }] = await db
    .select({ revisions: sql<number>`count(*)::int` })
    .from(commentRevisions)
    .where(
      and(
        eq(commentRevisions.threadId, previous.threadId),
        eq(commentRevisions.commentId, previous.id),
      ),
    );
  await db.insert(commentRevisions).values({
    threadId: previous.threadId,
    commentId: previous.id,
    revision: revisions + 1,
    body: previous.body,
    editedBy: next.editedBy,
  });
  const [row] = await db
    .update(comments)
    .set({ body: next.body, html: next.html, editedAt: sql`now()` })
    .where(and(eq(comments.threadId, previous.threadId), eq(comments.id, previous.id)))
    .returning();
  return row!;
}

export async function selectRevisions(db: DbLike, threadId: number, commentId: number) {
  return db
    .select()
    .from(commentRevisions)
    .where(and(eq(commentRevisions.threadId, threadId), eq(commentRevisions.commentId, commentId)))
    .orderBy(asc(commentRevisions.revision));
}

export async function setCommentStatus(
  db: DbLike,
  comment: Pick<Comment, "threadId" | "id">,
  status: CommentStatus,
): Promise<Comment> {
  const [row] = await db
    .update(comments)
    .set({ status, ...(status === "deleted" ? { deletedAt: sql`now()` } : {}) })
    .where(and(eq(comments.threadId, comment.threadId), eq(comments.id, comment.id)))
    .returning();
  return row!;
}

/** The viewer's own reactions on the given comments. */
export async function selectMemberReactions(
  db: DbLike,
  threadId: number,
  memberId: string,
  commentIds: number[],
): Promise<Map<number, string[]>> {
  const result = new Map<number, string[]>();
  if (commentIds.length === 0) return result;
  const rows = await db
    .select({ commentId: reactions.commentId, kind: reactions.kind })
    .from(reactions)
    .where(
      and(
        eq(reactions.threadId, threadId),
        inArray(reactions.commentId, commentIds),
        eq(reactions.memberId, memberId),
      ),
    );
  for (const row of rows) {
    const list = result.get(row.commentId) ?? [];
    list.push(row.kind);
    result.set(row.commentId, list);
  }
  return result;
}

/** All of a member's reactions in one thread, by comment. */
export async function selectMemberThreadReactions(
  db: DbLike,
  threadId: number,
  memberId: string,
): Promise<Map<number, string[]>> {
  const rows = await db
    .select({ commentId: reactions.commentId, kind: reactions.kind })
    .from(reactions)
    .where(and(eq(reactions.threadId, threadId), eq(reactions.memberId, memberId)));
  const result = new Map<number, string[]>();
  for (const row of rows) {
    const list = result.get(row.commentId) ?? [];
    list.push(row.kind);
    result.set(row.commentId, list);
  }
  return result;
}

/** Adds a reaction once; returns the comment's counts, or undefined when it already existed. */
export async function addReaction(
  db: DbLike,
  comment: Pick<Comment, "threadId" | "id">,
  memberId: string,
  kind: string,
): Promise<Record<string, number> | undefined> {
  const [inserted] = await db
    .insert(reactions)
    .values({ threadId: comment.threadId, commentId: comment.id, memberId, kind })
    .onConflictDoNothing()
    .returning({ kind: reactions.kind });
  if (!inserted) return undefined;
  return bumpReaction(db, comment, kind, 1);
}

/** Removes a reaction; returns the comment's counts, or undefined when there was none. */
export async function removeReaction(
  db: DbLike,
  comment: Pick<Comment, "threadId" | "id">,
  memberId: string,
  kind: string,
): Promise<Record<string, number> | undefined> {
  const [removed] = await db
    .delete(reactions)
    .where(
      and(
        eq(reactions.threadId, comment.threadId),
        eq(reactions.commentId, comment.id),
        eq(reactions.memberId, memberId),
        eq(reactions.kind, kind),
      ),
    )
    .returning({ kind: reactions.kind });
  if (!removed) return undefined;
  return bumpReaction(db, comment, kind, -1);
}

async function bumpReaction(
  db: DbLike,
  comment: Pick<Comment, "threadId" | "id">,
  kind: string,
  delta: 1 | -1,
): Promise<Record<string, number>> {
  const [row] = await db
    .update(comments)
    .set({
      reactions: sql`case when coalesce((${comments.reactions}->>${kind})::int, 0) + ${delta} <= 0
        then ${comments.reactions} - ${kind}::text
        else jsonb_set(${comments.reactions}, array[${kind}::text], to_jsonb(coalesce((${comments.reactions}->>${kind})::int, 0) + ${delta})) end`,
      reactionCount: sql`greatest(${comments.reactionCount} + ${delta}, 0)`,
    })
    .where(and(eq(comments.threadId, comment.threadId), eq(comments.id, comment.id)))
    .returning({ reactions: comments.reactions });
  return row!.reactions;
}
