/**
 * SQL for federation: keys, followers, published and received objects, remote authors,
 * blocks, reports, opt-outs and the publisher's jobs.
 */
import { and, asc, desc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { DbLike } from "../client.ts";
import {
  type BlockLevel,
  comments,
  type FederationBlock,
  type FederationFollower,
  type FederationObject,
  type FederationRemoteActor,
  federationBlocks,
  federationFollowers,
  federationJobs,
  federationKeys,
  federationObjects,
  federationOptOuts,
  federationRemoteActors,
  federationReports,
  type Member,
  members,
  threads,
} from "../schema.ts";

// Keys

export async function selectActorKeys(db: DbLike, actor: string) {
  return db
    .select()
    .from(federationKeys)
    .where(eq(federationKeys.actor, actor))
    .orderBy(asc(federationKeys.algorithm));
}

export async function insertActorKey(
  db: DbLike,
  key: { actor: string; algorithm: string; privateKey: JsonWebKey; publicKey: JsonWebKey },
): Promise<void> {
  await db.insert(federationKeys).values(key).onConflictDoNothing();
}

// Followers

export async function upsertFollower(
  db: DbLike,
  follower: Omit<FederationFollower, "createdAt">,
): Promise<FederationFollower> {
  const [row] = await db
    .insert(federationFollowers)
    .values(follower)
    .onConflictDoUpdate({
      target: federationFollowers.actorIri,
      set: {
        inbox: follower.inbox,
        sharedInbox: follower.sharedInbox,
        handle: follower.handle,
        followIri: follower.followIri,
        // A follower already accepted stays accepted when they follow again.
        status: sql`case when ${federationFollowers.status} = 'accepted' then 'accepted' else ${follower.status} end`,
      },
    })
    .returning();
  if (!row) throw new Error("follower not stored");
  return row;
}

export async function deleteFollower(db: DbLike, actorIri: string): Promise<boolean> {
  const rows = await db
    .delete(federationFollowers)
    .where(eq(federationFollowers.actorIri, actorIri))
    .returning({ actorIri: federationFollowers.actorIri });
  return rows.length > 0;
}

export async function findFollower(db: DbLike, actorIri: string) {
  const [row] = await db
    .select()
    .from(federationFollowers)
    .where(eq(federationFollowers.actorIri, actorIri));
  return row;
}

export async function setFollowerStatus(db: DbLike, actorIri: string, status: "accepted") {
  const [row] = await db
    .update(federationFollowers)
    .set({ status })
    .where(eq(federationFollowers.actorIri, actorIri))
    .returning();
  return row;
}

export async function selectFollowers(
  db: DbLike,
  status: "accepted" | "pending" = "accepted",
): Promise<FederationFollower[]> {
  return db
    .select()
    .from(federationFollowers)
    .where(eq(federationFollowers.status, status))
    .orderBy(asc(federationFollowers.createdAt));
}

export async function countFollowers(db: DbLike): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(federationFollowers)
    .where(eq(federationFollowers.status, "accepted"));
  return Number(row?.count ?? 0);
}

// Objects

export async function findObject(db: DbLike, iri: string): Promise<FederationObject | undefined> {
  const [row] = await db.select().from(federationObjects).where(eq(federationObjects.iri, iri));
  return row;
}

export async function findObjectForComment(
  db: DbLike,
  commentId: number,
): Promise<FederationObject | undefined> {
  const [row] = await db
    .select()
    .from(federationObjects)
    .where(eq(federationObjects.commentId, commentId));
  return row;
}

export async function insertObject(
  db: DbLike,
  object: Pick<FederationObject, "iri" | "direction" | "threadId" | "commentId">,
): Promise<void> {
  await db
    .insert(federationObjects)
    .values(object)
    .onConflictDoUpdate({ target: federationObjects.iri, set: { deletedAt: null } });
}

export async function markObjectDeleted(db: DbLike, iri: string): Promise<void> {
  await db
    .update(federationObjects)
    .set({ deletedAt: sql`now()` })
    .where(eq(federationObjects.iri, iri));
}

