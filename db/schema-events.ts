/**
 * Domain events: one row per thing that happened (a comment posted, edited, removed, a
 * reaction, a moderation decision), written in the same transaction as the change itself.
 * Notifications, email, webhooks and federation are fed from this table by the event
 * dispatcher, so a change is never lost between the database and its consumers.
 */
import { sql } from "drizzle-orm";
import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export type EventType =
  | "comment.created"
  | "comment.edited"
  | "comment.deleted"
  | "comment.removed"
  | "comment.restored"
  | "comment.approved"
  | "comment.pinned"
  | "comment.unpinned"
  | "reaction.added"
  | "member.flagged"
  | "member.moderated"
  | "thread.updated";

export const events = pgTable(
  "events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    type: text("type").$type<EventType>().notNull(),
    threadId: bigint("thread_id", { mode: "number" }),
    commentId: bigint("comment_id", { mode: "number" }),
    /** The member whose action this was, when a member acted. */
    actorId: uuid("actor_id"),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Set once every handler has run for the event. */
    dispatchedAt: timestamp("dispatched_at", { withTimezone: true }),
  },
  (t) => [index("events_pending_idx").on(t.id).where(sql`${t.dispatchedAt} is null`)],
);
export type EventRow = typeof events.$inferSelect;
export type NewEvent = typeof events.$inferInsert;
