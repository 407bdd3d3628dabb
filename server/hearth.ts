/**
 * Starts a Hearth server from a configuration: opens the database, loads the session key,
 * picks the identity adapter and listens. Used by `main.ts` and by tests (on port 0).
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Database, openDatabase } from "../db/client.ts";
import { createApp } from "./app.ts";
import type { Config } from "./config.ts";
import type { AppContext } from "./context.ts";
import { FederationRuntime } from "./federation/runtime.ts";
import { createIdentityAdapter } from "./identity.ts";
import { createLogger, type Logger } from "./logger.ts";
import type { IdentityAdapter } from "./plugins/identity.ts";
import { DeliveryWorker } from "./services/deliveries.ts";
import { EventBus } from "./services/events.ts";
import { NotificationHub } from "./services/notification-stream.ts";
import { notificationHandler } from "./services/notifications.ts";
import { RateLimiter } from "./services/rate-limits.ts";
import { createScreening } from "./services/screening.ts";
import { loadSessionKey } from "./services/sessions.ts";
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
}

export interface RunningHearth {
  ctx: AppContext;
  server: Server;
  /** Base URL the server answers on, such as http://127.0.0.1:41234. */
  url: string;
  close(): Promise<void>;
}

export async function createContext(
  config: Config,
  options: HearthOptions = {},
): Promise<AppContext> {
  const database =
    options.database ??
    (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
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
  } as Omit<AppContext, "notifications"> as AppContext;
  ctx.notifications = {
    hub: new NotificationHub(ctx),
    deliveries: new DeliveryWorker(ctx, options.deliveryPollMs),
  };
  ctx.events.addHandler(notificationHandler(ctx));
  ctx.events.onDispatched(() => ctx.notifications.deliveries.wakeIfDue());
  if (config.federation.enabled) {
    ctx.federation = new FederationRuntime(ctx, { pollMs: options.federationPollMs });
  }
  return ctx;
}

export async function startHearth(
  config: Config,
  options: HearthOptions = {},
): Promise<RunningHearth> {
  const ctx = await createContext(config, options);
  const app = createApp(ctx);
  ctx.events.start();
  ctx.federation?.start();
  await ctx.notifications.hub.start();
  ctx.notifications.deliveries.start();
  await app.listen({ port: config.port, host: config.host });
  const server = app.server;
  const { port } = server.address() as AddressInfo;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  return {
    ctx,
    server,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    async close() {
      // Open notification streams would hold the close up: end every connection.
      const closed = app.close();
      server.closeAllConnections();
      await closed;
      await ctx.federation?.stop();
      await ctx.notifications.hub.stop();
      await ctx.events.stop();
      await ctx.notifications.deliveries.stop();
      if (!options.database) await ctx.database.close();
    },
  };
}
