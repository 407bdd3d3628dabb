/**
 * The HTTP application. `createRouter` wires routes to services into one Express router,
 * which a host site mounts where it likes (`createHearth`) and the standalone server mounts
 * at its root (`createApp`); everything it needs comes in through the context, so tests
 * build it with their own database on port 0.
 */
import express, {
  type Express,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from "express";
import type { AppContext } from "./context.ts";
import { badRequest } from "./errors.ts";
import { jsonBody } from "./http/body.ts";
import { cors } from "./http/cors.ts";
import { noSniff } from "./http/security.ts";
import { apiNotFound, errorHandler, pageNotFound } from "./middleware/errors.ts";
import { accountRoutes } from "./routes/account.ts";
import { commentRoutes } from "./routes/comments.ts";
import { demoRoutes } from "./routes/demo.ts";
import { federationRoutes } from "./routes/federation.ts";
import { healthRoutes } from "./routes/health.ts";
import { moderationRoutes } from "./routes/moderation.ts";
import { notificationRoutes } from "./routes/notifications.ts";
import { screeningRoutes } from "./routes/screening.ts";
import { sessionRoutes } from "./routes/session.ts";
import { threadRoutes } from "./routes/threads.ts";
import { unsubscribeRoutes } from "./routes/unsubscribe.ts";
import { widgetRoutes } from "./routes/widgets.ts";

/**
 * What every API request goes through before its route, as one middleware: CORS (answering
 * preflights), `Cache-Control: no-store`, no tokens in the URL (they leak into logs and
 * history), and the JSON body. One layer rather than four: each layer is paid on every
 * request (docs/decisions/0007-http-on-express.md).
 */
function apiPrelude(ctx: AppContext): RequestHandler {
  const allowCors = cors(ctx.config.allowedOrigins);
  const readBody = jsonBody(ctx.config.bodyLimitBytes, ctx.config.bodyTimeoutMs);
  const afterCors = (req: Request, res: Response, next: NextFunction) => {
    res.setHeader("Cache-Control", "no-store");
    if (req.url.includes("?")) {
      const query = req.query as Record<string, unknown>;
      if ("token" in query || "access_token" in query || "session" in query) {
        return next(
          badRequest(
            "validation_failed",
            "Tokens are never accepted in the URL; send them in the body or header.",
          ),
        );
      }
    }
    readBody(req, res, next);
  };
  return (req, res, next) => allowCors(req, res, () => afterCors(req, res, next));
}

/** Everything Hearth serves, registered on `router` (a router, or the standalone app). */
function mountRoutes(router: Router, ctx: AppContext): void {
  router.use(noSniff);

  // ActivityPub (WebFinger, NodeInfo, actors, inboxes) before the API and its body parser.
  if (ctx.federation) router.use(ctx.federation.middleware());

  router.use("/api", apiPrelude(ctx));
  const api = { router, prefix: "/api" };
  sessionRoutes(api, ctx);
  threadRoutes(api, ctx);
  commentRoutes(api, ctx);
  accountRoutes(api, ctx);
  moderationRoutes(api, ctx);
  screeningRoutes(api, ctx);
  federationRoutes(api, ctx);
  notificationRoutes(api, ctx);
  router.use("/api", apiNotFound);

  healthRoutes(router, ctx);
  unsubscribeRoutes(router, ctx);
  widgetRoutes(router);
  if (ctx.config.demo) {
    demoRoutes(router, ctx);
    router.get("/", (req, res) => res.redirect(`${req.baseUrl}/demo`));
  }
  router.use(errorHandler(ctx.logger));
}

/** Everything Hearth serves, as one router: mount it at any path. */
export function createRouter(ctx: AppContext): Router {
  const router = express.Router();
  mountRoutes(router, ctx);
  return router;
}

/**
 * The routes of the site's root that federation needs when Hearth is mounted under a path:
 * WebFinger, `/.well-known/nodeinfo` and host-meta. A host mounts this at `/`.
 */
export function createWellKnownRouter(ctx: AppContext): Router {
  const router = express.Router();
  if (ctx.federation) {
    const serve = ctx.federation.middleware();
    router.use((req, res, next) =>
      req.path.startsWith("/.well-known/") ? serve(req, res, next) : next(),
    );
  }
  return router;
}

/** The standalone server: Hearth's router at the root of its own Express app. */
export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.set("trust proxy", "loopback");
  // The routes go straight into the app's own router: one dispatch less per request.
  mountRoutes(app as unknown as Router, ctx);
  app.use(pageNotFound);
  app.use(errorHandler(ctx.logger));
  return app;
}
