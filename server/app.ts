/**
 * The HTTP application. `createApp` only wires routes to services; everything it needs
 * comes in through the context, so tests build it with their own database on port 0.
 */
import cors from "cors";
import express, { type Express, type RequestHandler } from "express";
import type { AppContext } from "./context.ts";
import { badRequest } from "./errors.ts";
import { apiNotFound, errorHandler } from "./middleware/errors.ts";
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

/** Tokens in URLs leak into logs and history: refuse them outright. */
const noTokensInUrl: RequestHandler = (req, _res, next) => {
  const query = req.query as Record<string, unknown>;
  if ("token" in query || "access_token" in query || "session" in query) {
    next(
      badRequest(
        "validation_failed",
        "Tokens are never accepted in the URL; send them in the body or header.",
      ),
    );
    return;
  }
  next();
};

export function createApp(ctx: AppContext): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.set("etag", false);

  // ActivityPub (WebFinger, NodeInfo, actors, inboxes) before the API and its body parser.
  if (ctx.federation) app.use(ctx.federation.middleware());

  const origins = ctx.config.allowedOrigins;
  const api = express.Router();
  api.use(
    cors({
      origin: origins.includes("*") ? true : [...origins],
      allowedHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID"],
      exposedHeaders: ["Retry-After"],
      maxAge: 600,
    }),
  );
  api.use(express.json({ limit: ctx.config.bodyLimitBytes }));
  api.use(noTokensInUrl);
  api.use((_req, res, next) => {
    res.set("Cache-Control", "no-store");
    next();
  });
  api.use(sessionRoutes(ctx));
  api.use(threadRoutes(ctx));
  api.use(commentRoutes(ctx));
  api.use(accountRoutes(ctx));
  api.use(moderationRoutes(ctx));
  api.use(screeningRoutes(ctx));
  api.use(federationRoutes(ctx));
  api.use(notificationRoutes(ctx));
  api.use(apiNotFound);
  app.use("/api", api);

  app.use(healthRoutes(ctx));
  app.use(unsubscribeRoutes(ctx));
  app.use(widgetRoutes());
  if (ctx.config.demo) {
    app.use(demoRoutes(ctx));
    app.get("/", (_req, res) => res.redirect("/demo"));
  }
  app.use(errorHandler(ctx.logger));
  return app;
}
