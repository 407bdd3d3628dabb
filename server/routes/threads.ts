/** /api/threads/:key, its comments, and comment counts for many threads. */
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { KeyParams } from "../http/params.ts";
import { JsonText, Reply, type RouteTarget, route } from "../http/route.ts";
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
  parentId: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((id) => (id === null || id === undefined ? undefined : String(id))),
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

export function threadRoutes(router: RouteTarget, ctx: AppContext): void {
  route(router, ctx, {
    method: "get",
    path: "/counts",
    access: "anyone",
    query: CountsQuery,
    handler: async ({ query, session }) => {
      const keys = [...new Set(query.threads.split(",").filter(Boolean))].slice(0, 100);
      return { counts: await getCounts(ctx, keys, session) };
    },
  });

  route(router, ctx, {
    method: "get",
    path: "/threads/:key",
    access: "anyone",
    params: KeyParams,
    handler: async ({ params, session }) => ({
      thread: await getThread(ctx, params.key, session),
    }),
  });

  route(router, ctx, {
    method: "put",
    path: "/threads/:key",
    access: "admin-or-api-key",
    forbidden: "Only admins may change thread settings.",
    params: KeyParams,
    body: ThreadSettings,
    handler: async ({ params, body }) => ({ thread: await putThread(ctx, params.key, body) }),
  });

  route(router, ctx, {
    method: "get",
    path: "/threads/:key/comments",
    access: "anyone",
    params: KeyParams,
    query: ListQuery,
    handler: async ({ params, query, session }) =>
      new JsonText(await listComments(ctx, params.key, query, session)),
  });

  route(router, ctx, {
    method: "post",
    path: "/threads/:key/comments",
    access: "member",
    params: KeyParams,
    body: NewComment,
    handler: async ({ params, body, req, session }) => {
      const { comment, created } = await postComment(
        ctx,
        session,
        params.key,
        body,
        headerOf(req, "idempotency-key"),
      );
      return new Reply(created ? 201 : 200, { comment });
    },
  });
}
