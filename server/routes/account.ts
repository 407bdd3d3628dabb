/** GET /api/me/export and DELETE /api/me: a member's own data. */
import type { AppContext } from "../context.ts";
import { type RouteTarget, route } from "../http/route.ts";
import { eraseAccount, exportAccount } from "../services/account.ts";

export function accountRoutes(router: RouteTarget, ctx: AppContext): void {
  route(router, ctx, {
    method: "get",
    path: "/me/export",
    access: "member",
    handler: async ({ res, session }) => {
      const data = await exportAccount(ctx, session);
      res.setHeader("Content-Disposition", 'attachment; filename="hearth-export.json"');
      return data;
    },
  });
  route(router, ctx, {
    method: "delete",
    path: "/me",
    access: "member",
    handler: ({ session }) => eraseAccount(ctx, session),
  });
}
