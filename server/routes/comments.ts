/** /api/comments/:id: read, edit, delete, react to and flag one comment. */
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { notFound } from "../errors.ts";
import { IdParams } from "../http/params.ts";
import { Reply, type RouteTarget, route } from "../http/route.ts";
import { deleteComment, editComment, getComment } from "../services/comments.ts";
import { flagComment } from "../services/flags.ts";
import { setReaction } from "../services/reactions.ts";

const Edit = z.object({ body: z.string({ error: "body must be a string" }) });
const Reaction = z.object({ kind: z.string().max(40) });
const ReactionQuery = z.object({ kind: z.unknown().optional() });
const FlagBody = z
  .object({
    reason: z.enum(["spam", "abuse", "off_topic", "other"]),
    text: z.string().max(1000).optional(),
  })
  .refine((flag) => flag.reason !== "other" || (flag.text ?? "").trim().length > 0, {
    message: 'Say why when the reason is "other".',
    path: ["text"],
  });

const noSuchComment = () => notFound("comment_not_found", "There is no such comment.");

export function commentRoutes(router: RouteTarget, ctx: AppContext): void {
  route(router, ctx, {
    method: "get",
    path: "/comments/:id",
    access: "anyone",
    params: IdParams,
    badParams: noSuchComment,
    handler: async ({ params, session }) => ({
      comment: await getComment(ctx, params.id, session),
    }),
  });

  route(router, ctx, {
    method: "patch",
    path: "/comments/:id",
    access: "member",
    params: IdParams,
    badParams: noSuchComment,
    body: Edit,
    handler: async ({ params, body, session }) => ({
      comment: await editComment(ctx, session, params.id, body.body),
    }),
  });

  route(router, ctx, {
    method: "delete",
    path: "/comments/:id",
    access: "member",
    params: IdParams,
    badParams: noSuchComment,
    handler: async ({ params, session }) => ({
      comment: await deleteComment(ctx, session, params.id),
    }),
  });

  route(router, ctx, {
    method: "post",
    path: "/comments/:id/reactions",
    access: "member",
    params: IdParams,
    badParams: noSuchComment,
    body: Reaction,
    handler: ({ params, body, session }) => setReaction(ctx, session, params.id, body.kind, true),
  });

  // The kind may come in the body or, since some clients send no body with DELETE, the query.
  route(router, ctx, {
    method: "delete",
    path: "/comments/:id/reactions",
    access: "member",
    params: IdParams,
    badParams: noSuchComment,
    query: ReactionQuery,
    handler: ({ params, query, req, session }) => {
      const body = req.body as { kind?: unknown } | undefined;
      const { kind } = Reaction.parse({ kind: body?.kind ?? query.kind });
      return setReaction(ctx, session, params.id, kind, false);
    },
  });

  route(router, ctx, {
    method: "post",
    path: "/comments/:id/flags",
    access: "member",
    params: IdParams,
    badParams: noSuchComment,
    body: FlagBody,
    handler: async ({ params, body, session }) => {
      const { created } = await flagComment(ctx, session, params.id, body);
      return new Reply(created ? 201 : 200, { flag: { reason: body.reason, created } });
    },
  });
}
