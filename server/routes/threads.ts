import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { forbidden, unauthenticated } from "../errors.ts";
import { hasApiKey } from "../middleware/api-key.ts";
import { optionalSession, requireSession } from "../middleware/auth.ts";
import { headerOf } from "../middleware/headers.ts";
import {
  DEFAULT_PAGE_SIZE,
  listComments,
  MAX_PAGE_SIZE,
  postComment,
} from "../services/comments.ts";
import { getCounts, getThread, putThread } from "../services/threads.ts";

const ListQuery = z.object({
  sort: z.enum(["oldest", "newest", "top"]).default("oldest"),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

const NewComment = z.object({
  body: z.string({ error: "body must be a string" }),
  parentId: z.union([z.string(), z.number()]).nullish(),
  title: z.string().max(300).optional(),
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
});

const Tiers = z.array(z.string().min(1).max(100)).min(1).max(50);
const ThreadSettings = z
  .object({
    title: z.string().max(300).nullable().optional(),
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .nullable()
      .optional(),
    read: z.union([z.enum(["public", "members"]), Tiers]).optional(),
    write: z.union([z.literal("members"), Tiers]).optional(),
    federate: z.boolean().optional(),
    premoderated: z.boolean().optional(),
    locked: z.boolean().optional(),
  })
  .strict();

const CountsQuery = z.object({ threads: z.string().min(1).max(10_000) });

type Key = { Params: { key: string } };

export function threadRoutes(router: FastifyInstance, ctx: AppContext): void {
  router.get("/counts", async (req) => {
    const { threads } = CountsQuery.parse(req.query);
    const keys = [...new Set(threads.split(",").filter(Boolean))].slice(0, 100);
    return { counts: await getCounts(ctx, keys, await optionalSession(ctx, req)) };
  });

  router.get<Key>("/threads/:key", async (req) => ({
    thread: await getThread(ctx, req.params.key, await optionalSession(ctx, req)),
  }));

  router.put<Key>("/threads/:key", async (req) => {
    if (!hasApiKey(ctx, req)) {
      const session = await requireSession(ctx, req).catch(() => {
        throw unauthenticated("unauthenticated", "Send the host's API key or an admin session.");
      });
      if (!session.roles.includes("admin"))
        throw forbidden("forbidden", "Only admins may change thread settings.");
    }
    const settings = ThreadSettings.parse(req.body ?? {});
    return { thread: await putThread(ctx, req.params.key, settings) };
  });

  router.get<Key>("/threads/:key/comments", async (req, reply) => {
    const query = ListQuery.parse(req.query);
    const page = await listComments(ctx, req.params.key, query, await optionalSession(ctx, req));
    reply.type("application/json; charset=utf-8");
    return page;
  });

  router.post<Key>("/threads/:key/comments", async (req, reply) => {
    const session = await requireSession(ctx, req);
    const input = NewComment.parse(req.body ?? {});
    const { comment, created } = await postComment(
      ctx,
      session,
      req.params.key,
      {
        ...input,
        parentId:
          input.parentId === null || input.parentId === undefined
            ? undefined
            : String(input.parentId),
      },
      headerOf(req, "idempotency-key"),
    );
    reply.code(created ? 201 : 200);
    return { comment };
  });
}
