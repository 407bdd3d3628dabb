import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { requireAdmin, requireModerator } from "../middleware/roles.ts";
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

/** /api/mod/…: the moderation queue and actions (moderators), filters and roles (admins). */
type Id = { Params: { id: string } };

export function moderationRoutes(router: FastifyInstance, ctx: AppContext): void {
  router.get("/mod/queue", async (req) => {
    await requireModerator(ctx, req);
    return await getQueue(ctx, QueueQuery.parse(req.query));
  });

  router.get("/mod/audit", async (req) => {
    await requireModerator(ctx, req);
    return await getAudit(ctx, AuditQuery.parse(req.query));
  });

  for (const action of ["approve", "remove"] as const) {
    router.post(`/mod/comments/${action}`, async (req) => {
      const session = await requireModerator(ctx, req);
      const { ids, reason } = Bulk.parse(req.body ?? {});
      return { results: await moderateComments(ctx, session, ids, action, { reason }) };
    });
  }

  for (const action of COMMENT_ACTIONS) {
    router.post<Id>(`/mod/comments/:id/${action}`, async (req) => {
      const session = await requireModerator(ctx, req);
      const { reason } = Reason.parse(req.body ?? {});
      return { comment: await moderateComment(ctx, session, req.params.id, action, { reason }) };
    });
  }

  router.get<Id>("/mod/members/:id", async (req) => {
    await requireModerator(ctx, req);
    return await getMemberForModerator(ctx, req.params.id);
  });

  for (const action of MEMBER_ACTIONS) {
    router.post<Id>(`/mod/members/:id/${action}`, async (req) => {
      const session = await requireModerator(ctx, req);
      const body = action === "ban" ? Ban.parse(req.body ?? {}) : Reason.parse(req.body ?? {});
      const ban = body as z.infer<typeof Ban>;
      return moderateMember(ctx, session, req.params.id, action, {
        until: ban.until ? new Date(ban.until) : undefined,
        durationSeconds: ban.durationSeconds,
        removeContent: ban.removeContent,
        reason: body.reason,
      });
    });
  }

  for (const action of THREAD_ACTIONS) {
    router.post<{ Params: { key: string } }>(`/mod/threads/:key/${action}`, async (req) => {
      const session = await requireModerator(ctx, req);
      return await moderateThread(ctx, session, req.params.key, action);
    });
  }

  router.get("/mod/filters", async (req) => {
    await requireAdmin(ctx, req);
    return { filters: await listFilters(ctx) };
  });
  router.post("/mod/filters", async (req, reply) => {
    const session = await requireAdmin(ctx, req);
    reply.code(201);
    return { filter: await createFilter(ctx, session, Filter.parse(req.body ?? {})) };
  });
  router.patch<Id>("/mod/filters/:id", async (req) => {
    const session = await requireAdmin(ctx, req);
    const input = Filter.partial().parse(req.body ?? {});
    return { filter: await changeFilter(ctx, session, req.params.id, input) };
  });
  router.delete<Id>("/mod/filters/:id", async (req, reply) => {
    const session = await requireAdmin(ctx, req);
    await removeFilter(ctx, session, req.params.id);
    return reply.code(204).send();
  });

  router.get("/mod/roles", async (req) => {
    await requireAdmin(ctx, req);
    return { grants: await listGrants(ctx) };
  });
  router.post<Id>("/mod/members/:id/roles", async (req) => {
    const session = await requireAdmin(ctx, req);
    const { role } = Grant.parse(req.body ?? {});
    return await setGrant(ctx, session, req.params.id, role, true);
  });
  router.delete<{ Params: { id: string; role: string } }>(
    "/mod/members/:id/roles/:role",
    async (req) => {
      const session = await requireAdmin(ctx, req);
      const { role } = Grant.parse({ role: req.params.role });
      return await setGrant(ctx, session, req.params.id, role, false);
    },
  );
}
