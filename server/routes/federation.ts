/** /api/mod/federation/… (blocks, followers, reports) and a member's own federation choice. */
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { notFound } from "../errors.ts";
import { IdParams } from "../http/params.ts";
import { Reply, type RouteTarget, route } from "../http/route.ts";
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

// The federation service checks the moderator role itself, with its own messages.
export function federationRoutes(router: RouteTarget, ctx: AppContext): void {
  route(router, ctx, {
    method: "get",
    path: "/mod/federation/blocks",
    access: "member",
    handler: ({ session }) => listBlocks(ctx, session),
  });
  route(router, ctx, {
    method: "post",
    path: "/mod/federation/blocks",
    access: "member",
    body: NewBlock,
    handler: async ({ body, session }) =>
      new Reply(201, { block: await createBlock(ctx, session, body) }),
  });
  route(router, ctx, {
    method: "delete",
    path: "/mod/federation/blocks/:id",
    access: "member",
    params: IdParams,
    badParams: () => notFound("not_found", "There is no such block."),
    handler: async ({ params, session }) => {
      await removeBlock(ctx, session, params.id);
      return new Reply(204);
    },
  });
  route(router, ctx, {
    method: "get",
    path: "/mod/federation/followers",
    access: "member",
    query: FollowersQuery,
    handler: async ({ query, session }) => ({
      followers: await listFollowers(ctx, session, query.status),
    }),
  });
  route(router, ctx, {
    method: "post",
    path: "/mod/federation/followers/approve",
    access: "member",
    body: Approve,
    handler: async ({ body, session }) => ({
      follower: await approveFollower(ctx, session, body.actor),
    }),
  });
  route(router, ctx, {
    method: "get",
    path: "/mod/federation/reports",
    access: "member",
    handler: async ({ session }) => ({ reports: await listReports(ctx, session) }),
  });
  route(router, ctx, {
    method: "get",
    path: "/me/federation",
    access: "member",
    handler: ({ session }) => getMemberFederation(ctx, session),
  });
  route(router, ctx, {
    method: "put",
    path: "/me/federation",
    access: "member",
    body: MemberFederation,
    handler: ({ body, session }) => setMemberFederation(ctx, session, body.federate),
  });
}
