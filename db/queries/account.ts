/**
 * A member's own data: everything they wrote or did, for export, and erasing it on request.
 */
import { and, asc, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { DbLike } from "../client.ts";
import {
  commentRevisions,
  comments,
  deliveries,
  memberMutes,
  members,
  notificationPreferences,
  notifications,
  reactions,
  threadFollows,
  threads,
} from "../schema.ts";

export async function selectMemberComments(db: DbLike, memberId: string) {
  return db
    .select({
      id: comments.id,
      threadId: comments.threadId,
      threadKey: threads.key,
      parentId: comments.parentId,
      body: comments.body,
      html: comments.html,
      status: comments.status,
      createdAt: comments.createdAt,
      editedAt: comments.editedAt,
      deletedAt: comments.deletedAt,
    })
    .from(comments)
    .innerJoin(threads, eq(threads.id, comments.threadId))
    .where(eq(comments.authorId, memberId))
    .orderBy(asc(comments.id));
}

export async function selectRevisionsOfMemberComments(db: DbLike, memberId: string) {
  return db
    .select({
      commentId: commentRevisions.commentId,
      revision: commentRevisions.revision,
      body: commentRevisions.body,
      createdAt: commentRevisions.createdAt,
    })
    .from(commentRevisions)
    .innerJoin(
      comments,
      and(
        eq(comments.threadId, commentRevisions.threadId),
        eq(comments.id, commentRevisions.commentId),
      ),
    )
    .where(eq(comments.authorId, memberId))
    .orderBy(asc(commentRevisions.commentId), asc(commentRevisions.revision));
}

export async function selectReactionsByMember(db: DbLike, memberId: string) {
  return db
    .select({
      threadId: reactions.threadId,
      threadKey: threads.key,
      commentId: reactions.commentId,
      kind: reactions.kind,
      createdAt: reactions.createdAt,
    })
    .from(reactions)
    .innerJoin(threads, eq(threads.id, reactions.threadId))
    .where(eq(reactions.memberId, memberId))
    .orderBy(asc(reactions.createdAt));
}

/**
 * Empties the text of every comment the member wrote; live ones become `deleted` (kept as
 * tombstones while they have replies). Returns the comments that were live before.
 */
export async function eraseMemberComments(db: DbLike, memberId: string) {
  const live = await db
    .select({ threadId: comments.threadId, id: comments.id, status: comments.status })
    .from(comments)
    .where(
      and(eq(comments.authorId, memberId), notInArray(comments.status, ["deleted", "removed"])),
    );
  await db
    .update(comments)
    .set({
      body: "",
      html: "",
      status: sql`case when ${comments.status} = 'removed' then 'removed' else 'deleted' end`,
      deletedAt: sql`coalesce(${comments.deletedAt}, now())`,
    })
    .where(eq(comments.authorId, memberId));
  const ids = await db
    .select({ threadId: comments.threadId, id: comments.id })
    .from(comments)
    .where(eq(comments.authorId, memberId));
  for (const threadId of new Set(ids.map((row) => row.threadId))) {
    await db.delete(commentRevisions).where(
      and(
        eq(commentRevisions.threadId, threadId),
        inArray(
          commentRevisions.commentId,
          ids.filter((row) => row.threadId === threadId).map((row) => row.id),
        ),
      ),
    );
  }
  return live;
}

/** Replaces the member's profile with an anonymous one; a later sign-in starts afresh. */
export async function anonymizeMember(db: DbLike, memberId: string, handle: string) {
  await db
    .update(members)
    .set({
      subject: sql`'erased:' || ${members.id}::text`,
      handle,
      name: "",
      email: null,
      avatar: null,
      roles: sql`'{}'::text[]`,
      tiers: sql`'{}'::text[]`,
      status: "erased",
      updatedAt: sql`now()`,
    })
    .where(eq(members.id, memberId));
}

/** The member's email preferences, followed threads and muted members, for export. */
export async function selectMemberNotificationSettings(db: DbLike, memberId: string) {
  const [preferences] = await db
    .select({ email: notificationPreferences.email })
    .from(notificationPreferences)
    .where(eq(notificationPreferences.memberId, memberId));
  const follows = await db
    .select({ threadKey: threads.key, createdAt: threadFollows.createdAt })
    .from(threadFollows)
    .innerJoin(threads, eq(threads.id, threadFollows.threadId))
    .where(eq(threadFollows.memberId, memberId));
  const mutes = await db
    .select({ handle: members.handle, createdAt: memberMutes.createdAt })
    .from(memberMutes)
    .innerJoin(members, eq(members.id, memberMutes.mutedId))
    .where(eq(memberMutes.memberId, memberId));
  return { email: preferences?.email ?? {}, follows, mutes };
}

/**
 * Deletes the member's notifications, follows, mutes (theirs and of them) and preferences,
 * and drops every email still waiting for them.
 */
export async function eraseMemberNotificationData(db: DbLike, memberId: string) {
  await db.delete(notifications).where(eq(notifications.memberId, memberId));
  await db.delete(threadFollows).where(eq(threadFollows.memberId, memberId));
  await db.delete(memberMutes).where(eq(memberMutes.memberId, memberId));
  await db.delete(memberMutes).where(eq(memberMutes.mutedId, memberId));
  await db.delete(notificationPreferences).where(eq(notificationPreferences.memberId, memberId));
  await db
    .update(deliveries)
    .set({ status: "skipped", payload: {} })
    .where(
      and(
        eq(deliveries.memberId, memberId),
        eq(deliveries.kind, "email"),
        inArray(deliveries.status, ["pending", "sending", "parked"]),
      ),
    );
}
