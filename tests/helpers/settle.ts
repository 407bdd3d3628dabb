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
    const rows = await ctx.database.db.execute<{ n: number }>(
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
