import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbLike } from "../client.ts";
import { comments, type NewThread, type ReadAccess, type Thread, threads } from "../schema.ts";
import { bigintArray } from "./any-of.ts";
import { preparedPerDatabase } from "./prepared.ts";
import { rowsOf } from "./raw-rows.ts";

export async function findThreadByKey(db: DbLike, key: string): Promise<Thread | undefined> {
  const [row] = await threadByKeyQuery(db).execute({ key });
  return row;
}

/** Pages and posts read a thread this way whenever this process's copy has expired. */
const threadByKeyQuery = preparedPerDatabase((db) =>
  db
    .select()
    .from(threads)
    .where(eq(threads.key, sql.placeholder("key")))
    .prepare("thread_by_key"),
);

export async function findThreadById(db: DbLike, id: number): Promise<Thread | undefined> {
  const [row] = await db.select().from(threads).where(eq(threads.id, id));
  return row;
}

/** What a notification needs of its thread: who may read it, and what links to it. */
export type NotifiedThread = Pick<Thread, "id" | "key" | "title" | "url" | "read">;

/**
 * The threads with the given ids, in no order. Each batch of events runs this, so it is
 * written as SQL: drizzle would build the statement anew for every batch.
 */
export async function selectNotifiedThreads(db: DbLike, ids: number[]): Promise<NotifiedThread[]> {
  if (ids.length === 0) return [];
  const rows = rowsOf(
    await db.execute(sql`
      select id, key, title, url, read::text as read from threads
      where id = any(${bigintArray(ids)}::bigint[])`),
  );
  return rows.map((row) => ({
    id: Number(row.id),
    key: String(row.key),
    title: (row.title as string | null) ?? null,
    url: (row.url as string | null) ?? null,
    // As text: a jsonb string ("public") would read as a plain string, not as JSON.
    read: JSON.parse(String(row.read)) as ReadAccess,
  }));
}

/** Returns the thread under `key`, creating it with the given fields when it does not exist. */
export async function getOrCreateThread(db: DbLike, thread: NewThread): Promise<Thread> {
  const existing = await findThreadByKey(db, thread.key);
  if (existing) return existing;
  await db.insert(threads).values(thread).onConflictDoNothing();
  const created = await findThreadByKey(db, thread.key);
  if (!created) throw new Error(`thread ${thread.key} vanished`);
  return created;
}

/** Sets fields of a thread, creating it first when needed. */
export async function upsertThread(db: DbLike, thread: NewThread): Promise<Thread> {
  const { key, ...fields } = thread;
  const [row] = await db
    .insert(threads)
    .values(thread)
    .onConflictDoUpdate({ target: threads.key, set: Object.keys(fields).length ? fields : { key } })
    .returning();
  if (!row) throw new Error(`thread ${key} was not stored`);
  return row;
}

/** Published comments per thread id. */
export async function countPublishedComments(
  db: DbLike,
  threadIds: number[],
): Promise<Map<number, number>> {
  if (threadIds.length === 0) return new Map();
  const rows = await db
    .select({ threadId: comments.threadId, count: sql<number>`count(*)::int` })
    .from(comments)
    .where(and(inArray(comments.threadId, threadIds), eq(comments.status, "published")))
    .groupBy(comments.threadId);
  return new Map(rows.map((row) => [row.threadId, row.count]));
}

export async function findThreadsByKeys(db: DbLike, keys: string[]): Promise<Thread[]> {
  if (keys.length === 0) return [];
  return db.select().from(threads).where(inArray(threads.key, keys));
}
