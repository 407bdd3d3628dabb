import type { QueueRow } from "../../db/queries/moderation.ts";
import type { AuditEntry } from "../../db/schema.ts";

/** One queue item as moderators see it. */
export function serializeQueueRow(row: QueueRow) {
  const { item, history } = row;
  return {
    id: String(item.id),
    kind: item.kind,
    reason: item.reason,
    createdAt: item.createdAt.toISOString(),
    details: item.details,
    thread: row.threadKey ? { key: row.threadKey, title: row.threadTitle } : null,
    comment:
      row.comment.id !== null
        ? {
            id: String(row.comment.id),
            parentId: row.comment.parentId === null ? null : String(row.comment.parentId),
            html: row.comment.html,
            body: row.comment.body,
            status: row.comment.status,
            createdAt: row.comment.createdAt?.toISOString() ?? null,
            flags: row.comment.flags,
          }
        : null,
    parent:
      row.parent.id !== null
        ? { id: String(row.parent.id), html: row.parent.html, authorName: row.parent.authorName }
        : null,
    author: {
      id: row.author.id,
      handle: row.author.handle,
      name: row.author.name,
      avatar: row.author.avatar,
      status: row.author.status,
      history: {
        comments: history.comments,
        flagsReceived: history.flagsReceived,
        firstCommentAt: history.firstCommentAt?.toISOString() ?? null,
      },
      screening: row.moderation
        ? {
            verdict: row.moderation.screeningVerdict,
            score: row.moderation.screeningScore,
            reasons: row.moderation.screeningReasons,
            moderatorVerdict: row.moderation.moderatorVerdict,
          }
        : null,
    },
  };
}

export function serializeAuditEntry(
  entry: AuditEntry & { actorHandle: string | null; actorName: string | null },
) {
  return {
    id: String(entry.id),
    actor: entry.actorId
      ? { id: entry.actorId, handle: entry.actorHandle, name: entry.actorName }
      : null,
    action: entry.action,
    target: { type: entry.targetType, id: entry.targetId },
    before: entry.before,
    after: entry.after,
    createdAt: entry.createdAt.toISOString(),
  };
}
