/**
 * The HTTP application. `createApp` only wires routes to services; everything it needs
 * comes in through the context, so tests build it with their own database on port 0.
 */
import cors from "@fastify/cors";
import Fastify, { type FastifyInstance } from "fastify";
import secureJson from "secure-json-parse";
import type { AppContext } from "./context.ts";
import { badRequest, HearthError, notFound } from "./errors.ts";
import { errorHandler, notFoundHandler, sendError } from "./middleware/errors.ts";
import { refuseUnstorableText } from "./middleware/storable-text.ts";
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

const invalidJson = () =>
  new HearthError(400, "invalid_json", "The request body is not valid JSON.");

/**
 * API bodies: JSON objects and arrays (an empty body is no body); other content types are
 * read within the size limit and ignored, so a route sees no body rather than a string.
 */
function parseApiBodies(api: FastifyInstance, bodyLimit: number): void {
  api.removeAllContentTypeParsers();
  api.addContentTypeParser(
    "application/json",
    { parseAs: "string", bodyLimit },
    (_req, body, done) => {
      const text = (body as string).trim();
      if (text === "") return done(null, undefined);
      if (text[0] !== "{" && text[0] !== "[") return done(invalidJson());
      try {
        done(null, secureJson.parse(text, undefined, { protoAction: "remove" }));
      } catch {
        done(invalidJson());
      }
    },
  );
  api.addContentTypeParser("*", { parseAs: "buffer", bodyLimit }, (_req, _body, done) =>
    done(null, undefined),
  );
}

export function createApp(ctx: AppContext): FastifyInstance {
  const bodyLimit = ctx.config.bodyLimitBytes;
  const app = Fastify({
    logger: false,
    trustProxy: "loopback",
    bodyLimit,
    keepAliveTimeout: 65_000,
    // Thread keys reach 200 characters, and more once percent-encoded.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    // A malformed percent-encoding in the path.
    frameworkErrors: (_error, _req, reply) =>
      sendError(reply, badRequest("validation_failed", "The request is not valid.")),
  });
  app.setErrorHandler(errorHandler(ctx.logger, bodyLimit));
  app.setNotFoundHandler(notFoundHandler);

  // ActivityPub (WebFinger, NodeInfo, actors, inboxes) before routing reads any body.
  if (ctx.federation) app.addHook("onRequest", ctx.federation.hook());

  const origins = ctx.config.allowedOrigins;
  app.register(
    async (api) => {
      await api.register(cors, {
        origin: origins.includes("*") ? true : [...origins],
        methods: ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"],
        allowedHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "Last-Event-ID"],
        exposedHeaders: ["Retry-After"],
        maxAge: 600,
        strictPreflight: false,
      });
      parseApiBodies(api, bodyLimit);
      api.addHook("onRequest", async (req, reply) => {
        // Tokens in URLs leak into logs and history: refuse them outright.
        const query = req.query as Record<string, unknown>;
        if ("token" in query || "access_token" in query || "session" in query) {
          throw badRequest(
            "validation_failed",
            "Tokens are never accepted in the URL; send them in the body or header.",
          );
        }
        reply.header("Cache-Control", "no-store");
      });
      api.addHook("preValidation", refuseUnstorableText);
      api.setNotFoundHandler((_req, reply) =>
        sendError(reply, notFound("not_found", "No such endpoint.")),
      );
      sessionRoutes(api, ctx);
      threadRoutes(api, ctx);
      commentRoutes(api, ctx);
      accountRoutes(api, ctx);
      moderationRoutes(api, ctx);
      screeningRoutes(api, ctx);
      federationRoutes(api, ctx);
      notificationRoutes(api, ctx);
    },
    { prefix: "/api" },
  );

  healthRoutes(app, ctx);
  app.register(async (scope) => unsubscribeRoutes(scope, ctx));
  app.register(async (scope) => widgetRoutes(scope));
  if (ctx.config.demo) {
    demoRoutes(app, ctx);
    app.get("/", (_req, reply) => reply.redirect("/demo"));
  }
  return app;
}
