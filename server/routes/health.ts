import type { FastifyInstance } from "fastify";
import { pingDatabase } from "../../db/client.ts";
import type { AppContext } from "../context.ts";

/** GET /healthz: the process answers and the database is reachable. */
export function healthRoutes(router: FastifyInstance, ctx: AppContext): void {
  router.get("/healthz", async (_req, reply) => {
    try {
      await pingDatabase(ctx.database.db);
      return { status: "ok", database: "ok", driver: ctx.database.driver };
    } catch (error) {
      ctx.logger.error("health check failed", { error: String(error) });
      reply.code(503);
      return { status: "degraded", database: "unreachable" };
    }
  });
}
