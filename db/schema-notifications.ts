/**
 * Notifications: what members are told in the page (notifications), whom they follow and
 * mute, how they want email, and the outbox of emails and webhooks still to send
 * (deliveries). Rows here are written by the event handler inside the dispatch transaction;
 * the slow part (SMTP, HTTP) is done later by a worker that claims deliveries.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

/** Why a member is notified; also the keys of email preferences. */
export const NOTIFICATION_KINDS = ["reply", "mention", "thread", "reaction", "moderation"] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export type EmailMode = "immediate" | "digest" | "off";

export const notifications = pgTable(
  "notifications",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    memberId: uuid("member_id").notNull(),
    kind: text("kind").$type<NotificationKind>().notNull(),
    /** The domain event it came from; one notification per member and event. */
    eventId: bigint("event_id", { mode: "number" }).notNull(),
    threadId: bigint("thread_id", { mode: "number" }).notNull(),
    commentId: bigint("comment_id", { mode: "number" }).notNull(),
    actorId: uuid("actor_id"),
    /** Kind-specific details: reaction kind, moderation outcome. */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true }),
    /** Set when a digest email included it. */
    digestedAt: timestamp("digested_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("notifications_member_event_key").on(t.memberId, t.eventId),
    index("notifications_member_idx").on(t.memberId, t.id.desc()),
    index("notifications_unread_idx").on(t.memberId).where(sql`${t.readAt} is null`),
    // A followed thread keeps one unread "thread" notification per member: found here.
    index("notifications_unread_thread_idx")
      .on(t.memberId, t.threadId)
      .where(sql`${t.readAt} is null and ${t.kind} = 'thread'`),
  ],
);
export type Notification = typeof notifications.$inferSelect;
export type NewNotification = typeof notifications.$inferInsert;

export const threadFollows = pgTable(
  "thread_follows",
  {
    memberId: uuid("member_id").notNull(),
    threadId: bigint("thread_id", { mode: "number" }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.threadId] }),
    index("thread_follows_thread_idx").on(t.threadId),
  ],
);

export const memberMutes = pgTable(
  "member_mutes",
  {
    memberId: uuid("member_id").notNull(),
    mutedId: uuid("muted_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.mutedId] })],
);

/** Email preferences by kind; kinds not listed take the defaults. */
export const notificationPreferences = pgTable("notification_preferences", {
  memberId: uuid("member_id").primaryKey(),
  email: jsonb("email").$type<Partial<Record<NotificationKind, EmailMode>>>().notNull().default({}),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Nonces of one-click unsubscribe links already used: a link works once. */
export const unsubscribeUses = pgTable("unsubscribe_uses", {
  nonce: text("nonce").primaryKey(),
  memberId: uuid("member_id").notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }).notNull().defaultNow(),
});

export type DeliveryKind = "email" | "webhook";
/**
 * pending: waiting for `nextAttemptAt`; sending: claimed by a worker until `nextAttemptAt`
 * (its lease); sent; skipped (nothing to send any more); parked (gave up, an admin may retry).
 */
export type DeliveryStatus = "pending" | "sending" | "sent" | "skipped" | "parked";

export const deliveries = pgTable(
  "deliveries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    kind: text("kind").$type<DeliveryKind>().notNull(),
    /** One delivery per key, ever: a replayed event cannot queue a second email or webhook. */
    dedupeKey: text("dedupe_key").notNull(),
    memberId: uuid("member_id"),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    status: text("status").$type<DeliveryStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("deliveries_dedupe_key").on(t.dedupeKey),
    index("deliveries_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} in ('pending', 'sending')`),
    index("deliveries_parked_idx").on(t.id).where(sql`${t.status} = 'parked'`),
  ],
);
export type Delivery = typeof deliveries.$inferSelect;
