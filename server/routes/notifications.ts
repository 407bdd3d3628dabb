/**
 * The Notifications API: list, unread count, mark read, preferences, the live stream and
 * its tickets, following threads, muting members and handle suggestions.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { forbidden, unauthenticated } from "../errors.ts";
import { hasApiKey } from "../middleware/api-key.ts";
import { requireSession } from "../middleware/auth.ts";
import { listTroubledDeliveries, retryTroubledDelivery } from "../services/deliveries.ts";
import { getPreferences, putPreferences } from "../services/notification-preferences.ts";
import { issueStreamTicket, verifyStreamTicket } from "../services/notification-stream.ts";
import {
  getFollowing,
  listMutes,
  listNotifications,
  MAX_NOTIFICATION_PAGE,
  markNotificationsRead,
  parseId,
  setFollowing,
  setMuted,
  suggestHandles,
  unreadCount,
} from "../services/notifications.ts";

const ListQuery = z.object({
  cursor: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_NOTIFICATION_PAGE).default(20),
  unread: z.enum(["0", "1", "true", "false"]).optional(),
});
const ReadBody = z.object({
  ids: z
    .array(z.union([z.string(), z.number()]))
    .max(500)
    .optional(),
  all: z.boolean().optional(),
});

type Id = { Params: { id: string } };
type Key = { Params: { key: string } };
type Handle = { Params: { handle: string } };
type Query = { Querystring: Record<string, unknown> };

export function notificationRoutes(router: FastifyInstance, ctx: AppContext): void {
  router.get<Query>("/notifications", async (req) => {
    const session = await requireSession(ctx, req);
    const query = ListQuery.parse(req.query);
    return listNotifications(ctx, session, {
      cursor: query.cursor,
      limit: query.limit,
      unread: query.unread === "1" || query.unread === "true",
    });
  });

  router.get("/notifications/unread-count", async (req) => {
    const session = await requireSession(ctx, req);
    return { unread: await unreadCount(ctx, session) };
  });

  router.post("/notifications/read", async (req) => {
    const session = await requireSession(ctx, req);
    const body = ReadBody.parse(req.body ?? {});
    const ids = body.all ? undefined : (body.ids ?? []).map((id) => parseId(id, "ids"));
    return await markNotificationsRead(ctx, session, ids);
  });

  router.post<Id>("/notifications/:id/read", async (req) => {
    const session = await requireSession(ctx, req);
    return await markNotificationsRead(ctx, session, [parseId(req.params.id, "id")]);
  });

  // `/api/me/preferences` is the path DESIGN.md names; both serve the same settings.
  for (const path of ["/notifications/preferences", "/me/preferences"]) {
    router.get(path, async (req) => getPreferences(ctx, await requireSession(ctx, req)));
    router.put(path, async (req) => {
      const session = await requireSession(ctx, req);
      return putPreferences(ctx, session, req.body ?? {});
    });
  }

  router.post("/notifications/ticket", async (req) => {
    const session = await requireSession(ctx, req);
    return await issueStreamTicket(ctx, session, session.expiresAt ?? 0);
  });

  router.get<Query>("/notifications/stream", async (req, reply) => {
    const ticket = typeof req.query.ticket === "string" ? req.query.ticket : undefined;
    let memberId: string;
    let expiresAt: number;
    if (ticket) {
      ({ memberId, sessionExpiresAt: expiresAt } = await verifyStreamTicket(ctx, ticket));
    } else if (req.headers.authorization) {
      const session = await requireSession(ctx, req);
      memberId = session.memberId;
      expiresAt = session.expiresAt ?? 0;
    } else {
      throw unauthenticated(
        "unauthenticated",
        "Open the stream with ?ticket= (POST /api/notifications/ticket) or Authorization: Bearer.",
      );
    }
    if (expiresAt * 1000 <= ctx.now().getTime())
      throw unauthenticated("token_expired", "Your session has expired; sign in again.");
    const header = req.headers["last-event-id"] ?? req.query.lastEventId;
    const last = typeof header === "string" && /^\d{1,16}$/.test(header) ? Number(header) : 0;
    // The stream writes to the socket itself, with the headers set so far (CORS among them).
    reply.hijack();
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) reply.raw.setHeader(name, value);
    }
    try {
      await ctx.notifications.hub.serve(reply.raw, memberId, expiresAt, last);
    } catch (error) {
      ctx.logger.error("notification stream failed", { error: String(error) });
      reply.raw.end();
    }
  });

  router.get<Key>("/threads/:key/follow", async (req) => {
    return getFollowing(ctx, await requireSession(ctx, req), req.params.key);
  });
  router.put<Key>("/threads/:key/follow", async (req) => {
    return setFollowing(ctx, await requireSession(ctx, req), req.params.key, true);
  });
  router.delete<Key>("/threads/:key/follow", async (req) => {
    return setFollowing(ctx, await requireSession(ctx, req), req.params.key, false);
  });

  router.get<Query>("/members/handles", async (req) => {
    await requireSession(ctx, req);
    const prefix = typeof req.query.prefix === "string" ? req.query.prefix : "";
    return await suggestHandles(ctx, prefix);
  });
  router.get("/members/mutes", async (req) => {
    return listMutes(ctx, await requireSession(ctx, req));
  });
  router.put<Handle>("/members/:handle/mute", async (req) => {
    return setMuted(ctx, await requireSession(ctx, req), req.params.handle, true);
  });
  router.delete<Handle>("/members/:handle/mute", async (req) => {
    return setMuted(ctx, await requireSession(ctx, req), req.params.handle, false);
  });

  const requireAdmin = async (req: Parameters<typeof hasApiKey>[1]) => {
    if (hasApiKey(ctx, req)) return;
    const session = await requireSession(ctx, req).catch(() => {
      throw unauthenticated("unauthenticated", "Send the host's API key or an admin session.");
    });
    if (!session.roles.includes("admin"))
      throw forbidden("forbidden", "Only admins may see deliveries.");
  };
  router.get<Query>("/admin/deliveries", async (req) => {
    await requireAdmin(req);
    return await listTroubledDeliveries(ctx, req.query.status);
  });
  router.post<Id>("/admin/deliveries/:id/retry", async (req) => {
    await requireAdmin(req);
    return await retryTroubledDelivery(ctx, req.params.id);
  });
}
