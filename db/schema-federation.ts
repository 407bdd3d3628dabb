/**
 * Federation (ActivityPub): actor keys, Fedify's key-value store and message queue, the
 * Group's followers, what was published and received, blocks, reports and the members who
 * keep their comments on the site.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { members } from "./schema.ts";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

/** Key pairs of local actors (the Group, members), as JWKs; made on first use. */
export const federationKeys = pgTable(
  "federation_keys",
  {
    /** The actor identifier: the community handle or a member id. */
    actor: text("actor").notNull(),
    /** `RSASSA-PKCS1-v1_5` or `Ed25519`. */
    algorithm: text("algorithm").notNull(),
    privateKey: jsonb("private_key").$type<JsonWebKey>().notNull(),
    publicKey: jsonb("public_key").$type<JsonWebKey>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("federation_keys_actor_algorithm_key").on(t.actor, t.algorithm)],
);
export type FederationKey = typeof federationKeys.$inferSelect;

/** Fedify's key-value store (caches, idempotence); keys are JSON arrays of strings. */
export const federationKv = pgTable(
  "federation_kv",
  {
    key: text("key").primaryKey(),
    // Null is a value too: Fedify caches "no such key" as null.
    value: jsonb("value"),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
  },
  (t) => [
    index("federation_kv_expires_idx").on(t.expiresAt).where(sql`${t.expiresAt} is not null`),
  ],
);

/**
 * Fedify's message queue (outgoing deliveries, incoming activities). A message is leased
 * while a process works on it and deleted only when done; a failed one runs again later.
 */
export const federationQueue = pgTable(
  "federation_queue",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    message: jsonb("message").notNull(),
    orderingKey: text("ordering_key"),
    runAt: timestamp("run_at", { withTimezone: true }).notNull().defaultNow(),
    leasedUntil: timestamp("leased_until", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index("federation_queue_run_at_idx").on(t.runAt, t.id)],
);

/**
 * Work for the publisher, written by the event handler in the transaction of the event:
 * one row per thread or comment whose public state may have changed.
 */
export const federationJobs = pgTable(
  "federation_jobs",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    threadId: bigint("thread_id", { mode: "number" }).notNull(),
    commentId: bigint("comment_id", { mode: "number" }),
    /** What happened: the event type, or `member.opted_out`. */
    reason: text("reason").notNull(),
    /** For `reaction.added`: the reacting member and kind. */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    runAt: timestamp("run_at", { withTimezone: true }).notNull().defaultNow(),
    leasedUntil: timestamp("leased_until", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index("federation_jobs_run_at_idx").on(t.runAt, t.id)],
);

export type FollowerStatus = "accepted" | "pending";

/** Remote actors following the community's Group. */
export const federationFollowers = pgTable(
  "federation_followers",
  {
    actorIri: text("actor_iri").primaryKey(),
    inbox: text("inbox").notNull(),
    sharedInbox: text("shared_inbox"),
    handle: text("handle"),
    /** The Follow activity, to answer it with Accept or Reject. */
    followIri: text("follow_iri"),
    status: text("status").$type<FollowerStatus>().notNull().default("accepted"),
    createdAt: createdAt(),
  },
  (t) => [index("federation_followers_status_idx").on(t.status)],
);
export type FederationFollower = typeof federationFollowers.$inferSelect;

/**
 * Objects that went out (a thread's Article, a comment's Note), so later changes can send
 * Update or Delete, and objects that came in (remote Notes that became comments).
 */
export const federationObjects = pgTable(
  "federation_objects",
  {
    iri: text("iri").primaryKey(),
    direction: text("direction").$type<"out" | "in">().notNull(),
    threadId: bigint("thread_id", { mode: "number" }).notNull(),
    /** Null for a thread's Article. */
    commentId: bigint("comment_id", { mode: "number" }),
    /** Set once a Delete went out (outbound) or came in (inbound). */
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("federation_objects_thread_idx").on(t.threadId),
    index("federation_objects_comment_idx").on(t.commentId),
  ],
);
export type FederationObject = typeof federationObjects.$inferSelect;

/** Remote authors: the member row that stands for them, and where they live. */
export const federationRemoteActors = pgTable(
  "federation_remote_actors",
  {
    memberId: uuid("member_id")
      .primaryKey()
      .references(() => members.id),
    actorIri: text("actor_iri").notNull(),
    host: text("host").notNull(),
    inbox: text("inbox"),
    sharedInbox: text("shared_inbox"),
    /** Their profile page, linked from their comments. */
    url: text("url"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("federation_remote_actors_iri_key").on(t.actorIri)],
);
export type FederationRemoteActor = typeof federationRemoteActors.$inferSelect;

export type BlockLevel = "suspend" | "silence";

/** Instance blocks (by host) and actor blocks (by IRI), set by moderators. */
export const federationBlocks = pgTable(
  "federation_blocks",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    kind: text("kind").$type<"instance" | "actor">().notNull(),
    /** A lowercase host (`mastodon.example`) or an actor IRI. */
    target: text("target").notNull(),
    level: text("level").$type<BlockLevel>().notNull(),
    reason: text("reason"),
    createdBy: uuid("created_by"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("federation_blocks_target_key").on(t.kind, t.target)],
);
export type FederationBlock = typeof federationBlocks.$inferSelect;

/** Flag activities from the Fediverse, for the moderation queue. */
export const federationReports = pgTable("federation_reports", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  actorIri: text("actor_iri").notNull(),
  activityIri: text("activity_iri"),
  objectIris: text("object_iris").array().notNull().default(sql`'{}'::text[]`),
  threadId: bigint("thread_id", { mode: "number" }),
  commentId: bigint("comment_id", { mode: "number" }),
  content: text("content"),
  resolved: boolean("resolved").notNull().default(false),
  createdAt: createdAt(),
});
export type FederationReport = typeof federationReports.$inferSelect;

/** Members who keep their comments on the site (never federated). */
export const federationOptOuts = pgTable("federation_opt_outs", {
  memberId: uuid("member_id")
    .primaryKey()
    .references(() => members.id),
  createdAt: createdAt(),
});
