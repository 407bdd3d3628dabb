/**
 * The Notifications API: list, unread count, mark read, preferences, the live stream and
 * its tickets, following threads, muting members and handle suggestions; and, for admins,
 * the email and webhook deliveries that are failing.
 */
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { badRequest, notFound, unauthenticated } from "../errors.ts";
import { HandleParams, IdParams, KeyParams } from "../http/params.ts";
import { HANDLED, type RouteTarget, route } from "../http/route.ts";
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
const StreamQuery = z.object({
  ticket: z.unknown().optional(),
  lastEventId: z.unknown().optional(),
});
const HandlesQuery = z.object({ prefix: z.unknown().optional() });
const DeliveriesQuery = z.object({ status: z.unknown().optional() });

export function notificationRoutes(router: RouteTarget, ctx: AppContext): void {
  route(router, ctx, {
    method: "get",
    path: "/notifications",
    access: "member",
    query: ListQuery,
    handler: ({ query, session }) =>
      listNotifications(ctx, session, {
        cursor: query.cursor,
        limit: query.limit,
        unread: query.unread === "1" || query.unread === "true",
      }),
  });

  route(router, ctx, {
    method: "get",
    path: "/notifications/unread-count",
    access: "member",
    handler: async ({ session }) => ({ unread: await unreadCount(ctx, session) }),
  });

  route(router, ctx, {
    method: "post",
    path: "/notifications/read",
    access: "member",
    body: ReadBody,
    handler: ({ body, session }) =>
      markNotificationsRead(
        ctx,
        session,
        body.all ? undefined : (body.ids ?? []).map((id) => parseId(id, "ids")),
      ),
  });

  route(router, ctx, {
    method: "post",
    path: "/notifications/:id/read",
    access: "member",
    params: IdParams,
    badParams: () => badRequest("validation_failed", "id is not a valid id.", { field: "id" }),
    handler: ({ params, session }) => markNotificationsRead(ctx, session, [params.id]),
  });

  // `/api/me/preferences` is the path DESIGN.md names; both serve the same settings.
  for (const path of ["/notifications/preferences", "/me/preferences"]) {
    route(router, ctx, {
      method: "get",
      path,
      access: "member",
      handler: ({ session }) => getPreferences(ctx, session),
    });
    route(router, ctx, {
      method: "put",
      path,
      access: "member",
      handler: ({ req, session }) => putPreferences(ctx, session, req.body ?? {}),
    });
  }

  route(router, ctx, {
    method: "post",
    path: "/notifications/ticket",
    access: "member",
    handler: ({ session }) => issueStreamTicket(ctx, session, session.expiresAt ?? 0),
  });

  // The stream signs in with a ticket (EventSource cannot send headers) or a Bearer session.
  route(router, ctx, {
    method: "get",
    path: "/notifications/stream",
    access: "anyone",
    query: StreamQuery,
    handler: async ({ query, req, res, session }) => {
      const ticket = typeof query.ticket === "string" ? query.ticket : undefined;
      let memberId: string;
      let expiresAt: number;
      if (ticket) {
        ({ memberId, sessionExpiresAt: expiresAt } = await verifyStreamTicket(ctx, ticket));
      } else if (session) {
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
      const header = req.headers["last-event-id"] ?? query.lastEventId;
      const last = typeof header === "string" && /^\d{1,16}$/.test(header) ? Number(header) : 0;
      try {
        await ctx.notifications.hub.serve(res, memberId, expiresAt, last);
      } catch (error) {
        ctx.logger.error("notification stream failed", { error: String(error) });
        res.end();
      }
      return HANDLED;
    },
  });

  for (const [method, on] of [
    ["put", true],
    ["delete", false],
  ] as const) {
    route(router, ctx, {
      method,
      path: "/threads/:key/follow",
      access: "member",
      params: KeyParams,
      handler: ({ params, session }) => setFollowing(ctx, session, params.key, on),
    });
    route(router, ctx, {
      method,
      path: "/members/:handle/mute",
      access: "member",
      params: HandleParams,
      handler: ({ params, session }) => setMuted(ctx, session, params.handle, on),
    });
  }
  route(router, ctx, {
    method: "get",
    path: "/threads/:key/follow",
    access: "member",
    params: KeyParams,
    handler: ({ params, session }) => getFollowing(ctx, session, params.key),
  });

  route(router, ctx, {
    method: "get",
    path: "/members/handles",
    access: "member",
    query: HandlesQuery,
    handler: ({ query }) =>
      suggestHandles(ctx, typeof query.prefix === "string" ? query.prefix : ""),
  });
  route(router, ctx, {
    method: "get",
    path: "/members/mutes",
    access: "member",
    handler: ({ session }) => listMutes(ctx, session),
  });

  route(router, ctx, {
    method: "get",
    path: "/admin/deliveries",
    access: "admin-or-api-key",
    forbidden: "Only admins may see deliveries.",
    query: DeliveriesQuery,
    handler: ({ query }) => listTroubledDeliveries(ctx, query.status),
  });
  route(router, ctx, {
    method: "post",
    path: "/admin/deliveries/:id/retry",
    access: "admin-or-api-key",
    forbidden: "Only admins may see deliveries.",
    params: IdParams,
    badParams: () => notFound("not_found", "There is no such delivery."),
    handler: ({ params }) => retryTroubledDelivery(ctx, params.id),
  });
}
