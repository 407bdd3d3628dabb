import { and, asc, desc, eq, gte, inArray, isNull, lt, ne, sql } from "drizzle-orm";
import type { DbLike } from "../client.ts";
import {
  type AuditEntry,
  auditLog,
  type Comment,
  type CommentStatus,
  comments,
  type FlagReason,
  flags,
  type GrantedRole,
  type MemberModeration,
  type MemberStatus,
  memberModeration,
  members,
  moderationQueue,
  pendingRoleGrants,
  type QueueItem,
  type QueueKind,
  type QueueReason,
  roleGrants,
  screeningChallenges,
  screeningSignups,
  screeningTexts,
  threads,
  type WordFilter,
  type WordFilterAction,
  type WordFilterKind,
  wordFilters,
} from "../schema.ts";

// --- member moderation state -------------------------------------------------------------

export async function findModeration(
  db: DbLike,
  memberId: string,
): Promise<MemberModeration | undefined> {
  const [row] = await db
    .select()
    .from(memberModeration)
    .where(eq(memberModeration.memberId, memberId));
  return row;
}

/** Locks (creating first when needed) a member's moderation row for the transaction. */
export async function lockModeration(db: DbLike, memberId: string): Promise<MemberModeration> {
  await db.insert(memberModeration).values({ memberId }).onConflictDoNothing();
  const [row] = await db
    .select()
    .from(memberModeration)
    .where(eq(memberModeration.memberId, memberId))
    .for("update");
  return row!;
}

export async function updateModeration(
  db: DbLike,
  memberId: string,
  fields: Partial<Omit<MemberModeration, "memberId" | "updatedAt">>,
): Promise<MemberModeration> {
  const [row] = await db
    .insert(memberModeration)
    .values({ memberId, ...fields })
    .onConflictDoUpdate({
      target: memberModeration.memberId,
      set: { ...fields, updatedAt: sql`now()` },
    })
    .returning();
  return row!;
}

/**
 * Stores an allowed signup's screening and, when given, its address for the velocity signal
 * and the proof-of-work challenge it used, in one statement (this runs on every member's
 * first session). With a challenge, nothing is stored unless the challenge was still unused:
 * false then, and the caller screens again knowing it was used.
 *
 * The statement commits without waiting for the disk flush (`synchronous_commit` off for
 * this transaction only): should PostgreSQL itself crash in the next moment, the member is
 * screened again at their next session and the challenge could be used once more before it
 * expires; nothing else is at stake, and a first session does not wait on the disk.
 */
export async function saveAllowedSignup(
  db: DbLike,
  memberId: string,
  fields: Pick<
    MemberModeration,
    "screeningVerdict" | "screeningScore" | "screeningReasons" | "screenedAt" | "signupIp"
  >,
  signup: { ip: string; subnet: string } | undefined,
  challenge?: { signature: string; expiresAt: Date } | undefined,
): Promise<boolean> {
  const at = sql`${fields.screenedAt?.toISOString() ?? null}::timestamptz`;
  const claim = challenge
    ? sql`claimed as (
        insert into screening_challenges (signature, expires_at)
        values (${challenge.signature}, ${challenge.expiresAt.toISOString()}::timestamptz)
        on conflict do nothing
        returning 1
      ),`
    : sql``;
  const result = await db.execute(sql`
    with settings as (select set_config('synchronous_commit', 'off', true) as value),
    ${claim}
    saved as (
      insert into member_moderation
        (member_id, screening_verdict, screening_score, screening_reasons, screened_at, signup_ip)
      select ${memberId}, ${fields.screeningVerdict}, ${fields.screeningScore},
        ${JSON.stringify(fields.screeningReasons)}::jsonb, ${at}, ${fields.signupIp}
      ${challenge ? sql`where exists (select 1 from claimed)` : sql``}
      on conflict (member_id) do update set
        screening_verdict = excluded.screening_verdict, screening_score = excluded.screening_score,
        screening_reasons = excluded.screening_reasons, screened_at = excluded.screened_at,
        signup_ip = excluded.signup_ip, updated_at = now()
      returning member_id
    ),
    signup as (
      insert into screening_signups (ip, subnet, created_at)
      select ${signup?.ip ?? null}, ${signup?.subnet ?? null}, ${at} from saved
      where ${signup ? sql`true` : sql`false`}
    )
    select (select count(*) from saved)::int as saved, (select value from settings) as async_commit`);
  return Number(rowsOf(result)[0]?.saved) > 0;
}

