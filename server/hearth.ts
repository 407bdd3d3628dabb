/**
 * Hearth's two ways to run. `createHearth` opens the database from a configuration,
 * starts the background workers and hands back one Express router for a host site to
 * mount; `startHearth` mounts that router in Hearth's own Express app and listens (used by
 * `main.ts`, the `hearth start` command and tests, on port 0).
 */
import { createServer, type Server, STATUS_CODES } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Request, Router } from "express";
import { type Database, openDatabase } from "../db/client.ts";
import { createApp, createRouter, createWellKnownRouter } from "./app.ts";
import type { Config } from "./config.ts";
import type { AppContext } from "./context.ts";
import { createIdentityAdapter } from "./identity.ts";
import { createLogger, type Logger } from "./logger.ts";
import type { IdentityAdapter } from "./plugins/identity.ts";
import { DeliveryWorker } from "./services/deliveries.ts";
import { EventBus } from "./services/events.ts";
import { NotificationHub } from "./services/notification-stream.ts";
import { notificationHandler } from "./services/notifications.ts";
import { RateLimiter } from "./services/rate-limits.ts";
import { createScreening } from "./services/screening.ts";
import { type HostSessionMember, loadSessionKey } from "./services/sessions.ts";
import { TtlCache } from "./services/ttl-cache.ts";

export interface HearthOptions {
  /** Use this database instead of opening one from the config. */
  database?: Database;
  identity?: IdentityAdapter;
  logger?: Logger;
  now?: () => Date;
  /** Poll interval of the federation queue and publisher (ms). */
  federationPollMs?: number;
  /** Poll interval of the delivery worker (ms), for deliveries due later or left by others. */
  deliveryPollMs?: number;
  /** The host's own session: who is signed in for a request (see `createHearth`). */
  getMember?: GetMember;
}

/** Who is signed in to the host site for this request (the host's Express request), or null. */
export type GetMember = (
  req: Request,
) => Promise<HostSessionMember | null | undefined> | HostSessionMember | null | undefined;

/** Hearth running inside a host's process: its router and how to stop it. */
export interface Hearth {
  ctx: AppContext;
  /** Everything Hearth serves (API, widgets, demo, unsubscribe pages, ActivityPub). */
  router: Router;
  /**
   * WebFinger, `/.well-known/nodeinfo` and host-meta, which federation needs at the site's
   * root when `router` is mounted under a path: `app.use(hearth.wellKnown)`.
   */
  wellKnown: Router;
  /** Stops the background workers and closes the database (not the host's server). */
  close(): Promise<void>;
}

export interface RunningHearth extends Hearth {
  server: Server;
  /** Base URL the server answers on, such as http://127.0.0.1:41234. */
  url: string;
}

export async function createContext(
  config: Config,
  options: HearthOptions = {},
): Promise<AppContext> {
  const database =
    options.database ??
    (await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      connectTimeoutMs: config.databaseTimeoutMs,
    }));
  const identity = options.identity ?? createIdentityAdapter(config, options.now);
  const logger = options.logger ?? createLogger(config.logLevel);
  const sessionKey = await loadSessionKey(database);
  const ctx = {
    database,
    config,
    identity,
    logger,
    now: options.now ?? (() => new Date()),
    sessionKey,
    caches: {
      pages: new TtlCache(config.cacheMs, 2000),
      threads: new TtlCache(config.cacheMs, 10_000),
      members: new TtlCache(config.cacheMs, 10_000),
      reactions: new TtlCache(config.cacheMs, 10_000),
    },
    events: new EventBus(database, logger),
    limits: { posts: new RateLimiter(config.postsPerMinute) },
    screening: createScreening(config, database, logger, sessionKey),
    // The routes hand it the Express request they serve.
    ...(options.getMember
      ? { hostSession: options.getMember as NonNullable<AppContext["hostSession"]> }
      : {}),
  } as Omit<AppContext, "notifications"> as AppContext;
  ctx.notifications = {
    hub: new NotificationHub(ctx),
    deliveries: new DeliveryWorker(ctx, options.deliveryPollMs),
  };
  ctx.events.addHandler(notificationHandler(ctx));
  ctx.events.onDispatched(() => ctx.notifications.deliveries.wakeIfDue());
  if (config.federation.enabled) {
    // Fedify is loaded only when federation is on: it is the largest part of the server.
    const { FederationRuntime } = await import("./federation/runtime.ts");
    ctx.federation = new FederationRuntime(ctx, { pollMs: options.federationPollMs });
  }
  return ctx;
}

/**
 * Opens the database, applies migrations, starts the background workers, and resolves
 * with the router once Hearth is ready.
 */
export async function openHearth(config: Config, options: HearthOptions = {}): Promise<Hearth> {
  const ctx = await createContext(config, options);
  const router = createRouter(ctx);
  const wellKnown = createWellKnownRouter(ctx);
  ctx.events.start();
  ctx.federation?.start();
  await ctx.notifications.hub.start();
  ctx.notifications.deliveries.start();
  return {
    ctx,
    router,
    wellKnown,
    async close() {
      await ctx.federation?.stop();
      await ctx.notifications.hub.stop();
      await ctx.events.stop();
      await ctx.notifications.deliveries.stop();
      if (!options.database) await ctx.database.close();
    },
  };
}

/**
 * What Node refuses before Express sees a request (headers over the size limit, a
 * malformed request line), answered in the API's JSON shape.
 */
function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable || error.code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  const [status, code, message] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [431, "headers_too_large", "The request headers are too large."]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "request_timeout", "The request took too long to arrive."]
        : [400, "validation_failed", "The request is not valid HTTP."];
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      "Content-Type: application/json; charset=utf-8\r\n" +
      "X-Content-Type-Options: nosniff\r\n" +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Hearth as its own server: the router at the root of its own Express app, listening. */
export async function startHearth(
  config: Config,
  options: HearthOptions = {},
): Promise<RunningHearth> {
  const hearth = await openHearth(config, options);
  const app = createApp(hearth.ctx);
  const server = createServer(
    {
      keepAliveTimeout: 65_000,
      // A client that sends its headers and then stalls is cut off (the API's own body
      // reader answers 408 first, at `bodyTimeoutMs`).
      headersTimeout: Math.min(30_000, config.bodyTimeoutMs + 5_000),
      requestTimeout: config.bodyTimeoutMs + 5_000,
      connectionsCheckingInterval: 1_000,
    },
    app,
  );
  server.on("clientError", answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  return {
    ...hearth,
    server,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    async close() {
      // Open notification streams would hold the close up: end every connection.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await hearth.close();
    },
  };
}
