import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { optionalSession, requireSession } from "../middleware/auth.ts";
import { deleteComment, editComment, getComment } from "../services/comments.ts";
import { flagComment } from "../services/flags.ts";
import { setReaction } from "../services/reactions.ts";

const Edit = z.object({ body: z.string({ error: "body must be a string" }) });
const ReactionBody = z.object({ kind: z.string().max(40) });
const FlagBody = z
  .object({
    reason: z.enum(["spam", "abuse", "off_topic", "other"]),
    text: z.string().max(1000).optional(),
  })
  .refine((flag) => flag.reason !== "other" || (flag.text ?? "").trim().length > 0, {
    message: 'Say why when the reason is "other".',
    path: ["text"],
  });

type Id = {
  Params: { id: string };
  Body: { kind?: unknown } | undefined;
  Querystring: { kind?: unknown };
};

export function commentRoutes(router: FastifyInstance, ctx: AppContext): void {
  router.get<Id>("/comments/:id", async (req) => ({
    comment: await getComment(ctx, req.params.id, await optionalSession(ctx, req)),
  }));

  router.patch<Id>("/comments/:id", async (req) => {
    const session = await requireSession(ctx, req);
    const { body } = Edit.parse(req.body ?? {});
    return { comment: await editComment(ctx, session, req.params.id, body) };
  });

  router.delete<Id>("/comments/:id", async (req) => {
    const session = await requireSession(ctx, req);
    return { comment: await deleteComment(ctx, session, req.params.id) };
  });

  router.post<Id>("/comments/:id/reactions", async (req) => {
    const session = await requireSession(ctx, req);
    const { kind } = ReactionBody.parse(req.body ?? {});
    return setReaction(ctx, session, req.params.id, kind, true);
  });

  router.delete<Id>("/comments/:id/reactions", async (req) => {
    const session = await requireSession(ctx, req);
    const { kind } = ReactionBody.parse({ kind: req.body?.kind ?? req.query.kind });
    return setReaction(ctx, session, req.params.id, kind, false);
  });

  router.post<Id>("/comments/:id/flags", async (req, reply) => {
    const session = await requireSession(ctx, req);
    const input = FlagBody.parse(req.body ?? {});
    const { created } = await flagComment(ctx, session, req.params.id, input);
    reply.code(created ? 201 : 200);
    return { flag: { reason: input.reason, created } };
  });
}
