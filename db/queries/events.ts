import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { DbLike } from "../client.ts";
import { type EventRow, events, type NewEvent } from "../schema.ts";
import { anyBigint } from "./any-of.ts";

export async function insertEvent(db: DbLike, event: NewEvent): Promise<EventRow> {
  const [row] = await db.insert(events).values(event).returning();
  if (!row) throw new Error("event insert returned nothing");
  return row;
}

/**
 * Locks up to `limit` undispatched events, oldest first, skipping those another process
 * holds: call inside a transaction, then mark them dispatched before it commits.
 */
export async function claimPendingEvents(db: DbLike, limit: number): Promise<EventRow[]> {
  return db
    .select()
    .from(events)
    .where(isNull(events.dispatchedAt))
    .orderBy(asc(events.id))
    .limit(limit)
    .for("update", { skipLocked: true });
}

export async function markEventsDispatched(db: DbLike, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.update(events).set({ dispatchedAt: sql`now()` }).where(anyBigint(events.id, ids));
}

export async function selectEvents(
  db: DbLike,
  filter: { threadId?: number; commentId?: number } = {},
): Promise<EventRow[]> {
  const conditions = [
    filter.threadId !== undefined ? eq(events.threadId, filter.threadId) : undefined,
    filter.commentId !== undefined ? eq(events.commentId, filter.commentId) : undefined,
  ].filter((c) => c !== undefined);
  return db
    .select()
    .from(events)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(events.id));
}
