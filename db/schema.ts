/**
 * The database schema. Hot tables (comments, reactions, revisions) carry the thread id
 * first in their primary keys, so a distributed PostgreSQL can shard them by thread.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
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

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/** Key/value settings Hearth keeps for itself, such as its session signing key. */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  createdAt: createdAt(),
});

/** Issuer of the member rows that stand for authors from the Fediverse (not host members). */
export const REMOTE_ISSUER = "activitypub";

/** `erased`: the member deleted their account; the row stays so their replies keep a parent. */
export type MemberStatus = "active" | "limited" | "banned" | "erased";

/**
 * Everyone who can author a comment. A member is identified by the issuer of their host
 * token plus the host's stable subject, never by email.
 */
export const members = pgTable(
  "members",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    handle: text("handle").notNull(),
    name: text("name").notNull(),
    email: text("email"),
    avatar: text("avatar"),
    /** Language from the member's last token (en, de, fr…), for email. */
    locale: text("locale"),
    roles: text("roles").array().notNull().default(sql`'{}'::text[]`),
    tiers: text("tiers").array().notNull().default(sql`'{}'::text[]`),
    status: text("status").$type<MemberStatus>().notNull().default("active"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("members_issuer_subject_key").on(t.issuer, t.subject),
    uniqueIndex("members_handle_key").on(t.handle),
  ],
);
export type Member = typeof members.$inferSelect;
export type NewMember = typeof members.$inferInsert;

/** Who may read or write a thread: everyone, any member, or members holding one of the tiers. */
export type ReadAccess = "public" | "members" | string[];
export type WriteAccess = "members" | string[];

export const threads = pgTable(
  "threads",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    key: text("key").notNull(),
    title: text("title"),
    url: text("url"),
    read: jsonb("read").$type<ReadAccess>().notNull().default(sql`'"public"'::jsonb`),
    write: jsonb("write").$type<WriteAccess>().notNull().default(sql`'"members"'::jsonb`),
    federate: boolean("federate").notNull().default(false),
    premoderated: boolean("premoderated").notNull().default(false),
    locked: boolean("locked").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("threads_key_key").on(t.key)],
);
export type Thread = typeof threads.$inferSelect;
export type NewThread = typeof threads.$inferInsert;

export type CommentStatus = "published" | "held" | "deleted" | "removed";

/**
 * Comments form a tree. `path` holds the ids of the ancestors from the top-level comment
 * down to the parent (empty for a top-level comment), so `path || id` orders a subtree
 * depth-first, and `coalesce(rootId, id)` (indexed) fetches a top-level comment with all its
 * replies in one index range. `rootId` is null for top-level comments.
 */
export const comments = pgTable(
  "comments",
  {
    threadId: bigint("thread_id", { mode: "number" })
      .notNull()
      .references(() => threads.id),
    id: bigint("id", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    parentId: bigint("parent_id", { mode: "number" }),
    rootId: bigint("root_id", { mode: "number" }),
    path: bigint("path", { mode: "number" }).array().notNull().default(sql`'{}'::bigint[]`),
    authorId: uuid("author_id")
      .notNull()
      .references(() => members.id),
    body: text("body").notNull(),
    html: text("html").notNull(),
    status: text("status").$type<CommentStatus>().notNull().default("published"),
    reactions: jsonb("reactions").$type<Record<string, number>>().notNull().default({}),
    reactionCount: integer("reaction_count").notNull().default(0),
    pinnedAt: timestamp("pinned_at", { withTimezone: true }),
    idempotencyKey: text("idempotency_key"),
    createdAt: createdAt(),
    editedAt: timestamp("edited_at", { withTimezone: true }),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.threadId, t.id] }),
    index("comments_id_idx").on(t.id),
    index("comments_top_level_idx").on(t.threadId, t.id).where(sql`${t.parentId} is null`),
    index("comments_top_level_score_idx")
      .on(t.threadId, t.reactionCount.desc(), t.id.desc())
      .where(sql`${t.parentId} is null`),
    index("comments_root_idx").on(t.threadId, sql`coalesce(${t.rootId}, ${t.id})`),
    index("comments_author_idx").on(t.authorId, t.createdAt),
    index("comments_published_idx").on(t.threadId).where(sql`${t.status} = 'published'`),
    uniqueIndex("comments_idempotency_key")
      .on(t.threadId, t.authorId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
  ],
);
export type Comment = typeof comments.$inferSelect;
export type NewComment = typeof comments.$inferInsert;

/** Earlier versions of an edited comment, newest revision number last. */
export const commentRevisions = pgTable(
  "comment_revisions",
  {
    threadId: bigint("thread_id", { mode: "number" }).notNull(),
    commentId: bigint("comment_id", { mode: "number" }).notNull(),
    revision: integer("revision").notNull(),
    body: text("body").notNull(),
    editedBy: uuid("edited_by")
      .notNull()
      .references(() => members.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.threadId, t.commentId, t.revision] })],
);
export type CommentRevision = typeof commentRevisions.$inferSelect;

export const reactions = pgTable(
  "reactions",
  {
    threadId: bigint("thread_id", { mode: "number" }).notNull(),
    commentId: bigint("comment_id", { mode: "number" }).notNull(),
    memberId: uuid("member_id")
      .notNull()
      .references(() => members.id),
    kind: text("kind").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.threadId, t.commentId, t.memberId, t.kind] }),
    index("reactions_member_idx").on(t.memberId),
  ],
);
export type Reaction = typeof reactions.$inferSelect;
export * from "./schema-events.ts";
export * from "./schema-federation.ts";
export * from "./schema-identity.ts";
export * from "./schema-moderation.ts";
export * from "./schema-notifications.ts";
