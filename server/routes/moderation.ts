import { Router } from "express";
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
export function moderationRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get("/mod/queue", async (req, res) => {
    await requireModerator(ctx, req);
    res.json(await getQueue(ctx, QueueQuery.parse(req.query)));
  });

  router.get("/mod/audit", async (req, res) => {
    await requireModerator(ctx, req);
    res.json(await getAudit(ctx, AuditQuery.parse(req.query)));
  });

  for (const action of ["approve", "remove"] as const) {
    router.post(`/mod/comments/${action}`, async (req, res) => {
      const session = await requireModerator(ctx, req);
      const { ids, reason } = Bulk.parse(req.body ?? {});
      res.json({ results: await moderateComments(ctx, session, ids, action, { reason }) });
    });
  }

  for (const action of COMMENT_ACTIONS) {
    router.post(`/mod/comments/:id/${action}`, async (req, res) => {
      const session = await requireModerator(ctx, req);
      const { reason } = Reason.parse(req.body ?? {});
      res.json({ comment: await moderateComment(ctx, session, req.params.id, action, { reason }) });
    });
  }

  router.get("/mod/members/:id", async (req, res) => {
    await requireModerator(ctx, req);
    res.json(await getMemberForModerator(ctx, req.params.id));
  });

  for (const action of MEMBER_ACTIONS) {
    router.post(`/mod/members/:id/${action}`, async (req, res) => {
      const session = await requireModerator(ctx, req);
      const body = action === "ban" ? Ban.parse(req.body ?? {}) : Reason.parse(req.body ?? {});
      const ban = body as z.infer<typeof Ban>;
      res.json(
        await moderateMember(ctx, session, req.params.id, action, {
          until: ban.until ? new Date(ban.until) : undefined,
          durationSeconds: ban.durationSeconds,
          removeContent: ban.removeContent,
          reason: body.reason,
        }),
      );
    });
  }

  for (const action of THREAD_ACTIONS) {
    router.post(`/mod/threads/:key/${action}`, async (req, res) => {
      const session = await requireModerator(ctx, req);
      res.json(await moderateThread(ctx, session, req.params.key, action));
    });
  }

  router.get("/mod/filters", async (req, res) => {
    await requireAdmin(ctx, req);
    res.json({ filters: await listFilters(ctx) });
  });
  router.post("/mod/filters", async (req, res) => {
    const session = await requireAdmin(ctx, req);
    res
      .status(201)
      .json({ filter: await createFilter(ctx, session, Filter.parse(req.body ?? {})) });
  });
  router.patch("/mod/filters/:id", async (req, res) => {
    const session = await requireAdmin(ctx, req);
    const input = Filter.partial().parse(req.body ?? {});
    res.json({ filter: await changeFilter(ctx, session, req.params.id, input) });
  });
  router.delete("/mod/filters/:id", async (req, res) => {
    const session = await requireAdmin(ctx, req);
    await removeFilter(ctx, session, req.params.id);
    res.status(204).end();
  });

  router.get("/mod/roles", async (req, res) => {
    await requireAdmin(ctx, req);
    res.json({ grants: await listGrants(ctx) });
  });
  router.post("/mod/members/:id/roles", async (req, res) => {
    const session = await requireAdmin(ctx, req);
    const { role } = Grant.parse(req.body ?? {});
    res.json(await setGrant(ctx, session, req.params.id, role, true));
  });
  router.delete("/mod/members/:id/roles/:role", async (req, res) => {
    const session = await requireAdmin(ctx, req);
    const { role } = Grant.parse({ role: req.params.role });
    res.json(await setGrant(ctx, session, req.params.id, role, false));
  });

  return router;
}
