/**
 * Moderation: members' flags on comments, word filters, each member's moderation state
 * (ban, screening verdict, a moderator's verdict, earned trust), roles granted inside
 * Hearth, the moderation queue, the audit log, and the small records bot screening keeps
 * (recent signups per address, first-post fingerprints, solved proof-of-work challenges).
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
import { members } from "./schema.ts";

const at = (name: string) => timestamp(name, { withTimezone: true });

export type FlagReason = "spam" | "abuse" | "off_topic" | "other";

/** One flag per member per comment. */
export const flags = pgTable(
  "flags",
  {
    threadId: bigint("thread_id", { mode: "number" }).notNull(),
    commentId: bigint("comment_id", { mode: "number" }).notNull(),
    memberId: uuid("member_id")
      .notNull()
      .references(() => members.id),
    reason: text("reason").$type<FlagReason>().notNull(),
    text: text("text"),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.commentId, t.memberId] })],
);
export type Flag = typeof flags.$inferSelect;

export type WordFilterAction = "hold" | "reject";
export type WordFilterKind = "word" | "regex";

/** A word (matched as a whole word, case-insensitively) or a regular expression. */
export const wordFilters = pgTable("word_filters", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  kind: text("kind").$type<WordFilterKind>().notNull(),
  pattern: text("pattern").notNull(),
  action: text("action").$type<WordFilterAction>().notNull(),
  createdBy: uuid("created_by"),
  createdAt: at("created_at").notNull().defaultNow(),
});
export type WordFilter = typeof wordFilters.$inferSelect;

export type ScreeningVerdict = "allow" | "review" | "block";
export type ModeratorVerdict = "approved" | "rejected";

/** A signal's contribution to a screening decision, as moderators see it. */
export interface ScreeningReason {
  signal: string;
  score: number;
  message: string;
}

/**
 * A member's moderation state beyond `members.status` (active, limited, banned): when a
 * ban ends (null: for good), the screening verdict with its reasons, a moderator's verdict
 * that overrides it, and how many of their comments moderators approved (earned trust).
 */
export const memberModeration = pgTable("member_moderation", {
  memberId: uuid("member_id")
    .primaryKey()
    .references(() => members.id),
  bannedUntil: at("banned_until"),
  banReason: text("ban_reason"),
  screeningVerdict: text("screening_verdict").$type<ScreeningVerdict>(),
  screeningScore: integer("screening_score"),
  screeningReasons: jsonb("screening_reasons").$type<ScreeningReason[]>().notNull().default([]),
  screenedAt: at("screened_at"),
  /** Comments screened so far (screening looks at the first few). */
  screenedComments: integer("screened_comments").notNull().default(0),
  moderatorVerdict: text("moderator_verdict").$type<ModeratorVerdict>(),
  moderatorVerdictBy: uuid("moderator_verdict_by"),
  moderatorVerdictAt: at("moderator_verdict_at"),
  approvedComments: integer("approved_comments").notNull().default(0),
  signupIp: text("signup_ip"),
  updatedAt: at("updated_at").notNull().defaultNow(),
});
export type MemberModeration = typeof memberModeration.$inferSelect;

export type GrantedRole = "moderator" | "admin";

/** Roles an admin granted inside Hearth, added to the token's roles at each session. */
export const roleGrants = pgTable(
  "role_grants",
  {
    memberId: uuid("member_id")
      .notNull()
      .references(() => members.id),
    role: text("role").$type<GrantedRole>().notNull(),
    grantedBy: uuid("granted_by"),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.role] })],
);
export type RoleGrant = typeof roleGrants.$inferSelect;

/**
 * Roles granted from the command line (`hearth admin grant`) to a host member id that has
 * not signed in yet: at that member's first sign-in they move into `role_grants`.
 */
export const pendingRoleGrants = pgTable(
  "pending_role_grants",
  {
    /** The host's member id, as the member row's `subject` will hold it. */
    subject: text("subject").notNull(),
    role: text("role").$type<GrantedRole>().notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.subject, t.role] })],
);
export type PendingRoleGrant = typeof pendingRoleGrants.$inferSelect;

export type QueueKind = "comment" | "member";
export type QueueReason =
  | "premoderation"
  | "limited"
  | "screening"
  | "word_filter"
  | "flags"
  | "signup"
  /** A reply from the Fediverse by an author with no approved comment yet. */
  | "federation";

/**
 * Open work for moderators: a held comment or a screened account, oldest first. An item
 * is resolved (not deleted) when a moderator decides, so the history stays.
 */
export const moderationQueue = pgTable(
  "moderation_queue",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    kind: text("kind").$type<QueueKind>().notNull(),
    reason: text("reason").$type<QueueReason>().notNull(),
    threadId: bigint("thread_id", { mode: "number" }),
    commentId: bigint("comment_id", { mode: "number" }),
    memberId: uuid("member_id").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: at("created_at").notNull().defaultNow(),
    resolvedAt: at("resolved_at"),
  },
  (t) => [
    index("moderation_queue_open_idx").on(t.id).where(sql`${t.resolvedAt} is null`),
    index("moderation_queue_open_reason_idx")
      .on(t.reason, t.id)
      .where(sql`${t.resolvedAt} is null`),
    index("moderation_queue_open_thread_idx")
      .on(t.threadId, t.id)
      .where(sql`${t.resolvedAt} is null`),
    uniqueIndex("moderation_queue_open_comment_key")
      .on(t.commentId)
      .where(sql`${t.resolvedAt} is null and ${t.kind} = 'comment'`),
    uniqueIndex("moderation_queue_open_member_key")
      .on(t.memberId)
      .where(sql`${t.resolvedAt} is null and ${t.kind} = 'member'`),
  ],
);
export type QueueItem = typeof moderationQueue.$inferSelect;

/** Every moderator and admin action: who, what, on what, the state before and after. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    actorId: uuid("actor_id"),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    before: jsonb("before").$type<Record<string, unknown> | null>(),
    after: jsonb("after").$type<Record<string, unknown> | null>(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [index("audit_log_target_idx").on(t.targetType, t.targetId, t.id)],
);
export type AuditEntry = typeof auditLog.$inferSelect;

/** Recent signups by address, for the velocity signal (pruned after a day). */
export const screeningSignups = pgTable(
  "screening_signups",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    ip: text("ip").notNull(),
    subnet: text("subnet").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("screening_signups_ip_idx").on(t.ip, t.createdAt),
    index("screening_signups_subnet_idx").on(t.subnet, t.createdAt),
  ],
);

/** Fingerprints of members' first posts, to spot one text posted from many accounts. */
export const screeningTexts = pgTable(
  "screening_texts",
  {
    hash: text("hash").notNull(),
    memberId: uuid("member_id").notNull(),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.hash, t.memberId] })],
);

/**
 * Proof-of-work challenges already solved, shared by every Hearth process on the database so
 * that each solution is accepted once. A row is only needed until its challenge expires
 * (an expired challenge is refused anyway); expired rows are pruned.
 */
export const screeningChallenges = pgTable(
  "screening_challenges",
  {
    signature: text("signature").primaryKey(),
    expiresAt: at("expires_at").notNull(),
  },
  (t) => [index("screening_challenges_expires_idx").on(t.expiresAt)],
);
