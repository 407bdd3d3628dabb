/**
 * Small pieces of moderation state the comment service needs: whether a timed ban is over,
 * and what to record when a new comment is held or screened.
 */
import type { DbLike } from "../../db/client.ts";
import {
  enqueue,
  findModeration,
  setMemberStatus,
  updateModeration,
} from "../../db/queries/moderation.ts";
import type { Comment, Member } from "../../db/schema.ts";
import type { AppContext } from "../context.ts";
import type { HoldDecision } from "./holding.ts";
import { recordScreenedComment } from "./screening.ts";

/** True when the member's ban had an end that has passed; the ban is lifted then. */
export async function banHasEnded(ctx: AppContext, member: Member): Promise<boolean> {
  const moderation = await findModeration(ctx.database.db, member.id);
  const until = moderation?.bannedUntil;
  if (!until || until > ctx.now() || moderation?.moderatorVerdict === "rejected") return false;
  await ctx.database.db.transaction(async (tx) => {
    await setMemberStatus(tx, member.id, "active");
    await updateModeration(tx, member.id, { bannedUntil: null, banReason: null });
    await ctx.events.record(tx, {
      type: "member.moderated",
      payload: { memberId: member.id, action: "ban_ended" },
    });
  });
  ctx.caches.members.invalidate(member.id);
  ctx.events.wake();
  return true;
}

/** In the posting transaction: count a screened comment, and queue a held one. */
export async function recordHold(
  ctx: AppContext,
  tx: DbLike,
  decision: HoldDecision,
  comment: Comment,
  member: Member,
  body: string,
): Promise<void> {
  if (decision.screening) {
    await recordScreenedComment(ctx, tx, member, decision.moderation, body, decision.screening);
  }
  if (decision.status === "held" && decision.reason) {
    await enqueue(tx, {
      kind: "comment",
      reason: decision.reason,
      memberId: member.id,
      threadId: comment.threadId,
      commentId: comment.id,
      details: {
        ...decision.details,
        ...(decision.screening ? { reasons: decision.screening.reasons } : {}),
      },
    });
  }
}
