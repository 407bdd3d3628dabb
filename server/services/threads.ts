/**
 * Threads: created on the first post under a host page's key; their access and flags are
 * set by the host (API key) or an admin.
 */
import {
  countPublishedComments,
  findThreadByKey,
  findThreadsByKeys,
  getOrCreateThread,
  upsertThread,
} from "../../db/queries/threads.ts";
import type { ReadAccess, Thread, WriteAccess } from "../../db/schema.ts";
import type { AppContext } from "../context.ts";
import { badRequest, forbidden, HearthError, notFound, unauthenticated } from "../errors.ts";
import { serializeThread } from "../serializers/threads.ts";
import { isModerator, type Session } from "./sessions.ts";

const THREAD_KEY = /^[A-Za-z0-9._:/-]{1,200}$/;

/** Throws 400 `invalid_thread_key` unless the key is 1–200 of `A-Z a-z 0-9 . _ : / -`. */
export function assertThreadKey(key: string): void {
  if (!THREAD_KEY.test(key)) {
    throw badRequest(
      "invalid_thread_key",
      "A thread key is 1 to 200 characters of letters, digits and . _ : / -",
      { field: "key" },
    );
  }
}

export async function requireThread(ctx: AppContext, key: string): Promise<Thread> {
  assertThreadKey(key);
  const thread = await cachedThread(ctx, key, () => findThreadByKey(ctx.database.db, key));
  if (!thread) throw notFound("thread_not_found", "There is no thread under that key yet.");
  return thread;
}

/** The thread under `key`, created with `fields` on the first post. */
export async function getOrCreateThreadForPost(
  ctx: AppContext,
  key: string,
  fields: { title: string | null; url: string | null },
): Promise<Thread> {
  const thread = await cachedThread(ctx, key, () =>
    getOrCreateThread(ctx.database.db, { key, ...fields }),
  );
  if (!thread) throw new Error(`thread ${key} was not created`);
  return thread;
}

/**
 * Thread rows are read on every page and post; a process keeps them for a few seconds and
 * drops its copy when it changes the thread itself.
 */
async function cachedThread(
  ctx: AppContext,
  key: string,
  load: () => Promise<Thread | undefined>,
): Promise<Thread | undefined> {
  const cache = ctx.caches.threads;
  const hit = cache.get(key);
  if (hit) return hit;
  const generation = cache.generation(key);
  const thread = await load();
  if (thread) cache.set(key, thread, key, generation);
  return thread;
}

function hasTier(session: Session, tiers: string[]): boolean {
  return tiers.some((tier) => session.tiers.includes(tier));
}

/** Throws unless the caller may read the thread. */
export function assertCanRead(thread: Thread, session: Session | undefined): void {
  if (thread.read === "public" || isModerator(session)) return;
  if (!session) throw unauthenticated("unauthenticated", "Sign in to read this thread.");
  if (thread.read === "members") return;
  if (!hasTier(session, thread.read)) {
    throw new HearthError(403, "tier_required", "This thread is for members of another tier.", {
      tiers: thread.read,
    });
  }
}

/** Throws unless the caller may post in the thread. */
export function assertCanWrite(thread: Thread, session: Session): void {
  assertCanRead(thread, session);
  if (isModerator(session)) return;
  if (thread.locked) throw forbidden("thread_locked", "This thread is locked.");
  if (thread.write !== "members" && !hasTier(session, thread.write)) {
    throw new HearthError(403, "tier_required", "Posting here is for members of another tier.", {
      tiers: thread.write,
    });
  }
}

/** The key of a thread's published-comment count in the page cache (`publishedCount`). */
export const countCacheKey = (threadId: number) => `count|${threadId}`;

/**
 * A thread's published comments, kept in the page cache with the thread's pages: dropped with
 * them by any change this process makes, and counted up by its own new comments.
 */
