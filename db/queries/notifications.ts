/**
 * Notifications, follows and mutes. The statements the event handler runs for every batch
 * of events (insertNotifications, followThreads, countUnreadFor, selectFollowsOf,
 * selectMutesAmong, selectUnreadThreadNotices, lockRecipients, selectActors) are written as
 * SQL with one parameter per list: drizzle would build each anew for every batch, which
 * costs more CPU than running it.
 */
import {
  and,
  asc,
  desc,
  eq,
  gt,
  gte,
  inArray,
  isNull,
  like,
  lt,
  ne,
  notExists,
  sql,
} from "drizzle-orm";
import type { DbLike } from "../client.ts";
import {
  comments,
  type EmailMode,
  type Member,
  type MemberStatus,
  memberMutes,
  members,
  type NewNotification,
  type Notification,
  type NotificationKind,
  notificationPreferences,
  notifications,
  threadFollows,
  threads,
  unsubscribeUses,
} from "../schema.ts";
import { anyUuid, bigintArray, uuidArray } from "./any-of.ts";
import { fromJson, rowsOf, toDate, toDateOrNull } from "./raw-rows.ts";

/** The transaction lock that notification writers queue on (see `insertNotifications`). */
const NOTIFICATION_WRITERS_LOCK = 7320155;

/**
 * Inserts notifications, in the order given, in one statement with the rows as one jsonb
 * parameter; a replayed event adds none twice. Returns the rows written, in that order.
 *
 * Run it in a transaction. The transaction then holds a lock until it ends, and no other
 * transaction can write notifications in the meantime. Two event dispatchers (in different
 * processes) therefore commit notifications in the order of their ids. A live stream that has
 * sent notification 11 can never receive notification 10 after it, and a reconnect that asks
 * for the notifications after `Last-Event-ID` misses none.
 */
export async function insertNotifications(
  db: DbLike,
  rows: NewNotification[],
): Promise<Notification[]> {
  if (rows.length === 0) return [];
  await db.execute(sql`select pg_advisory_xact_lock(${NOTIFICATION_WRITERS_LOCK})`);
  const input = rows.map((row, ord) => ({
    ord,
    member_id: row.memberId,
    kind: row.kind,
    event_id: row.eventId,
    thread_id: row.threadId,
    comment_id: row.commentId,
    actor_id: row.actorId ?? null,
    payload: row.payload ?? null,
    created_at: row.createdAt ?? null,
    read_at: row.readAt ?? null,
    digested_at: row.digestedAt ?? null,
  }));
  const written = rowsOf(
    await db.execute(sql`
      insert into notifications (member_id, kind, event_id, thread_id, comment_id, actor_id,
        payload, created_at, read_at, digested_at)
      select member_id, kind, event_id, thread_id, comment_id, actor_id,
        coalesce(payload, '{}'::jsonb), coalesce(created_at, now()), read_at, digested_at
      from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as r(
        ord int, member_id uuid, kind text, event_id bigint, thread_id bigint, comment_id bigint,
        actor_id uuid, payload jsonb, created_at timestamptz, read_at timestamptz,
        digested_at timestamptz)
      order by ord
      on conflict do nothing
      returning id, member_id, kind, event_id, thread_id, comment_id, actor_id, payload,
        created_at, read_at, digested_at`),
  );
  return written.map((row) => ({
    id: Number(row.id),
    memberId: String(row.member_id),
    kind: row.kind as NotificationKind,
    eventId: Number(row.event_id),
    threadId: Number(row.thread_id),
    commentId: Number(row.comment_id),
    actorId: (row.actor_id as string | null) ?? null,
    payload: fromJson(row.payload) as Record<string, unknown>,
    createdAt: toDate(row.created_at),
    readAt: toDateOrNull(row.read_at),
    digestedAt: toDateOrNull(row.digested_at),
  }));
}

/** Notifications with what a list shows of them: the actor, the thread and the comment. */
function selectWithContext(db: DbLike) {
  return db
    .select({
      notification: notifications,
      actorName: members.name,
      actorHandle: members.handle,
      actorAvatar: members.avatar,
      threadKey: threads.key,
      threadTitle: threads.title,
      threadUrl: threads.url,
      commentBody: comments.body,
      commentStatus: comments.status,
    })
    .from(notifications)
    .leftJoin(members, eq(members.id, notifications.actorId))
    .innerJoin(threads, eq(threads.id, notifications.threadId))
    .leftJoin(
      comments,
      and(eq(comments.threadId, notifications.threadId), eq(comments.id, notifications.commentId)),
    );
}