export async function incrementApprovedComments(
  db: DbLike,
  memberId: string,
  by = 1,
): Promise<void> {
  await db.insert(memberModeration).values({ memberId }).onConflictDoNothing();
  await db
    .update(memberModeration)
    .set({ approvedComments: sql`${memberModeration.approvedComments} + ${by}` })
    .where(eq(memberModeration.memberId, memberId));
}

export async function setMemberStatus(
  db: DbLike,
  memberId: string,
  status: MemberStatus,
): Promise<void> {
  await db.update(members).set({ status, updatedAt: sql`now()` }).where(eq(members.id, memberId));
}

// --- role grants ---------------------------------------------------------------------------

export async function selectGrantedRoles(db: DbLike, memberId: string): Promise<GrantedRole[]> {
  const rows = await db
    .select({ role: roleGrants.role })
    .from(roleGrants)
    .where(eq(roleGrants.memberId, memberId));
  return rows.map((row) => row.role);
}

export async function insertGrant(
  db: DbLike,
  /** `grantedBy` null: granted from the command line. */
  grant: { memberId: string; role: GrantedRole; grantedBy: string | null },
): Promise<boolean> {
  const rows = await db.insert(roleGrants).values(grant).onConflictDoNothing().returning();
  return rows.length > 0;
}

export async function deleteGrant(db: DbLike, memberId: string, role: GrantedRole) {
  const rows = await db
    .delete(roleGrants)
    .where(and(eq(roleGrants.memberId, memberId), eq(roleGrants.role, role)))
    .returning();
  return rows.length > 0;
}

export async function selectAllGrants(db: DbLike) {
  return db
    .select({
      memberId: roleGrants.memberId,
      role: roleGrants.role,
      grantedBy: roleGrants.grantedBy,
      createdAt: roleGrants.createdAt,
      handle: members.handle,
      name: members.name,
      subject: members.subject,
    })
    .from(roleGrants)
    .innerJoin(members, eq(members.id, roleGrants.memberId))
    .orderBy(asc(roleGrants.createdAt));
}

/**
 * A new member's granted roles and the roles waiting for their host member id (the member
 * row's subject), in one statement: a first sign-in reads both.
 */
export async function selectRoleGrantState(
  db: DbLike,
  memberId: string,
): Promise<{ granted: GrantedRole[]; pending: GrantedRole[] }> {
  const [row] = await db
    .select({
      granted: sql<
        GrantedRole[]
      >`coalesce((select array_agg(${roleGrants.role} order by ${roleGrants.role})
        from ${roleGrants} where ${roleGrants.memberId} = ${members.id}), '{}')`,
      pending: sql<
        GrantedRole[]
      >`coalesce((select array_agg(${pendingRoleGrants.role} order by ${pendingRoleGrants.role})
        from ${pendingRoleGrants} where ${pendingRoleGrants.subject} = ${members.subject}), '{}')`,
    })
    .from(members)
    .where(eq(members.id, memberId));
  return { granted: row?.granted ?? [], pending: row?.pending ?? [] };
}

/** Records a grant for a host member id nobody has signed in with yet; false if there. */
export async function insertPendingGrant(
  db: DbLike,
  subject: string,
  role: GrantedRole,
): Promise<boolean> {
  const rows = await db
    .insert(pendingRoleGrants)
    .values({ subject, role })
    .onConflictDoNothing()
    .returning();
  return rows.length > 0;
}

