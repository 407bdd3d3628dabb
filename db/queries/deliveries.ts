import { and, asc, desc, eq, inArray, lte, or, sql } from "drizzle-orm";
import type { DbLike } from "../client.ts";
import { type Delivery, type DeliveryKind, deliveries } from "../schema.ts";

export interface NewDelivery {
  kind: DeliveryKind;
  dedupeKey: string;
  memberId?: string | null;
  payload: Record<string, unknown>;
  nextAttemptAt: Date;
}

/** Queues deliveries; one whose dedupe key exists already is left alone. */
export async function insertDeliveries(db: DbLike, rows: NewDelivery[]): Promise<number> {
  if (rows.length === 0) return 0;
  const written = await db
    .insert(deliveries)
    .values(rows)
    .onConflictDoNothing({ target: deliveries.dedupeKey })
    .returning({ id: deliveries.id });
  return written.length;
}

/**
 * Claims up to `limit` due deliveries (pending, or sending with an expired lease, when the
 * worker that held them died), skipping rows another process is claiming at this moment,
 * and leases them until `leaseUntil`. Counts the attempt.
 */
export async function claimDueDeliveries(
  db: DbLike,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<Delivery[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(
        and(
          or(eq(deliveries.status, "pending"), eq(deliveries.status, "sending")),
          lte(deliveries.nextAttemptAt, now),
        ),
      )
      .orderBy(asc(deliveries.nextAttemptAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(deliveries)
      .set({
        status: "sending",
        nextAttemptAt: leaseUntil,
        attempts: sql`${deliveries.attempts} + 1`,
      })
      .where(
        inArray(
          deliveries.id,
          due.map((d) => d.id),
        ),
      )
      .returning();
  });
}

/** Marks a claimed delivery done; only while this worker still holds it (status sending). */
export async function finishDelivery(
  db: DbLike,
  id: number,
  status: "sent" | "skipped",
  at: Date,
): Promise<void> {
  await db
    .update(deliveries)
    .set({ status, sentAt: at, lastError: null })
    .where(and(eq(deliveries.id, id), eq(deliveries.status, "sending")));
}

export async function failDelivery(
  db: DbLike,
  id: number,
  error: string,
  retryAt: Date | null,
): Promise<void> {
  await db
    .update(deliveries)
    .set(
      retryAt
        ? { status: "pending", nextAttemptAt: retryAt, lastError: error }
        : { status: "parked", lastError: error },
    )
    .where(and(eq(deliveries.id, id), eq(deliveries.status, "sending")));
}

/** Parked deliveries, and pending ones that failed at least once, newest first. */
export async function selectTroubledDeliveries(
  db: DbLike,
  status: "parked" | "failed" | undefined,
  limit: number,
): Promise<Delivery[]> {
  const parked = eq(deliveries.status, "parked");
  const failed = and(eq(deliveries.status, "pending"), sql`${deliveries.lastError} is not null`);
  return db
    .select()
    .from(deliveries)
    .where(status === "parked" ? parked : status === "failed" ? failed : or(parked, failed))
    .orderBy(desc(deliveries.id))
    .limit(limit);
}

/** Puts a parked or failed delivery back in the queue now, with a fresh attempt count. */
export async function retryDelivery(
  db: DbLike,
  id: number,
  now: Date,
): Promise<Delivery | undefined> {
  const [row] = await db
    .update(deliveries)
    .set({ status: "pending", attempts: 0, nextAttemptAt: now })
    .where(and(eq(deliveries.id, id), inArray(deliveries.status, ["parked", "pending"])))
    .returning();
  return row;
}

export async function findDelivery(db: DbLike, id: number): Promise<Delivery | undefined> {
  const [row] = await db.select().from(deliveries).where(eq(deliveries.id, id));
  return row;
}

export async function countDeliveries(db: DbLike) {
  const rows = await db
    .select({ status: deliveries.status, kind: deliveries.kind, n: sql<number>`count(*)::int` })
    .from(deliveries)
    .groupBy(deliveries.status, deliveries.kind);
  return rows;
}
