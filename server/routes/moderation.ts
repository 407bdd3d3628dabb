import { z } from "zod";
import type { AppContext } from "../context.ts";
import { notFound } from "../errors.ts";
import { IdParams, KeyParams, memberId } from "../http/params.ts";
import { Reply, type RouteTarget, route } from "../http/route.ts";
import {
  changeFilter,
  createFilter,
  getAudit,
  getMemberForModerator,
  getQueue,
  listFilters,
  listGrants,
  type MemberAction,
  moderateComment,
  moderateComments,
  moderateMember,
  moderateThread,
  removeFilter,
  setGrant,
  type ThreadAction,
} from "../services/moderation.ts";

const Page = {
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};
const QueueQuery = z.object({
  ...Page,
  reason: z
    .enum(["premoderation", "limited", "screening", "word_filter", "flags", "signup", "federation"])
    .optional(),
  thread: z.string().max(200).optional(),
});
const AuditQuery = z.object(Page);
const Reason = z.object({ reason: z.string().trim().max(500).optional() });
const Bulk = z.object({
  ids: z
    .array(z.union([z.string(), z.number()]).transform(String))
    .min(1)
    .max(100),
  reason: z.string().trim().max(500).optional(),
});
const Ban = z
  .object({
    until: z.iso.datetime({ offset: true }).optional(),
    durationSeconds: z
      .number()
      .int()
      .positive()
      .max(10 * 365 * 86400)
      .optional(),
    removeContent: z.boolean().optional(),
    reason: z.string().trim().max(500).optional(),
  })
  .refine((ban) => !(ban.until && ban.durationSeconds), {
    message: "Give until or durationSeconds, not both.",
    path: ["until"],
  });
const Filter = z.object({
  kind: z.enum(["word", "regex"]),
  pattern: z.string().trim().min(1).max(200),
  action: z.enum(["hold", "reject"]),
});
const Grant = z.object({ role: z.enum(["moderator", "admin"]) });

const COMMENT_ACTIONS = ["approve", "remove", "restore", "pin", "unpin"] as const;
const MEMBER_ACTIONS: readonly MemberAction[] = [
  "ban",
  "unban",
  "limit",
  "unlimit",
  "approve",
  "reject",
];
const THREAD_ACTIONS: readonly ThreadAction[] = ["lock", "unlock", "premoderate", "unpremoderate"];

const MemberParams = z.object({ id: memberId });
const RoleParams = z.object({ id: memberId, role: z.string() });
const noSuchComment = () => notFound("comment_not_found", "There is no such comment.");
const noSuchMember = () => notFound("not_found", "There is no such member.");
const noSuchFilter = () => notFound("not_found", "There is no such filter.");

/** /api/mod/…: the moderation queue and actions (moderators), filters and roles (admins). */
export function moderationRoutes(router: RouteTarget, ctx: AppContext): void {
  route(router, ctx, {
    method: "get",
    path: "/mod/queue",
    access: "moderator",
    query: QueueQuery,
    handler: ({ query }) => getQueue(ctx, query),
  });

  route(router, ctx, {
    method: "get",
    path: "/mod/audit",
    access: "moderator",
    query: AuditQuery,
    handler: ({ query }) => getAudit(ctx, query),
  });

  for (const action of ["approve", "remove"] as const) {
    route(router, ctx, {
      method: "post",
      path: `/mod/comments/${action}`,
      access: "moderator",
      body: Bulk,
      handler: async ({ body, session }) => ({
        results: await moderateComments(ctx, session, body.ids, action, { reason: body.reason }),
      }),
    });
  }

  for (const action of COMMENT_ACTIONS) {
    route(router, ctx, {
      method: "post",
      path: `/mod/comments/:id/${action}`,
      access: "moderator",
      params: IdParams,
      badParams: noSuchComment,
      body: Reason,
      handler: async ({ params, body, session }) => ({
        comment: await moderateComment(ctx, session, params.id, action, { reason: body.reason }),
      }),
    });
  }

  route(router, ctx, {
    method: "get",
    path: "/mod/members/:id",
    access: "moderator",
    params: MemberParams,
    badParams: noSuchMember,
    handler: ({ params }) => getMemberForModerator(ctx, params.id),
  });

  for (const action of MEMBER_ACTIONS) {
    route(router, ctx, {
      method: "post",
      path: `/mod/members/:id/${action}`,
      access: "moderator",
      params: MemberParams,
      badParams: noSuchMember,
      body: action === "ban" ? Ban : Reason,
      handler: ({ params, body, session }) => {
        const ban = body as z.infer<typeof Ban>;
        return moderateMember(ctx, session, params.id, action, {
          until: ban.until ? new Date(ban.until) : undefined,
          durationSeconds: ban.durationSeconds,
          removeContent: ban.removeContent,
          reason: body.reason,
        });
      },
    });
  }

  for (const action of THREAD_ACTIONS) {
    route(router, ctx, {
      method: "post",
      path: `/mod/threads/:key/${action}`,
      access: "moderator",
      params: KeyParams,
      handler: ({ params, session }) => moderateThread(ctx, session, params.key, action),
    });
  }

  route(router, ctx, {
    method: "get",
    path: "/mod/filters",
    access: "admin",
    handler: async () => ({ filters: await listFilters(ctx) }),
  });
  route(router, ctx, {
    method: "post",
    path: "/mod/filters",
    access: "admin",
    body: Filter,
    handler: async ({ body, session }) =>
      new Reply(201, { filter: await createFilter(ctx, session, body) }),
  });
  route(router, ctx, {
    method: "patch",
    path: "/mod/filters/:id",
    access: "admin",
    params: IdParams,
    badParams: noSuchFilter,
    body: Filter.partial(),
    handler: async ({ params, body, session }) => ({
      filter: await changeFilter(ctx, session, params.id, body),
    }),
  });
  route(router, ctx, {
    method: "delete",
    path: "/mod/filters/:id",
    access: "admin",
    params: IdParams,
    badParams: noSuchFilter,
    handler: async ({ params, session }) => {
      await removeFilter(ctx, session, params.id);
      return new Reply(204);
    },
  });

  route(router, ctx, {
    method: "get",
    path: "/mod/roles",
    access: "admin",
    handler: async () => ({ grants: await listGrants(ctx) }),
  });
  route(router, ctx, {
    method: "post",
    path: "/mod/members/:id/roles",
    access: "admin",
    params: MemberParams,
    badParams: noSuchMember,
    body: Grant,
    handler: ({ params, body, session }) => setGrant(ctx, session, params.id, body.role, true),
  });
  route(router, ctx, {
    method: "delete",
    path: "/mod/members/:id/roles/:role",
    access: "admin",
    params: RoleParams,
    badParams: noSuchMember,
    handler: ({ params, session }) => {
      const { role } = Grant.parse({ role: params.role });
      return setGrant(ctx, session, params.id, role, false);
    },
  });
}