export async function deletePendingGrant(
  db: DbLike,
  subject: string,
  role: GrantedRole,
): Promise<boolean> {
  const rows = await db
    .delete(pendingRoleGrants)
    .where(and(eq(pendingRoleGrants.subject, subject), eq(pendingRoleGrants.role, role)))
    .returning();
  return rows.length > 0;
}

/** The roles waiting for this host member id's first sign-in. */
export async function selectPendingRoles(db: DbLike, subject: string): Promise<GrantedRole[]> {
  const rows = await db
    .select({ role: pendingRoleGrants.role })
    .from(pendingRoleGrants)
    .where(eq(pendingRoleGrants.subject, subject))
    .orderBy(asc(pendingRoleGrants.role));
  return rows.map((row) => row.role);
}

/** Removes and returns the roles waiting for this host member id (they are being applied). */
export async function takePendingRoles(db: DbLike, subject: string): Promise<GrantedRole[]> {
  const rows = await db
    .delete(pendingRoleGrants)
    .where(eq(pendingRoleGrants.subject, subject))
    .returning({ role: pendingRoleGrants.role });
  return rows.map((row) => row.role).sort();
}

export async function selectAllPendingGrants(db: DbLike) {
  return db
    .select()
    .from(pendingRoleGrants)
    .orderBy(asc(pendingRoleGrants.createdAt), asc(pendingRoleGrants.subject));
}

// --- flags ---------------------------------------------------------------------------------

/** Adds a member's flag; false when they had flagged this comment already. */
export async function insertFlag(
  db: DbLike,
  flag: {
    threadId: number;
    commentId: number;
    memberId: string;
    reason: FlagReason;
    text: string | null;
  },
): Promise<boolean> {
  const rows = await db.insert(flags).values(flag).onConflictDoNothing().returning();
  return rows.length > 0;
}

export async function countFlags(db: DbLike, comment: Pick<Comment, "threadId" | "id">) {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(flags)
    .where(and(eq(flags.threadId, comment.threadId), eq(flags.commentId, comment.id)));
  return row?.count ?? 0;
}

// --- word filters --------------------------------------------------------------------------

export async function selectWordFilters(db: DbLike): Promise<WordFilter[]> {
  return db.select().from(wordFilters).orderBy(asc(wordFilters.id));
}

export async function findWordFilter(db: DbLike, id: number): Promise<WordFilter | undefined> {
  const [row] = await db.select().from(wordFilters).where(eq(wordFilters.id, id));
  return row;
}

export async function insertWordFilter(
  db: DbLike,
  filter: { kind: WordFilterKind; pattern: string; action: WordFilterAction; createdBy: string },
): Promise<WordFilter> {
  const [row] = await db.insert(wordFilters).values(filter).returning();
  return row!;
}

export async function updateWordFilter(
  db: DbLike,
  id: number,
  fields: Partial<Pick<WordFilter, "kind" | "pattern" | "action">>,
): Promise<WordFilter | undefined> {
  const [row] = await db.update(wordFilters).set(fields).where(eq(wordFilters.id, id)).returning();
  return row;
}

export async function deleteWordFilter(db: DbLike, id: number): Promise<WordFilter | undefined> {
  const [row] = await db.delete(wordFilters).where(eq(wordFilters.id, id)).returning();
  return row;
}

// --- the queue -----------------------------------------------------------------------------

