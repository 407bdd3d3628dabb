import { Router } from "express";
import type { AppContext } from "../context.ts";
import { requireSession } from "../middleware/auth.ts";
import { eraseAccount, exportAccount } from "../services/account.ts";

/** GET /api/me/export and DELETE /api/me: a member's own data. */
export function accountRoutes(ctx: AppContext): Router {
  const router = Router();
  router.get("/me/export", async (req, res) => {
    const data = await exportAccount(ctx, await requireSession(ctx, req));
    res.set("Content-Disposition", 'attachment; filename="hearth-export.json"');
    res.json(data);
  });
  router.delete("/me", async (req, res) => {
    res.json(await eraseAccount(ctx, await requireSession(ctx, req)));
  });
  return router;
}
