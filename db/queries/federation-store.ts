/**
 * SQL behind Fedify's key-value store and message queue (server/federation/kv-store.ts,
 * server/federation/message-queue.ts): the same statements on PGlite and PostgreSQL.
 */
import { and, asc, eq, gt, inArray, isNull, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { DbLike } from "../client.ts";
import { federationKv, federationQueue } from "../schema.ts";

const live = (key: string) =>
  and(
    eq(federationKv.key, key),
    or(isNull(federationKv.expiresAt), gt(federationKv.expiresAt, sql`now()`)),
  );

export async function kvGet(
  db: DbLike,
  key: string,
): Promise<{ value: unknown; expiresAt: Date | null } | undefined> {
  const [row] = await db
    .select({ value: federationKv.value, expiresAt: federationKv.expiresAt })
    .from(federationKv)
    .where(live(key));
  return row;
}

export async function kvGetForUpdate(
  db: DbLike,
  key: string,
): Promise<{ value: unknown } | undefined> {
  const [row] = await db
    .select({ value: federationKv.value })
    .from(federationKv)
    .where(live(key))
    .for("update");
  return row;
}

export async function kvSet(
  db: DbLike,
  key: string,
  value: unknown,
  ttlMs: number | undefined,
): Promise<void> {
  const expiresAt =
    ttlMs === undefined
      ? null
      : sql`now() + ${`${Math.max(0, Math.round(ttlMs))} milliseconds`}::interval`;
  await db
    .insert(federationKv)
    .values({ key, value: value ?? null, expiresAt })
    .onConflictDoUpdate({ target: federationKv.key, set: { value: value ?? null, expiresAt } });
}

export async function kvDelete(db: DbLike, key: string): Promise<void> {
  await db.delete(federationKv).where(eq(federationKv.key, key));
}

/** Live entries whose JSON key starts with `prefix` (a JSON array without its closing `]`). */
export async function kvList(
  db: DbLike,
  prefix: string | undefined,
): Promise<{ key: string; value: unknown }[]> {
  const expiry = or(isNull(federationKv.expiresAt), gt(federationKv.expiresAt, sql`now()`));
  const match: SQL | undefined =
    prefix === undefined
      ? undefined
      : or(
          eq(federationKv.key, `${prefix}]`),
          sql`left(${federationKv.key}, ${prefix.length + 1}) = ${`${prefix},`}`,
        );
  return db
    .select({ key: federationKv.key, value: federationKv.value })
    .from(federationKv)
    .where(and(expiry, match))
    .orderBy(asc(federationKv.key));
}

export async function kvDeleteExpired(db: DbLike): Promise<void> {
  await db.delete(federationKv).where(lt(federationKv.expiresAt, sql`now()`));
}

export interface QueuedMessage {
  id: number;
  message: unknown;
  attempts: number;
  orderingKey: string | null;
}

export async function enqueueMessages(
  db: DbLike,
  messages: readonly unknown[],
  delayMs: number,
  orderingKey: string | undefined,
): Promise<void> {
  if (messages.length === 0) return;
  const delay = `${Math.max(0, Math.round(delayMs))} milliseconds`;
  // One JSON array parameter rather than a row of parameters per message: a fan-out enqueues
  // one message per inbox, and building a statement with thousands of parameters costs more
  // than the insert. Ids follow the order of the messages.
  await db.execute(sql`
    insert into ${federationQueue} (message, run_at, ordering_key)
    select item.message, now() + ${delay}::interval, ${orderingKey ?? null}::text
    from jsonb_array_elements(${JSON.stringify(messages)}::jsonb) with ordinality as item(message, position)
    order by item.position`);
}

/**
 * Leases up to `limit` due messages for `leaseMs`, skipping rows other processes hold and
 * messages queued behind an earlier one with the same ordering key.
 */
export async function leaseMessages(
  db: DbLike,
  limit: number,
  leaseMs: number,
): Promise<QueuedMessage[]> {
  const due = db
    .select({ id: federationQueue.id })
    .from(federationQueue)
    .where(
      and(
        lte(federationQueue.runAt, sql`now()`),
        or(isNull(federationQueue.leasedUntil), lt(federationQueue.leasedUntil, sql`now()`)),
        or(
          isNull(federationQueue.orderingKey),
          sql`not exists (select 1 from ${federationQueue} as earlier where earlier.ordering_key = ${federationQueue.orderingKey} and earlier.id < ${federationQueue.id})`,
        ),
      ),
    )
    .orderBy(asc(federationQueue.runAt), asc(federationQueue.id))
    .limit(limit)
    .for("update", { skipLocked: true });
  return db
    .update(federationQueue)
    .set({
      leasedUntil: sql`now() + ${`${leaseMs} milliseconds`}::interval`,
      attempts: sql`${federationQueue.attempts} + 1`,
    })
    .where(inArray(federationQueue.id, due))
    .returning({
      id: federationQueue.id,
      message: federationQueue.message,
      attempts: federationQueue.attempts,
      orderingKey: federationQueue.orderingKey,
    });
}

export async function deleteMessages(db: DbLike, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.delete(federationQueue).where(inArray(federationQueue.id, [...ids]));
}

/** Releases a failed message to run again after `delayMs`. */
export async function retryMessage(db: DbLike, id: number, delayMs: number): Promise<void> {
  await db
    .update(federationQueue)
    .set({
      leasedUntil: null,
      runAt: sql`now() + ${`${Math.round(delayMs)} milliseconds`}::interval`,
    })
    .where(eq(federationQueue.id, id));
}

export async function countQueuedMessages(db: DbLike): Promise<{ queued: number; ready: number }> {
  const [row] = await db
    .select({
      queued: sql<number>`count(*)::int`,
      ready: sql<number>`(count(*) filter (where ${federationQueue.runAt} <= now()))::int`,
    })
    .from(federationQueue);
  return { queued: Number(row?.queued ?? 0), ready: Number(row?.ready ?? 0) };
}
