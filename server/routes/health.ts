import { Router } from "express";
import { pingDatabase } from "../../db/client.ts";
import type { AppContext } from "../context.ts";

/** GET /healthz: the process answers and the database is reachable. */
export function healthRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get("/healthz", async (_req, res) => {
    try {
      await pingDatabase(ctx.database.db);
      res.json({ status: "ok", database: "ok", driver: ctx.database.driver });
    } catch (error) {
      ctx.logger.error("health check failed", { error: String(error) });
      res.status(503).json({ status: "degraded", database: "unreachable" });
    }
  });
  return router;
}
