/**
 * Reactions: each member may add each allowed kind once per comment.
 */
import { addReaction, removeReaction, selectMemberReactions } from "../../db/queries/comments.ts";
import type { AppContext } from "../context.ts";
import { HearthError, unprocessable } from "../errors.ts";
import { reactionsCacheKey, requireVisibleComment } from "./comments.ts";
import type { Session } from "./sessions.ts";

function assertKind(ctx: AppContext, kind: unknown): string {
  if (typeof kind !== "string" || !ctx.config.reactions.includes(kind)) {
    throw unprocessable(
      "invalid_reaction",
      `A reaction is one of: ${ctx.config.reactions.join(", ")}.`,
      {
        field: "kind",
        allowed: ctx.config.reactions,
      },
    );
  }
  return kind;
}

/** Adds (`on`) or removes a reaction; doing it twice changes nothing. */
export async function setReaction(
  ctx: AppContext,
  session: Session,
  id: number,
  rawKind: unknown,
  on: boolean,
) {
  const kind = assertKind(ctx, rawKind);
  const { comment } = await requireVisibleComment(ctx, id, session);
  if (comment.status !== "published") {
    throw new HearthError(409, "conflict", "Only published comments take reactions.");
  }
  const db = ctx.database.db;
  const counts = await db.transaction(async (tx) => {
    if (!on) return removeReaction(tx, comment, session.memberId, kind);
    const added = await addReaction(tx, comment, session.memberId, kind);
    if (added) {
      await ctx.events.record(tx, {
        type: "reaction.added",
        threadId: comment.threadId,
        commentId: comment.id,
        actorId: session.memberId,
        payload: { kind, authorId: comment.authorId },
      });
    }
    return added;
  });
  if (counts) {
    ctx.caches.pages.invalidate(comment.threadId);
    ctx.caches.reactions.invalidate(reactionsCacheKey(comment.threadId, session.memberId));
    if (on) ctx.events.wake();
  }
  const mine = await selectMemberReactions(db, comment.threadId, session.memberId, [comment.id]);
  return { reactions: counts ?? comment.reactions, myReactions: mine.get(comment.id) ?? [] };
}