/** Objects of a thread that went out and were not deleted since. */
export async function selectLiveOutboundObjects(
  db: DbLike,
  filter: { threadId?: number; authorId?: string },
): Promise<(FederationObject & { authorId: string | null })[]> {
  const rows = await db
    .select({ object: federationObjects, authorId: comments.authorId })
    .from(federationObjects)
    .leftJoin(comments, eq(comments.id, federationObjects.commentId))
    .where(
      and(
        eq(federationObjects.direction, "out"),
        isNull(federationObjects.deletedAt),
        filter.threadId !== undefined ? eq(federationObjects.threadId, filter.threadId) : undefined,
        filter.authorId !== undefined ? eq(comments.authorId, filter.authorId) : undefined,
      ),
    )
    .orderBy(desc(federationObjects.commentId));
  return rows.map((row) => ({ ...row.object, authorId: row.authorId }));
}

/** Threads whose Article went out, newest first (the Group's outbox). */
export async function selectPublishedThreads(db: DbLike, limit: number) {
  return db
    .select({ thread: threads, publishedAt: federationObjects.createdAt })
    .from(federationObjects)
    .innerJoin(threads, eq(threads.id, federationObjects.threadId))
    .where(
      and(
        eq(federationObjects.direction, "out"),
        isNull(federationObjects.commentId),
        isNull(federationObjects.deletedAt),
      ),
    )
    .orderBy(desc(federationObjects.createdAt))
    .limit(limit);
}

// Remote authors

export async function findRemoteActorByIri(
  db: DbLike,
  actorIri: string,
): Promise<(FederationRemoteActor & { member: Member }) | undefined> {
  const [row] = await db
    .select({ actor: federationRemoteActors, member: members })
    .from(federationRemoteActors)
    .innerJoin(members, eq(members.id, federationRemoteActors.memberId))
    .where(eq(federationRemoteActors.actorIri, actorIri));
  return row ? { ...row.actor, member: row.member } : undefined;
}

export async function findRemoteActorByMember(db: DbLike, memberId: string) {
  const [row] = await db
    .select()
    .from(federationRemoteActors)
    .where(eq(federationRemoteActors.memberId, memberId));
  return row;
}

export async function upsertRemoteActor(
  db: DbLike,
  actor: Omit<FederationRemoteActor, "updatedAt">,
): Promise<void> {
  await db
    .insert(federationRemoteActors)
    .values(actor)
    .onConflictDoUpdate({
      target: federationRemoteActors.memberId,
      set: {
        inbox: actor.inbox,
        sharedInbox: actor.sharedInbox,
        url: actor.url,
        updatedAt: sql`now()`,
      },
    });
}

/** Whether the member has a published comment (a remote author's first approval). */
export async function hasPublishedComment(db: DbLike, memberId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: comments.id })
    .from(comments)
    .where(and(eq(comments.authorId, memberId), eq(comments.status, "published")))
    .limit(1);
  return row !== undefined;
}

/**
 * A local member who is an ActivityPub actor: one with a published comment in a public
 * federated thread who has not opted out, or one whose Notes went out before (so their
 * Delete activities can still be verified).
 */
export async function findFederatedMember(
  db: DbLike,
  by: { id: string } | { handle: string },
  remoteIssuer: string,
): Promise<Member | undefined> {
  const [row] = await db
    .select({ member: members })
    .from(members)
    .where(
      and(
        "id" in by ? eq(members.id, by.id) : eq(members.handle, by.handle),
        sql`${members.issuer} <> ${remoteIssuer}`,
        or(
          sql`exists (select 1 from ${federationObjects} join ${comments} on ${comments.id} = ${federationObjects.commentId} where ${federationObjects.direction} = 'out' and ${comments.authorId} = ${members.id})`,
          and(
            sql`not exists (select 1 from ${federationOptOuts} where ${federationOptOuts.memberId} = ${members.id})`,
            sql`exists (select 1 from ${comments} join ${threads} on ${threads.id} = ${comments.threadId} where ${comments.authorId} = ${members.id} and ${comments.status} = 'published' and ${threads.federate} and ${threads.read} = '"public"'::jsonb)`,
          ),
        ),
      ),
    );
  return row?.member;
}

// Blocks

export async function selectBlocks(db: DbLike): Promise<FederationBlock[]> {
  return db.select().from(federationBlocks).orderBy(asc(federationBlocks.id));
}

