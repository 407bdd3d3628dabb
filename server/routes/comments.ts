import { Router } from "express";
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

export function commentRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get("/comments/:id", async (req, res) => {
    res.json({ comment: await getComment(ctx, req.params.id, await optionalSession(ctx, req)) });
  });

  router.patch("/comments/:id", async (req, res) => {
    const session = await requireSession(ctx, req);
    const { body } = Edit.parse(req.body ?? {});
    res.json({ comment: await editComment(ctx, session, req.params.id, body) });
  });

  router.delete("/comments/:id", async (req, res) => {
    const session = await requireSession(ctx, req);
    res.json({ comment: await deleteComment(ctx, session, req.params.id) });
  });

  router.post("/comments/:id/reactions", async (req, res) => {
    const session = await requireSession(ctx, req);
    const { kind } = ReactionBody.parse(req.body ?? {});
    res.json(await setReaction(ctx, session, req.params.id, kind, true));
  });

  router.delete("/comments/:id/reactions", async (req, res) => {
    const session = await requireSession(ctx, req);
    const { kind } = ReactionBody.parse({ kind: req.body?.kind ?? req.query.kind });
    res.json(await setReaction(ctx, session, req.params.id, kind, false));
  });

  router.post("/comments/:id/flags", async (req, res) => {
    const session = await requireSession(ctx, req);
    const input = FlagBody.parse(req.body ?? {});
    const { created } = await flagComment(ctx, session, req.params.id, input);
    res.status(created ? 201 : 200).json({ flag: { reason: input.reason, created } });
  });

  return router;
}
