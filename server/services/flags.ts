/**
 * Members flag comments (spam, abuse, off-topic, other with a note), once each. After
 * `HEARTH_FLAGS_TO_HOLD` distinct flags a published comment is held for moderators.
 */
import { findCommentForUpdate, setCommentStatus } from "../../db/queries/comments.ts";
import { countFlags, enqueue, insertFlag } from "../../db/queries/moderation.ts";
import type { FlagReason } from "../../db/schema.ts";
import type { AppContext } from "../context.ts";
import { notFound } from "../errors.ts";
import { requireVisibleComment } from "./comments.ts";
import type { Session } from "./sessions.ts";

/**
 * Records the caller's flag. A repeated flag changes nothing and answers `created: false`
 * (idempotent, 200), so a retried request is harmless.
 */
export async function flagComment(
  ctx: AppContext,
  session: Session,
  id: number,
  input: { reason: FlagReason; text?: string | undefined },
): Promise<{ created: boolean }> {
  const { comment } = await requireVisibleComment(ctx, id, session);
  if (comment.status === "deleted" || comment.status === "removed")
    throw notFound("comment_not_found", "There is no such comment.");
  const result = await ctx.database.db.transaction(async (tx) => {
    const created = await insertFlag(tx, {
      threadId: comment.threadId,
      commentId: comment.id,
      memberId: session.memberId,
      reason: input.reason,
      text: input.text?.trim() || null,
    });
    if (!created) return { created: false, held: false };
    const count = await countFlags(tx, comment);
    await ctx.events.record(tx, {
      type: "member.flagged",
      threadId: comment.threadId,
      commentId: comment.id,
      actorId: session.memberId,
      payload: {
        commentId: String(comment.id),
        reason: input.reason,
        count,
        authorId: comment.authorId,
      },
    });
    let held = false;
    if (count >= ctx.config.moderation.flagsToHold) {
      const current = await findCommentForUpdate(tx, comment.id);
      if (current?.status === "published") {
        await setCommentStatus(tx, current, "held");
        held = true;
      }
      if (current?.status === "published" || current?.status === "held") {
        await enqueue(tx, {
          kind: "comment",
          reason: "flags",
          memberId: comment.authorId,
          threadId: comment.threadId,
          commentId: comment.id,
          details: { flags: count },
        });
      }
    }
    return { created: true, held };
  });
  if (result.created) ctx.events.wake();
  if (result.held) ctx.caches.pages.invalidate(comment.threadId);
  return { created: result.created };
}
