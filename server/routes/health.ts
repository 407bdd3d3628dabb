import type { Router } from "express";
import { pingDatabase } from "../../db/client.ts";
import type { AppContext } from "../context.ts";
import { sendJson } from "../http/reply.ts";

/** GET /healthz: the process answers and the database is reachable. */
export function healthRoutes(router: Router, ctx: AppContext): void {
  router.get("/healthz", async (_req, res) => {
    try {
      await pingDatabase(ctx.database.db);
      sendJson(res, 200, { status: "ok", database: "ok", driver: ctx.database.driver });
    } catch (error) {
      ctx.logger.error("health check failed", { error: String(error) });
      res.setHeader("Retry-After", "5");
      sendJson(res, 503, { status: "degraded", database: "unreachable" });
    }
  });
}