export async function insertBlock(
  db: DbLike,
  block: {
    kind: "instance" | "actor";
    target: string;
    level: BlockLevel;
    reason: string | null;
    createdBy: string | null;
  },
): Promise<FederationBlock> {
  const [row] = await db
    .insert(federationBlocks)
    .values(block)
    .onConflictDoUpdate({
      target: [federationBlocks.kind, federationBlocks.target],
      set: { level: block.level, reason: block.reason },
    })
    .returning();
  if (!row) throw new Error("block not stored");
  return row;
}

export async function deleteBlock(db: DbLike, id: number): Promise<boolean> {
  const rows = await db
    .delete(federationBlocks)
    .where(eq(federationBlocks.id, id))
    .returning({ id: federationBlocks.id });
  return rows.length > 0;
}

/** The strongest block on an actor or its host: suspend over silence. */
export async function findBlockFor(
  db: DbLike,
  actorIri: string,
  host: string,
): Promise<BlockLevel | undefined> {
  const rows = await db
    .select({ level: federationBlocks.level })
    .from(federationBlocks)
    .where(
      or(
        and(eq(federationBlocks.kind, "actor"), eq(federationBlocks.target, actorIri)),
        and(eq(federationBlocks.kind, "instance"), eq(federationBlocks.target, host)),
      ),
    );
  if (rows.some((row) => row.level === "suspend")) return "suspend";
  return rows[0]?.level;
}

// Reports

export async function insertReport(
  db: DbLike,
  report: {
    actorIri: string;
    activityIri: string | null;
    objectIris: string[];
    threadId: number | null;
    commentId: number | null;
    content: string | null;
  },
): Promise<void> {
  await db.insert(federationReports).values(report);
}

export async function selectReports(db: DbLike) {
  return db
    .select()
    .from(federationReports)
    .where(eq(federationReports.resolved, false))
    .orderBy(asc(federationReports.id));
}

// Opt-outs

export async function isOptedOut(db: DbLike, memberId: string): Promise<boolean> {
  const [row] = await db
    .select({ memberId: federationOptOuts.memberId })
    .from(federationOptOuts)
    .where(eq(federationOptOuts.memberId, memberId));
  return row !== undefined;
}

export async function setOptOut(db: DbLike, memberId: string, optedOut: boolean): Promise<void> {
  if (optedOut) await db.insert(federationOptOuts).values({ memberId }).onConflictDoNothing();
  else await db.delete(federationOptOuts).where(eq(federationOptOuts.memberId, memberId));
}

// Jobs

export async function insertJob(
  db: DbLike,
  job: {
    threadId: number;
    commentId: number | null;
    reason: string;
    payload?: Record<string, unknown>;
  },
): Promise<void> {
  await db.insert(federationJobs).values({ ...job, payload: job.payload ?? {} });
}

export async function leaseJobs(db: DbLike, limit: number, leaseMs: number) {
  const due = db
    .select({ id: federationJobs.id })
    .from(federationJobs)
    .where(
      and(
        lte(federationJobs.runAt, sql`now()`),
        or(isNull(federationJobs.leasedUntil), lt(federationJobs.leasedUntil, sql`now()`)),
      ),
    )
    .orderBy(asc(federationJobs.id))
    .limit(limit)
    .for("update", { skipLocked: true });
  const rows = await db
    .update(federationJobs)
    .set({
      leasedUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval`,
      attempts: sql`${federationJobs.attempts} + 1`,
    })
    .where(inArray(federationJobs.id, due))
    .returning();
  return rows.sort((a, b) => a.id - b.id);
}

export async function deleteJob(db: DbLike, id: number): Promise<void> {
  await db.delete(federationJobs).where(eq(federationJobs.id, id));
}

export async function retryJob(db: DbLike, id: number, delayMs: number): Promise<void> {
  await db
    .update(federationJobs)
    .set({
      leasedUntil: null,
      runAt: sql`now() + ${`${Math.round(delayMs)} milliseconds`}::interval`,
    })
    .where(eq(federationJobs.id, id));
}

export async function countJobs(db: DbLike): Promise<number> {
  const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(federationJobs);
  return Number(row?.count ?? 0);
}
