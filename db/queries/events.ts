import { and, asc, eq, sql } from "drizzle-orm";
import type { DbLike } from "../client.ts";
import { type EventRow, type EventType, events, type NewEvent } from "../schema.ts";
import { bigintArray } from "./any-of.ts";
import { fromJson, rowsOf, toDate, toDateOrNull, toNumberOrNull } from "./raw-rows.ts";

export async function insertEvent(db: DbLike, event: NewEvent): Promise<EventRow> {
  const [row] = await db.insert(events).values(event).returning();
  if (!row) throw new Error("event insert returned nothing");
  return row;
}

/**
 * Locks up to `limit` undispatched events, oldest first, skipping those another process
 * holds: call inside a transaction, then mark them dispatched before it commits. Every
 * batch of events runs this and `markEventsDispatched`, so both are written as SQL: drizzle
 * would build them anew for every batch.
 */
export async function claimPendingEvents(db: DbLike, limit: number): Promise<EventRow[]> {
  const rows = rowsOf(
    await db.execute(sql`
      select id, type, thread_id, comment_id, actor_id, payload, created_at, dispatched_at
      from events where dispatched_at is null
      order by id
      limit ${limit}
      for update skip locked`),
  );
  return rows.map((row) => ({
    id: Number(row.id),
    type: row.type as EventType,
    threadId: toNumberOrNull(row.thread_id),
    commentId: toNumberOrNull(row.comment_id),
    actorId: (row.actor_id as string | null) ?? null,
    payload: fromJson(row.payload) as Record<string, unknown>,
    createdAt: toDate(row.created_at),
    dispatchedAt: toDateOrNull(row.dispatched_at),
  }));
}

export async function markEventsDispatched(db: DbLike, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(
    sql`update events set dispatched_at = now() where id = any(${bigintArray(ids)}::bigint[])`,
  );
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
