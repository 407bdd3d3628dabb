import type { FastifyInstance } from "fastify";
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

export function federationRoutes(router: FastifyInstance, ctx: AppContext): void {
  router.get("/mod/federation/blocks", async (req) =>
    listBlocks(ctx, await requireSession(ctx, req)),
  );

  router.post("/mod/federation/blocks", async (req, reply) => {
    const session = await requireSession(ctx, req);
    const input = NewBlock.parse(req.body ?? {});
    reply.code(201);
    return { block: await createBlock(ctx, session, input) };
  });

  router.delete<{ Params: { id: string } }>("/mod/federation/blocks/:id", async (req, reply) => {
    await removeBlock(ctx, await requireSession(ctx, req), req.params.id);
    return reply.code(204).send();
  });

  router.get("/mod/federation/followers", async (req) => {
    const session = await requireSession(ctx, req);
    const { status } = FollowersQuery.parse(req.query);
    return { followers: await listFollowers(ctx, session, status) };
  });

  router.post("/mod/federation/followers/approve", async (req) => {
    const session = await requireSession(ctx, req);
    const { actor } = Approve.parse(req.body ?? {});
    return { follower: await approveFollower(ctx, session, actor) };
  });

  router.get("/mod/federation/reports", async (req) => ({
    reports: await listReports(ctx, await requireSession(ctx, req)),
  }));

  router.get("/me/federation", async (req) =>
    getMemberFederation(ctx, await requireSession(ctx, req)),
  );

  router.put("/me/federation", async (req) => {
    const session = await requireSession(ctx, req);
    const { federate } = MemberFederation.parse(req.body ?? {});
    return setMemberFederation(ctx, session, federate);
  });
}
