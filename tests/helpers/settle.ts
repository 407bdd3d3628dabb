/**
 * Waits until every recorded event has been dispatched, whichever process or background
 * run claimed it (`drain()` alone returns early while another run holds a batch).
 */
import { sql } from "drizzle-orm";
import type { AppContext } from "../../server/context.ts";

export async function settleEvents(ctx: AppContext, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    await ctx.events.drain();
    const rows = await ctx.database.db.execute(
      sql`select count(*)::int as n from events where dispatched_at is null`,
    );
    const n = Number(
      (rows as unknown as { n: number }[])[0]?.n ??
        (rows as unknown as { rows: { n: number }[] }).rows?.[0]?.n ??
        0,
    );
    if (n === 0) return;
    if (Date.now() > until) throw new Error(`${n} events still undispatched`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Sends every delivery due at the app's current time, waiting for deliveries another run
 * has claimed (status `sending` with a lease in the future) to finish.
 */
export async function settleDeliveries(ctx: AppContext, timeoutMs = 20_000): Promise<void> {
  await settleEvents(ctx, timeoutMs);
  const until = Date.now() + timeoutMs;
  for (;;) {
    await ctx.notifications.deliveries.drain();
    const rows = await ctx.database.db.execute(
      sql`select count(*)::int as n from deliveries where (status = 'sending') or (status = 'pending' and next_attempt_at <= ${ctx.now().toISOString()}::timestamptz)`,
    );
    const n = countOf(rows);
    if (n === 0) return;
    if (Date.now() > until) throw new Error(`${n} deliveries still due`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function countOf(rows: unknown): number {
  const list = Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows;
  return Number((list?.[0] as { n?: number } | undefined)?.n ?? 0);
}
