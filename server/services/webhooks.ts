/**
 * Webhooks to the host site: comment.created, comment.edited, comment.removed and
 * member.flagged, posted as JSON to each `HEARTH_WEBHOOK_URLS` endpoint through the
 * delivery outbox, signed with HMAC-SHA256 over `timestamp.body`:
 *
 *   Hearth-Signature: t=1700000000,v1=<hex>
 *   Hearth-Event: comment.created
 *   Hearth-Delivery: webhook:42:0   (stable across retries; receivers dedupe on it)
 */
import { createHash, createHmac } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import type { NewDelivery } from "../../db/queries/deliveries.ts";
import { comments, type EventRow, type EventType, members, threads } from "../../db/schema.ts";
import type { AppContext } from "../context.ts";
import { createOutboundFetch, type OutboundFetch } from "../net/outbound.ts";
import { commentUrl } from "../serializers/notifications.ts";

export const WEBHOOK_EVENTS: readonly EventType[] = [
  "comment.created",
  "comment.edited",
  "comment.removed",
  "member.flagged",
];

/** The deliveries one event calls for: one per configured endpoint. */
export async function webhookDeliveries(
  ctx: AppContext,
  tx: Tx,
  event: EventRow,
): Promise<NewDelivery[]> {
  const urls = ctx.config.notifications.webhookUrls;
  if (urls.length === 0 || !WEBHOOK_EVENTS.includes(event.type)) return [];
  const data: Record<string, unknown> = { payload: event.payload };
  if (event.threadId !== null) {
    const [thread] = await tx.select().from(threads).where(eq(threads.id, event.threadId));
    if (thread) data.thread = { key: thread.key, title: thread.title, url: thread.url };
    if (event.commentId !== null) {
      const [row] = await tx
        .select({
          comment: comments,
          handle: members.handle,
          name: members.name,
        })
        .from(comments)
        .innerJoin(members, eq(members.id, comments.authorId))
        .where(and(eq(comments.threadId, event.threadId), eq(comments.id, event.commentId)));
      if (row) {
        const c = row.comment;
        const gone = c.status === "deleted" || c.status === "removed";
        data.comment = {
          id: String(c.id),
          parentId: c.parentId === null ? null : String(c.parentId),
          status: c.status,
          author: { id: c.authorId, handle: row.handle, name: row.name },
          body: gone ? null : c.body,
          html: gone ? null : c.html,
          createdAt: c.createdAt.toISOString(),
          editedAt: c.editedAt?.toISOString() ?? null,
          url: commentUrl(thread?.url ?? null, c.id),
        };
      }
    }
  }
  const memberId = (event.payload as Record<string, unknown>).memberId;
  if (typeof memberId === "string") {
    const [member] = await tx
      .select({ id: members.id, handle: members.handle, name: members.name })
      .from(members)
      .where(eq(members.id, memberId));
    if (member) data.member = member;
  }
  const body = JSON.stringify({
    id: `event-${event.id}`,
    type: event.type,
    createdAt: event.createdAt.toISOString(),
    actorId: event.actorId,
    data,
  });
  const now = ctx.now();
  return urls.map((url) => ({
    kind: "webhook" as const,
    dedupeKey: `webhook:${event.id}:${createHash("sha256").update(url).digest("hex").slice(0, 12)}`,
    payload: { url, type: event.type, body },
    nextAttemptAt: now,
  }));
}

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

export function webhookSender(
  ctx: AppContext,
): (delivery: { dedupeKey: string; payload: Record<string, unknown> }) => Promise<void> {
  const fetcher: OutboundFetch = createOutboundFetch({
    httpsOnly: ctx.config.production,
    allowPrivateHosts: ctx.config.outbound.allowPrivateHosts,
    timeoutMs: Math.max(ctx.config.outbound.timeoutMs, 5000),
    maxBytes: 64 * 1024,
  });
  return async ({ dedupeKey, payload }) => {
    const body = String(payload.body);
    const timestamp = Math.floor(ctx.now().getTime() / 1000);
    const signature = signWebhook(ctx.config.notifications.webhookSecret ?? "", timestamp, body);
    const res = await fetcher(String(payload.url), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Hearth-Webhooks/1",
        "hearth-event": String(payload.type),
        "hearth-delivery": dedupeKey,
        "hearth-signature": `t=${timestamp},v1=${signature}`,
      },
      body,
    });
    await res.body?.cancel().catch(() => {});
    if (!res.ok) throw new Error(`webhook answered ${res.status}`);
  };
}
