import type { FastifyInstance } from "fastify";
import type { AppContext } from "../context.ts";
import { requireSession } from "../middleware/auth.ts";
import { eraseAccount, exportAccount } from "../services/account.ts";

/** GET /api/me/export and DELETE /api/me: a member's own data. */
export function accountRoutes(router: FastifyInstance, ctx: AppContext): void {
  router.get("/me/export", async (req, reply) => {
    const data = await exportAccount(ctx, await requireSession(ctx, req));
    reply.header("Content-Disposition", 'attachment; filename="hearth-export.json"');
    return data;
  });
  router.delete("/me", async (req) => eraseAccount(ctx, await requireSession(ctx, req)));
}
