/**
 * A member's own account: export everything Hearth holds about them, or erase it.
 */
import { randomBytes } from "node:crypto";
import {
  anonymizeMember,
  eraseMemberComments,
  eraseMemberNotificationData,
  selectMemberComments,
  selectMemberNotificationSettings,
  selectReactionsByMember,
  selectRevisionsOfMemberComments,
} from "../../db/queries/account.ts";
import { removeReaction } from "../../db/queries/comments.ts";
import { findMemberById } from "../../db/queries/members.ts";
import type { AppContext } from "../context.ts";
import { unauthenticated } from "../errors.ts";
import { reactionsCacheKey } from "./comments.ts";
import type { Session } from "./sessions.ts";

async function requireMember(ctx: AppContext, session: Session) {
  const member = await findMemberById(ctx.database.db, session.memberId);
  if (!member || member.status === "erased") {
    throw unauthenticated("token_invalid", "The session names no known member.");
  }
  return member;
}

/** Everything Hearth keeps about the caller, as one JSON document. */
export async function exportAccount(ctx: AppContext, session: Session) {
  const member = await requireMember(ctx, session);
  const db = ctx.database.db;
  const [comments, revisions, reactions, notifications] = await Promise.all([
    selectMemberComments(db, member.id),
    selectRevisionsOfMemberComments(db, member.id),
    selectReactionsByMember(db, member.id),
    selectMemberNotificationSettings(db, member.id),
  ]);
  const revisionsByComment = new Map<number, typeof revisions>();
  for (const revision of revisions) {
    const list = revisionsByComment.get(revision.commentId) ?? [];
    list.push(revision);
    revisionsByComment.set(revision.commentId, list);
  }
  return {
    exportedAt: ctx.now().toISOString(),
    member: {
      id: member.id,
      handle: member.handle,
      name: member.name,
      email: member.email,
      avatar: member.avatar,
      roles: member.roles,
      tiers: member.tiers,
      status: member.status,
      createdAt: member.createdAt.toISOString(),
    },
    comments: comments.map((comment) => ({
      id: String(comment.id),
      threadKey: comment.threadKey,
      parentId: comment.parentId === null ? null : String(comment.parentId),
      body: comment.body,
      html: comment.html,
      status: comment.status,
      createdAt: comment.createdAt.toISOString(),
      editedAt: comment.editedAt?.toISOString() ?? null,
      deletedAt: comment.deletedAt?.toISOString() ?? null,
      revisions: (revisionsByComment.get(comment.id) ?? []).map((revision) => ({
        revision: revision.revision,
        body: revision.body,
        createdAt: revision.createdAt.toISOString(),
      })),
    })),
    reactions: reactions.map((reaction) => ({
      threadKey: reaction.threadKey,
      commentId: String(reaction.commentId),
      kind: reaction.kind,
      createdAt: reaction.createdAt.toISOString(),
    })),
    notificationSettings: {
      email: notifications.email,
      follows: notifications.follows.map((follow) => ({
        threadKey: follow.threadKey,
        createdAt: follow.createdAt.toISOString(),
      })),
      mutes: notifications.mutes.map((mute) => ({
        handle: mute.handle,
        createdAt: mute.createdAt.toISOString(),
      })),
    },
  };
}

/**
 * Erases the caller's account: the text of every comment they wrote (replies by others stay,
 * under a "deleted" placeholder), their reactions, notifications, follows, mutes, email
 * preferences and waiting emails, and their profile. Their session stops
 * working; signing in again later starts a new, empty account.
 */
export async function eraseAccount(ctx: AppContext, session: Session) {
  const member = await requireMember(ctx, session);
  const { live, threadIds } = await ctx.database.db.transaction(async (tx) => {
    // Marking the member erased first locks their row: an event dispatch that is choosing
    // recipients waits for this transaction, then sees the member erased and skips them.
    await anonymizeMember(tx, member.id, `erased-${randomBytes(6).toString("hex")}`);
    const reactions = await selectReactionsByMember(tx, member.id);
    for (const reaction of reactions) {
      await removeReaction(
        tx,
        { threadId: reaction.threadId, id: reaction.commentId },
        member.id,
        reaction.kind,
      );
    }
    const live = await eraseMemberComments(tx, member.id);
    for (const comment of live) {
      await ctx.events.record(tx, {
        type: "comment.deleted",
        threadId: comment.threadId,
        commentId: comment.id,
        actorId: member.id,
        payload: { authorId: member.id, previousStatus: comment.status, erased: true },
      });
    }
    await eraseMemberNotificationData(tx, member.id);
    const threadIds = new Set([
      ...live.map((comment) => comment.threadId),
      ...reactions.map((reaction) => reaction.threadId),
    ]);
    return { live, threadIds };
  });
  for (const threadId of threadIds) {
    ctx.caches.pages.invalidate(threadId);
    ctx.caches.reactions.invalidate(reactionsCacheKey(threadId, member.id));
  }
  ctx.caches.members.invalidate(member.id);
  ctx.events.wake();
  return { erased: true, comments: live.length };
}