export async function enqueue(
  db: DbLike,
  item: {
    kind: QueueKind;
    reason: QueueReason;
    memberId: string;
    threadId?: number | null;
    commentId?: number | null;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await db
    .insert(moderationQueue)
    .values({ ...item, details: item.details ?? {} })
    .onConflictDoNothing();
}

export async function resolveCommentItems(db: DbLike, commentId: number): Promise<void> {
  await db
    .update(moderationQueue)
    .set({ resolvedAt: sql`now()` })
    .where(
      and(
        eq(moderationQueue.commentId, commentId),
        eq(moderationQueue.kind, "comment"),
        isNull(moderationQueue.resolvedAt),
      ),
    );
}

export async function resolveMemberItems(db: DbLike, memberId: string): Promise<void> {
  await db
    .update(moderationQueue)
    .set({ resolvedAt: sql`now()` })
    .where(
      and(
        eq(moderationQueue.memberId, memberId),
        eq(moderationQueue.kind, "member"),
        isNull(moderationQueue.resolvedAt),
      ),
    );
}

/**
 * A member's comments held in the queue because their account awaits review by screening
 * (not those whose own screening said block), oldest first, locked for the transaction.
 */
export async function selectScreeningHolds(db: DbLike, memberId: string) {
  return db
    .select({
      itemId: moderationQueue.id,
      details: moderationQueue.details,
      comment: comments,
      premoderated: threads.premoderated,
    })
    .from(moderationQueue)
    .innerJoin(
      comments,
      and(
        eq(comments.threadId, moderationQueue.threadId),
        eq(comments.id, moderationQueue.commentId),
      ),
    )
    .innerJoin(threads, eq(threads.id, comments.threadId))
    .where(
      and(
        eq(moderationQueue.memberId, memberId),
        isNull(moderationQueue.resolvedAt),
        eq(moderationQueue.kind, "comment"),
        eq(moderationQueue.reason, "screening"),
        sql`coalesce(${moderationQueue.details}->>'verdict', 'review') <> 'block'`,
        eq(comments.status, "held"),
      ),
    )
    .orderBy(asc(moderationQueue.id))
    .for("update", { of: comments });
}

/** Gives an open queue item another reason (the comment stays held for that one). */
export async function requeueItem(
  db: DbLike,
  id: number,
  reason: QueueReason,
  details: Record<string, unknown>,
): Promise<void> {
  await db.update(moderationQueue).set({ reason, details }).where(eq(moderationQueue.id, id));
}

export interface QueueRow {
  item: Omit<QueueItem, "resolvedAt">;
  threadKey: string | null;
  threadTitle: string | null;
  comment: {
    id: number | null;
    parentId: number | null;
    body: string | null;
    html: string | null;
    status: CommentStatus | null;
    createdAt: Date | null;
    /** Flags on the comment by reason. */
    flags: Record<string, number>;
  };
  parent: { id: number | null; html: string | null; authorName: string | null };
  author: { id: string; handle: string; name: string; avatar: string | null; status: MemberStatus };
  history: MemberHistory;
  moderation: Pick<
    MemberModeration,
    "screeningVerdict" | "screeningScore" | "screeningReasons" | "moderatorVerdict"
  > | null;
}

type RawRow = Record<string, unknown>;
const rowsOf = (result: unknown): RawRow[] =>
  (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as RawRow[];
const toDate = (value: unknown): Date => (value instanceof Date ? value : new Date(String(value)));
const dateOrNull = (value: unknown): Date | null => (value === null ? null : toDate(value));
const numberOrNull = (value: unknown): number | null => (value === null ? null : Number(value));
const json = <T>(value: unknown): T => (typeof value === "string" ? JSON.parse(value) : value) as T;

/**
 * One page of open queue items, oldest first, with what a moderator needs to decide: the
 * thread, the comment and the one it replies to, the author with their screening, their
 * history (comments by status, flags received) and the flags on the comment. One statement:
 * the page comes from a partial index on open items, everything else by key. The page and
 * the per-author and per-comment summaries are materialized, so each is computed once
 * whatever the planner guesses about the page's size.
 */
export async function selectQueue(
  db: DbLike,
  options: { reason?: QueueReason; threadKey?: string; afterId?: number; limit: number },
): Promise<QueueRow[]> {
  const where = [sql`q.resolved_at is null`];
  if (options.reason) where.push(sql`q.reason = ${options.reason}`);
  if (options.threadKey !== undefined)
    where.push(sql`q.thread_id = (select t.id from threads t where t.key = ${options.threadKey})`);
  if (options.afterId !== undefined) where.push(sql`q.id > ${options.afterId}`);
  const result = await db.execute(sql`
    with page as materialized (
      select q.id, q.kind, q.reason, q.thread_id, q.comment_id, q.member_id, q.details,
        q.created_at
      from moderation_queue q
      where ${sql.join(where, sql` and `)}
      order by q.id
      limit ${options.limit}
    ),
    history as materialized (
      select a.member_id, s.counts, s.first_comment_at, f.flags_received
      from (select distinct member_id from page) a
      cross join lateral (
        select jsonb_object_agg(b.status, b.n) as counts, min(b.first_at) as first_comment_at
        from (
          select c.status, count(*)::int as n, min(c.created_at) as first_at
          from comments c where c.author_id = a.member_id group by c.status
        ) b
      ) s
      cross join lateral (
        select count(*)::int as flags_received
        from comments c
        join flags f on f.thread_id = c.thread_id and f.comment_id = c.id
        where c.author_id = a.member_id
      ) f
    ),
    comment_flags as materialized (
      select r.comment_id, jsonb_object_agg(r.reason, r.n) as flags
      from (
        select f.comment_id, f.reason, count(*)::int as n
        from page
        join flags f on f.thread_id = page.thread_id and f.comment_id = page.comment_id
        group by f.comment_id, f.reason
      ) r
      group by r.comment_id
    )
    select page.id, page.kind, page.reason, page.thread_id, page.comment_id, page.member_id,
      page.details, page.created_at,
      t.key as thread_key, t.title as thread_title,
      c.id as c_id, c.parent_id as c_parent_id, c.body as c_body, c.html as c_html,
      c.status as c_status, c.created_at as c_created_at,
      p.id as p_id, p.html as p_html, pa.name as p_author_name,
      m.handle, m.name, m.avatar, m.status as member_status,
      mm.member_id as mm_member_id, mm.screening_verdict, mm.screening_score,
      mm.screening_reasons, mm.moderator_verdict,
      h.counts, h.first_comment_at, h.flags_received, cf.flags
    from page
    join members m on m.id = page.member_id
    left join threads t on t.id = page.thread_id
    left join comments c on c.thread_id = page.thread_id and c.id = page.comment_id
    left join comments p on p.thread_id = c.thread_id and p.id = c.parent_id
    left join members pa on pa.id = p.author_id
    left join member_moderation mm on mm.member_id = page.member_id
    left join history h on h.member_id = page.member_id
    left join comment_flags cf on cf.comment_id = page.comment_id
    order by page.id`);
  return rowsOf(result).map(toQueueRow);
}

function toQueueRow(row: RawRow): QueueRow {
  const counts = json<Record<string, number> | null>(row.counts) ?? {};
  return {
    item: {
      id: Number(row.id),
      kind: row.kind as QueueKind,
      reason: row.reason as QueueReason,
      threadId: numberOrNull(row.thread_id),
      commentId: numberOrNull(row.comment_id),
      memberId: String(row.member_id),
      details: json<Record<string, unknown>>(row.details) ?? {},
      createdAt: toDate(row.created_at),
    },
    threadKey: (row.thread_key as string | null) ?? null,
    threadTitle: (row.thread_title as string | null) ?? null,
    comment: {
      id: numberOrNull(row.c_id),
      parentId: numberOrNull(row.c_parent_id),
      body: (row.c_body as string | null) ?? null,
      html: (row.c_html as string | null) ?? null,
      status: (row.c_status as CommentStatus | null) ?? null,
      createdAt: dateOrNull(row.c_created_at),
      flags: json<Record<string, number> | null>(row.flags) ?? {},
    },
    parent: {
      id: numberOrNull(row.p_id),
      html: (row.p_html as string | null) ?? null,
      authorName: (row.p_author_name as string | null) ?? null,
    },
    author: {
      id: String(row.member_id),
      handle: String(row.handle),
      name: String(row.name),
      avatar: (row.avatar as string | null) ?? null,
      status: row.member_status as MemberStatus,
    },
    history: {
      comments: {
        published: counts.published ?? 0,
        held: counts.held ?? 0,
        deleted: counts.deleted ?? 0,
        removed: counts.removed ?? 0,
      },
      flagsReceived: Number(row.flags_received ?? 0),
      firstCommentAt: dateOrNull(row.first_comment_at ?? null),
    },
    moderation:
      row.mm_member_id === null
        ? null
        : {
            screeningVerdict:
              (row.screening_verdict as MemberModeration["screeningVerdict"]) ?? null,
            screeningScore: numberOrNull(row.screening_score),
            screeningReasons:
              json<MemberModeration["screeningReasons"]>(row.screening_reasons) ?? [],
            moderatorVerdict:
              (row.moderator_verdict as MemberModeration["moderatorVerdict"]) ?? null,
          },
  };
}

export async function findOpenQueueItem(
  db: DbLike,
  where: { commentId?: number; memberId?: string },
): Promise<QueueItem | undefined> {
  const [row] = await db
    .select()
    .from(moderationQueue)
    .where(
      and(
        isNull(moderationQueue.resolvedAt),
        where.commentId !== undefined
          ? and(eq(moderationQueue.kind, "comment"), eq(moderationQueue.commentId, where.commentId))
          : and(eq(moderationQueue.kind, "member"), eq(moderationQueue.memberId, where.memberId!)),
      ),
    );
  return row;
}

// --- history -------------------------------------------------------------------------------

export interface MemberHistory {
  comments: Record<CommentStatus, number>;
  flagsReceived: number;
  firstCommentAt: Date | null;
}

/** Comment counts by status and flags received, for each of the given members. */
export async function selectHistories(
  db: DbLike,
  memberIds: string[],
): Promise<Map<string, MemberHistory>> {
  const result = new Map<string, MemberHistory>();
  if (memberIds.length === 0) return result;
  for (const id of memberIds) {
    result.set(id, {
      comments: { published: 0, held: 0, deleted: 0, removed: 0 },
      flagsReceived: 0,
      firstCommentAt: null,
    });
  }
  const countsQuery = db
    .select({
      authorId: comments.authorId,
      status: comments.status,
      count: sql<number>`count(*)::int`,
      first: sql<Date>`min(${comments.createdAt})`,
    })
    .from(comments)
    .where(inArray(comments.authorId, memberIds))
    .groupBy(comments.authorId, comments.status);
  const flaggedQuery = db
    .select({ authorId: comments.authorId, count: sql<number>`count(*)::int` })
    .from(flags)
    .innerJoin(
      comments,
      and(eq(comments.threadId, flags.threadId), eq(comments.id, flags.commentId)),
    )
    .where(inArray(comments.authorId, memberIds))
    .groupBy(comments.authorId);
  const [counts, flagged] = await Promise.all([countsQuery, flaggedQuery]);
  for (const row of counts) {
    const history = result.get(row.authorId)!;
    history.comments[row.status] = row.count;
    const first = row.first ? new Date(row.first) : null;
    if (first && (!history.firstCommentAt || first < history.firstCommentAt))
      history.firstCommentAt = first;
  }
  for (const row of flagged) result.get(row.authorId)!.flagsReceived = row.count;
  return result;
}

export async function selectRecentComments(db: DbLike, memberId: string, limit: number) {
  return db
    .select({
      id: comments.id,
      threadKey: threads.key,
      parentId: comments.parentId,
      html: comments.html,
      status: comments.status,
      createdAt: comments.createdAt,
    })
    .from(comments)
    .innerJoin(threads, eq(threads.id, comments.threadId))
    .where(eq(comments.authorId, memberId))
    .orderBy(desc(comments.createdAt))
    .limit(limit);
}

/** Sets every live comment of a member to removed; returns the changed comments. */
export async function removeMemberComments(db: DbLike, memberId: string) {
  return db
    .update(comments)
    .set({ status: "removed" })
    .where(and(eq(comments.authorId, memberId), inArray(comments.status, ["published", "held"])))
    .returning({ threadId: comments.threadId, id: comments.id, status: comments.status });
}

export async function countMemberComments(db: DbLike, memberId: string): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(comments)
    .where(eq(comments.authorId, memberId));
  return row?.count ?? 0;
}

export async function setCommentPinned(
  db: DbLike,
  comment: Pick<Comment, "threadId" | "id">,
  pinned: boolean,
): Promise<Comment> {
  const [row] = await db
    .update(comments)
    .set({ pinnedAt: pinned ? sql`now()` : null })
    .where(and(eq(comments.threadId, comment.threadId), eq(comments.id, comment.id)))
    .returning();
  return row!;
}

// --- audit ---------------------------------------------------------------------------------

export async function insertAudit(
  db: DbLike,
  entry: {
    actorId: string | null;
    action: string;
    targetType: string;
    targetId: string;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
  },
): Promise<void> {
  await db.insert(auditLog).values(entry);
}

/** Audit entries, newest first, before the cursor id. */
export async function selectAudit(
  db: DbLike,
  options: { beforeId?: number; limit: number; targetType?: string; targetId?: string },
): Promise<(AuditEntry & { actorHandle: string | null; actorName: string | null })[]> {
  return db
    .select({
      id: auditLog.id,
      actorId: auditLog.actorId,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      before: auditLog.before,
      after: auditLog.after,
      createdAt: auditLog.createdAt,
      actorHandle: members.handle,
      actorName: members.name,
    })
    .from(auditLog)
    .leftJoin(members, eq(members.id, auditLog.actorId))
    .where(
      and(
        options.beforeId !== undefined ? lt(auditLog.id, options.beforeId) : undefined,
        options.targetType ? eq(auditLog.targetType, options.targetType) : undefined,
        options.targetId ? eq(auditLog.targetId, options.targetId) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(options.limit);
}

// --- screening records ---------------------------------------------------------------------

export async function countRecentSignups(
  db: DbLike,
  ip: string,
  subnet: string,
  since: Date,
): Promise<{ ip: number; subnet: number }> {
  const [row] = await db
    .select({
      ip: sql<number>`count(*) filter (where ${screeningSignups.ip} = ${ip})::int`,
      subnet: sql<number>`count(*)::int`,
    })
    .from(screeningSignups)
    .where(and(eq(screeningSignups.subnet, subnet), gte(screeningSignups.createdAt, since)));
  return { ip: row?.ip ?? 0, subnet: row?.subnet ?? 0 };
}

export async function insertSignup(db: DbLike, ip: string, subnet: string, at: Date) {
  await db.insert(screeningSignups).values({ ip, subnet, createdAt: at });
}

export async function deleteOldSignups(db: DbLike, before: Date) {
  await db.delete(screeningSignups).where(lt(screeningSignups.createdAt, before));
  await db.delete(screeningTexts).where(lt(screeningTexts.createdAt, before));
}

/** Other members who posted a first post with this fingerprint since `since`. */
export async function countTextAuthors(
  db: DbLike,
  hash: string,
  memberId: string,
  since: Date,
): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(screeningTexts)
    .where(
      and(
        eq(screeningTexts.hash, hash),
        ne(screeningTexts.memberId, memberId),
        gte(screeningTexts.createdAt, since),
      ),
    );
  return row?.count ?? 0;
}

export async function insertText(db: DbLike, hash: string, memberId: string, at: Date) {
  await db.insert(screeningTexts).values({ hash, memberId, createdAt: at }).onConflictDoNothing();
}

/**
 * Records a solved proof-of-work challenge by its signature; false when it was recorded
 * before (by this process or another one on the same database).
 */
export async function claimChallenge(
  db: DbLike,
  signature: string,
  expiresAt: Date,
): Promise<boolean> {
  const rows = await db
    .insert(screeningChallenges)
    .values({ signature, expiresAt })
    .onConflictDoNothing()
    .returning({ signature: screeningChallenges.signature });
  return rows.length > 0;
}

export async function deleteExpiredChallenges(db: DbLike, now: Date): Promise<void> {
  await db.delete(screeningChallenges).where(lt(screeningChallenges.expiresAt, now));
}

/** What screening a member's first session needs from the database, read in one statement. */
export interface SignupState {
  moderation: MemberModeration | undefined;
  /** Signups in the window from the address and its subnet; absent once the member was screened. */
  recentSignups?: { ip: number; subnet: number };
  /** Whether the solved challenge was used before; absent once screened. */
  challengeUsed?: boolean;
}

/**
 * A member's moderation state and, while they have not been screened yet, the records their
 * screening will ask for: recent signups from their address and subnet, and whether the
 * proof-of-work challenge they solved was used before. One round trip, and no write: the
 * use of the challenge is recorded with the verdict.
 */
export async function selectSignupState(
  db: DbLike,
  memberId: string,
  options: {
    signups?: { ip: string; subnet: string; since: Date } | undefined;
    challenge?: { signature: string } | undefined;
  },
): Promise<SignupState> {
  const { signups, challenge } = options;
  const since = signups ? sql`${signups.since.toISOString()}::timestamptz` : sql``;
  const result = await db.execute(sql`
    with mm as (select * from member_moderation where member_id = ${memberId}),
    fresh as (select not exists (select 1 from mm where screened_at is not null) as unscreened)
    select fresh.unscreened, (select row_to_json(mm) from mm) as moderation
      ${
        challenge
          ? sql`, exists (select 1 from screening_challenges c
                where fresh.unscreened and c.signature = ${challenge.signature}) as challenge_used`
          : sql``
      }
      ${signups ? sql`, s.ip_signups, s.subnet_signups` : sql``}
    from fresh
    ${
      signups
        ? sql`left join lateral (
            select count(*) filter (where s.ip = ${signups.ip})::int as ip_signups,
              count(*)::int as subnet_signups
            from screening_signups s
            where s.subnet = ${signups.subnet} and s.created_at >= ${since}
          ) s on fresh.unscreened`
        : sql``
    }`);
  const row = rowsOf(result)[0]!;
  const raw = json<Record<string, unknown> | null>(row.moderation);
  const state: SignupState = { moderation: raw ? toModeration(raw) : undefined };
  if (row.unscreened) {
    if (signups)
      state.recentSignups = { ip: Number(row.ip_signups), subnet: Number(row.subnet_signups) };
    if (challenge) state.challengeUsed = Boolean(row.challenge_used);
  }
  return state;
}

/** A `member_moderation` row as `row_to_json` gives it. */
function toModeration(raw: Record<string, unknown>): MemberModeration {
  return {
    memberId: String(raw.member_id),
    bannedUntil: dateOrNull(raw.banned_until),
    banReason: (raw.ban_reason as string | null) ?? null,
    screeningVerdict: (raw.screening_verdict as MemberModeration["screeningVerdict"]) ?? null,
    screeningScore: numberOrNull(raw.screening_score),
    screeningReasons: (raw.screening_reasons as MemberModeration["screeningReasons"]) ?? [],
    screenedAt: dateOrNull(raw.screened_at),
    screenedComments: Number(raw.screened_comments ?? 0),
    moderatorVerdict: (raw.moderator_verdict as MemberModeration["moderatorVerdict"]) ?? null,
    moderatorVerdictBy: (raw.moderator_verdict_by as string | null) ?? null,
    moderatorVerdictAt: dateOrNull(raw.moderator_verdict_at),
    approvedComments: Number(raw.approved_comments ?? 0),
    signupIp: (raw.signup_ip as string | null) ?? null,
    updatedAt: toDate(raw.updated_at),
  };
}