/** A member's notifications with actor, thread and comment, newest first, below `before`. */
export async function selectNotificationPage(
  db: DbLike,
  memberId: string,
  options: {
    before?: number | undefined;
    after?: number | undefined;
    limit: number;
    unread?: boolean;
  },
) {
  const conditions = [
    eq(notifications.memberId, memberId),
    options.before !== undefined ? lt(notifications.id, options.before) : undefined,
    options.after !== undefined ? gt(notifications.id, options.after) : undefined,
    options.unread ? isNull(notifications.readAt) : undefined,
  ].filter((c) => c !== undefined);
  return selectWithContext(db)
    .where(and(...conditions))
    .orderBy(options.after !== undefined ? asc(notifications.id) : desc(notifications.id))
    .limit(options.limit);
}
export type NotificationRow = Awaited<ReturnType<typeof selectNotificationPage>>[number];

/** Notifications by id with actor, thread and comment, in no particular order. */
export async function selectNotificationsByIds(
  db: DbLike,
  ids: number[],
): Promise<NotificationRow[]> {
  if (ids.length === 0) return [];
  return selectWithContext(db).where(inArray(notifications.id, ids));
}

export async function countUnread(db: DbLike, memberId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(and(eq(notifications.memberId, memberId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** Unread notifications per member, for the members given (those with none are left out). */
export async function countUnreadFor(
  db: DbLike,
  memberIds: string[],
): Promise<Map<string, number>> {
  if (memberIds.length === 0) return new Map();
  const rows = rowsOf(
    await db.execute(sql`
      select member_id, count(*)::int as n from notifications
      where member_id = any(${uuidArray(memberIds)}::uuid[]) and read_at is null
      group by member_id`),
  );
  return new Map(rows.map((row) => [String(row.member_id), Number(row.n)]));
}

/** Marks read; `ids` undefined marks all. Returns how many changed. */
export async function markRead(
  db: DbLike,
  memberId: string,
  at: Date,
  ids?: number[],
): Promise<number> {
  const rows = await db
    .update(notifications)
    .set({ readAt: at })
    .where(
      and(
        eq(notifications.memberId, memberId),
        isNull(notifications.readAt),
        ids ? inArray(notifications.id, ids) : undefined,
      ),
    )
    .returning({ id: notifications.id });
  return rows.length;
}

export async function findNotification(db: DbLike, id: number): Promise<Notification | undefined> {
  const [row] = await db.select().from(notifications).where(eq(notifications.id, id));
  return row;
}

/** Unread notifications of the given kinds not yet in a digest, oldest first. */
export async function selectDigestable(
  db: DbLike,
  memberId: string,
  kinds: NotificationKind[],
  limit: number,
): Promise<NotificationRow[]> {
  if (kinds.length === 0) return [];
  const rows = await selectWithContext(db)
    .where(
      and(
        eq(notifications.memberId, memberId),
        inArray(notifications.kind, kinds),
        isNull(notifications.readAt),
        isNull(notifications.digestedAt),
      ),
    )
    .orderBy(asc(notifications.id))
    .limit(limit);
  return rows;
}

export async function markDigested(db: DbLike, ids: number[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.update(notifications).set({ digestedAt: at }).where(inArray(notifications.id, ids));
}

/** Follows a thread from now; a member who follows already keeps the earlier time. */
export async function followThread(db: DbLike, memberId: string, threadId: number): Promise<void> {
  await followThreads(db, [{ memberId, threadId }]);
}

/**
 * Follows threads in one statement, each from `since` (a comment's time when posting it
 * made the member a follower; now when absent). A member who follows already, or is named
 * twice, keeps the earliest time.
 */
export async function followThreads(
  db: DbLike,
  follows: { memberId: string; threadId: number; since?: Date }[],
): Promise<void> {
  const earliest = new Map<string, { memberId: string; threadId: number; createdAt?: Date }>();
  for (const { memberId, threadId, since } of follows) {
    const key = `${memberId}|${threadId}`;
    const known = earliest.get(key);
    if (!known || (since && (!known.createdAt || since < known.createdAt)))
      earliest.set(key, { memberId, threadId, ...(since ? { createdAt: since } : {}) });
  }
  if (earliest.size === 0) return;
  const input = [...earliest.values()].map(({ memberId, threadId, createdAt }) => ({
    member_id: memberId,
    thread_id: threadId,
    created_at: createdAt ?? null,
  }));
  await db.execute(sql`
    insert into thread_follows (member_id, thread_id, created_at)
    select member_id, thread_id, coalesce(created_at, now())
    from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as r(
      member_id uuid, thread_id bigint, created_at timestamptz)
    on conflict (member_id, thread_id) do update set created_at = excluded.created_at
      where excluded.created_at < thread_follows.created_at`);
}

export async function unfollowThread(
  db: DbLike,
  memberId: string,
  threadId: number,
): Promise<void> {
  await db
    .delete(threadFollows)
    .where(and(eq(threadFollows.memberId, memberId), eq(threadFollows.threadId, threadId)));
}

export async function isFollowing(db: DbLike, memberId: string, threadId: number) {
  const [row] = await db
    .select({ m: threadFollows.memberId })
    .from(threadFollows)
    .where(and(eq(threadFollows.memberId, memberId), eq(threadFollows.threadId, threadId)));
  return !!row;
}

/** Every follow of the given threads, with the time it dates from. */
export async function selectFollowsOf(
  db: DbLike,
  threadIds: number[],
): Promise<{ memberId: string; threadId: number; createdAt: Date }[]> {
  if (threadIds.length === 0) return [];
  const rows = rowsOf(
    await db.execute(sql`
      select member_id, thread_id, created_at from thread_follows
      where thread_id = any(${bigintArray(threadIds)}::bigint[])`),
  );
  return rows.map((row) => ({
    memberId: String(row.member_id),
    threadId: Number(row.thread_id),
    createdAt: toDate(row.created_at),
  }));
}

export async function muteMember(db: DbLike, memberId: string, mutedId: string): Promise<void> {
  await db.insert(memberMutes).values({ memberId, mutedId }).onConflictDoNothing();
}

export async function unmuteMember(db: DbLike, memberId: string, mutedId: string): Promise<void> {
  await db
    .delete(memberMutes)
    .where(and(eq(memberMutes.memberId, memberId), eq(memberMutes.mutedId, mutedId)));
}

export async function selectMutes(db: DbLike, memberId: string) {
  return db
    .select({ id: members.id, handle: members.handle, name: members.name, avatar: members.avatar })
    .from(memberMutes)
    .innerJoin(members, eq(members.id, memberMutes.mutedId))
    .where(eq(memberMutes.memberId, memberId))
    .orderBy(asc(members.handle));
}

/** Of `memberIds`, who muted whom of `actorIds`, as `member|muted` pairs. */
export async function selectMutesAmong(
  db: DbLike,
  actorIds: string[],
  memberIds: string[],
): Promise<Set<string>> {
  if (actorIds.length === 0 || memberIds.length === 0) return new Set();
  const rows = rowsOf(
    await db.execute(sql`
      select member_id, muted_id from member_mutes
      where muted_id = any(${uuidArray(actorIds)}::uuid[])
        and member_id = any(${uuidArray(memberIds)}::uuid[])`),
  );
  return new Set(rows.map((row) => `${row.member_id}|${row.muted_id}`));
}

/**
 * Of `memberIds`, who already has an unread "thread" notification for one of `threadIds`,
 * as `member|thread` pairs: a busy thread adds to that one instead of making another. The
 * kind is written into the statement, so that its plan can use the partial index on unread
 * thread notifications however often it runs.
 */
export async function selectUnreadThreadNotices(
  db: DbLike,
  memberIds: string[],
  threadIds: number[],
): Promise<Set<string>> {
  if (memberIds.length === 0 || threadIds.length === 0) return new Set();
  const rows = rowsOf(
    await db.execute(sql`
      select distinct member_id, thread_id from notifications
      where member_id = any(${uuidArray(memberIds)}::uuid[])
        and thread_id = any(${bigintArray(threadIds)}::bigint[])
        and kind = 'thread' and read_at is null and digested_at is null`),
  );
  return new Set(rows.map((row) => `${row.member_id}|${Number(row.thread_id)}`));
}

/**
 * What a followed thread's notification stands for: the thread's published comments from
 * its comment on, in order, except the member's own and those of members they muted.
 */
export async function selectFollowedComments(
  db: DbLike,
  memberId: string,
  threadId: number,
  fromCommentId: number,
  limit: number,
) {
  return db
    .select({
      id: comments.id,
      authorId: comments.authorId,
      body: comments.body,
      status: comments.status,
      name: members.name,
      handle: members.handle,
      avatar: members.avatar,
    })
    .from(comments)
    .innerJoin(members, eq(members.id, comments.authorId))
    .where(
      and(
        eq(comments.threadId, threadId),
        gte(comments.id, fromCommentId),
        eq(comments.status, "published"),
        ne(comments.authorId, memberId),
        notExists(
          db
            .select({ one: sql`1` })
            .from(memberMutes)
            .where(
              and(eq(memberMutes.memberId, memberId), eq(memberMutes.mutedId, comments.authorId)),
            ),
        ),
      ),
    )
    .orderBy(asc(comments.id))
    .limit(limit);
}

/** Sends each payload as a NOTIFY on `channel` when the transaction commits: one statement. */
export async function announce(db: DbLike, channel: string, payloads: string[]): Promise<void> {
  if (payloads.length === 0) return;
  await db.execute(
    sql`select pg_notify(${channel}, payload) from jsonb_array_elements_text(${JSON.stringify(payloads)}::jsonb) as payload`,
  );
}

export async function selectMembersByIds(db: DbLike, ids: string[]) {
  if (ids.length === 0) return [];
  return db.select().from(members).where(anyUuid(members.id, ids));
}

/** What notifying a member needs of them: whether they may read it, and their email. */
export type Recipient = Pick<Member, "id" | "status" | "roles" | "tiers" | "email">;

/**
 * The members a notification is about to reach, their rows share-locked until the
 * transaction ends: a member erased meanwhile is seen as erased, not notified after the
 * erasure has run.
 */
export async function lockRecipients(tx: DbLike, ids: string[]): Promise<Recipient[]> {
  if (ids.length === 0) return [];
  const rows = rowsOf(
    await tx.execute(sql`
      select id, status, roles, tiers, email from members
      where id = any(${uuidArray(ids)}::uuid[])
      for share`),
  );
  return rows.map((row) => ({
    id: String(row.id),
    status: row.status as MemberStatus,
    roles: row.roles as string[],
    tiers: row.tiers as string[],
    email: (row.email as string | null) ?? null,
  }));
}

/** What a notification shows of the member who caused it. */
export type Actor = Pick<Member, "id" | "name" | "handle" | "avatar">;

export async function selectActors(db: DbLike, ids: string[]): Promise<Actor[]> {
  if (ids.length === 0) return [];
  const rows = rowsOf(
    await db.execute(sql`
      select id, name, handle, avatar from members where id = any(${uuidArray(ids)}::uuid[])`),
  );
  return rows.map((row) => ({
    id: String(row.id),
    name: String(row.name),
    handle: String(row.handle),
    avatar: (row.avatar as string | null) ?? null,
  }));
}

export async function selectMembersByHandles(db: DbLike, handles: string[]) {
  if (handles.length === 0) return [];
  return db.select().from(members).where(inArray(members.handle, handles));
}

/** Handles starting with `prefix`, shortest first (for the composer). */
export async function selectHandlesByPrefix(db: DbLike, prefix: string, limit: number) {
  const escaped = prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
  return db
    .select({ id: members.id, handle: members.handle, name: members.name, avatar: members.avatar })
    .from(members)
    .where(and(like(members.handle, `${escaped}%`), eq(members.status, "active")))
    .orderBy(sql`length(${members.handle})`, asc(members.handle))
    .limit(limit);
}

export async function findPreferences(
  db: DbLike,
  memberId: string,
): Promise<Partial<Record<NotificationKind, EmailMode>>> {
  const [row] = await db
    .select({ email: notificationPreferences.email })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.memberId, memberId));
  return row?.email ?? {};
}

export async function selectPreferencesFor(db: DbLike, memberIds: string[]) {
  if (memberIds.length === 0)
    return new Map<string, Partial<Record<NotificationKind, EmailMode>>>();
  const rows = await db
    .select()
    .from(notificationPreferences)
    .where(inArray(notificationPreferences.memberId, memberIds));
  return new Map(rows.map((r) => [r.memberId, r.email]));
}

export async function upsertPreferences(
  db: DbLike,
  memberId: string,
  email: Partial<Record<NotificationKind, EmailMode>>,
): Promise<void> {
  await db
    .insert(notificationPreferences)
    .values({ memberId, email })
    .onConflictDoUpdate({
      target: notificationPreferences.memberId,
      set: { email, updatedAt: sql`now()` },
    });
}

/** Records an unsubscribe nonce; false when it was used before. */
export async function claimUnsubscribeNonce(
  db: DbLike,
  nonce: string,
  memberId: string,
): Promise<boolean> {
  const rows = await db
    .insert(unsubscribeUses)
    .values({ nonce, memberId })
    .onConflictDoNothing()
    .returning({ nonce: unsubscribeUses.nonce });
  return rows.length > 0;
}