export async function publishedCount(ctx: AppContext, threadId: number): Promise<number> {
  const cache = ctx.caches.pages;
  const key = countCacheKey(threadId);
  const cached = cache.get(key);
  if (typeof cached === "number") return cached;
  const generation = cache.generation(threadId);
  const count = (await countPublishedComments(ctx.database.db, [threadId])).get(threadId) ?? 0;
  cache.set(key, count, threadId, generation);
  return count;
}

export async function getThread(ctx: AppContext, key: string, session: Session | undefined) {
  const thread = await requireThread(ctx, key);
  assertCanRead(thread, session);
  return {
    ...serializeThread(thread, await publishedCount(ctx, thread.id)),
    viewer: viewerAccess(thread, session),
  };
}

/**
 * Whether the caller may post here, and if not why (`unauthenticated`, `thread_locked`,
 * `tier_required` with the tiers that may), so a widget can show the thread read-only with a
 * "join this tier" panel instead of a composer that would fail.
 */
export function viewerAccess(thread: Thread, session: Session | undefined) {
  if (!session) return { canWrite: false, reason: "unauthenticated" as const };
  try {
    assertCanWrite(thread, session);
    return { canWrite: true };
  } catch (error) {
    if (!(error instanceof HearthError)) throw error;
    return {
      canWrite: false,
      reason: error.code,
      ...(error.code === "tier_required" ? { tiers: error.details?.tiers as string[] } : {}),
    };
  }
}

/** Comment counts for many keys at once; unknown threads count 0, hidden ones are left out. */
export async function getCounts(ctx: AppContext, keys: string[], session: Session | undefined) {
  for (const key of keys) assertThreadKey(key);
  const threads = (await findThreadsByKeys(ctx.database.db, keys)).filter(
    (thread) => thread.read === "public" || session !== undefined,
  );
  const counts = await countPublishedComments(
    ctx.database.db,
    threads.map((thread) => thread.id),
  );
  const byKey: Record<string, number> = {};
  for (const key of keys) byKey[key] = 0;
  for (const thread of threads) byKey[thread.key] = counts.get(thread.id) ?? 0;
  return byKey;
}

export interface ThreadSettings {
  title?: string | null | undefined;
  url?: string | null | undefined;
  read?: ReadAccess | undefined;
  write?: WriteAccess | undefined;
  federate?: boolean | undefined;
  premoderated?: boolean | undefined;
  locked?: boolean | undefined;
}

/** Creates or changes a thread's settings (host API key or admin session). */
export async function putThread(ctx: AppContext, key: string, settings: ThreadSettings) {
  assertThreadKey(key);
  const existing = await findThreadByKey(ctx.database.db, key);
  const read = settings.read ?? existing?.read ?? "public";
  // Restricting who may read stops federation unless the caller says otherwise (and is refused).
  const federate = settings.federate ?? (read === "public" ? (existing?.federate ?? false) : false);
  if (federate && read !== "public") {
    throw new HearthError(
      422,
      "invalid_settings",
      'Only a thread whose read is "public" may federate.',
      {
        field: "federate",
      },
    );
  }
  const fields = Object.fromEntries(
    Object.entries({ ...settings, federate }).filter(([, value]) => value !== undefined),
  );
  const thread = await ctx.database.db.transaction(async (tx) => {
    const row = await upsertThread(tx, { key, ...fields });
    // Federation and access changes are events: federation publishes or withdraws on them.
    if (
      existing?.federate !== row.federate ||
      JSON.stringify(existing?.read) !== JSON.stringify(row.read)
    ) {
      await ctx.events.record(tx, {
        type: "thread.updated",
        threadId: row.id,
        payload: { federate: row.federate, read: row.read },
      });
    }
    return row;
  });
  ctx.events.wake();
  ctx.caches.threads.invalidate(key);
  ctx.caches.pages.invalidate(thread.id);
  return serializeThread(thread, await publishedCount(ctx, thread.id));
}
