import { Router } from "express";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { requireSession } from "../middleware/auth.ts";
import {
  approveFollower,
  createBlock,
  getMemberFederation,
  listBlocks,
  listFollowers,
  listReports,
  removeBlock,
  setMemberFederation,
} from "../services/federation.ts";

const NewBlock = z
  .object({
    target: z.string().min(1).max(2000),
    kind: z.enum(["instance", "actor"]).optional(),
    level: z.enum(["suspend", "silence"]).default("suspend"),
    reason: z.string().max(1000).optional(),
  })
  .strict();
const FollowersQuery = z.object({ status: z.enum(["accepted", "pending"]).default("accepted") });
const Approve = z.object({ actor: z.url().max(2000) });
const MemberFederation = z.object({ federate: z.boolean() }).strict();

export function federationRoutes(ctx: AppContext): Router {
  const router = Router();

  router.get("/mod/federation/blocks", async (req, res) => {
    res.json(await listBlocks(ctx, await requireSession(ctx, req)));
  });

  router.post("/mod/federation/blocks", async (req, res) => {
    const session = await requireSession(ctx, req);
    const input = NewBlock.parse(req.body ?? {});
    res.status(201).json({ block: await createBlock(ctx, session, input) });
  });

  router.delete("/mod/federation/blocks/:id", async (req, res) => {
    await removeBlock(ctx, await requireSession(ctx, req), req.params.id);
    res.status(204).end();
  });

  router.get("/mod/federation/followers", async (req, res) => {
    const session = await requireSession(ctx, req);
    const { status } = FollowersQuery.parse(req.query);
    res.json({ followers: await listFollowers(ctx, session, status) });
  });

  router.post("/mod/federation/followers/approve", async (req, res) => {
    const session = await requireSession(ctx, req);
    const { actor } = Approve.parse(req.body ?? {});
    res.json({ follower: await approveFollower(ctx, session, actor) });
  });

  router.get("/mod/federation/reports", async (req, res) => {
    res.json({ reports: await listReports(ctx, await requireSession(ctx, req)) });
  });

  router.get("/me/federation", async (req, res) => {
    res.json(await getMemberFederation(ctx, await requireSession(ctx, req)));
  });

  router.put("/me/federation", async (req, res) => {
    const session = await requireSession(ctx, req);
    const { federate } = MemberFederation.parse(req.body ?? {});
    res.json(await setMemberFederation(ctx, session, federate));
  });

  return router;
}
