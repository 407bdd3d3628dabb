/**
 * What services need, built once by `createApp` (or a test) and passed down explicitly.
 */
import type { IncomingMessage } from "node:http";
import type { Database } from "../db/client.ts";
import type { Member, Thread } from "../db/schema.ts";
import type { Config } from "./config.ts";
import type { FederationRuntime } from "./federation/runtime.ts";
import type { Logger } from "./logger.ts";
import type { IdentityAdapter } from "./plugins/identity.ts";
import type { DeliveryWorker } from "./services/deliveries.ts";
import type { EventBus } from "./services/events.ts";
import type { NotificationHub } from "./services/notification-stream.ts";
import type { RateLimiter } from "./services/rate-limits.ts";
import type { ScreeningKit } from "./services/screening.ts";
import type { HostSessionMember } from "./services/sessions.ts";
import type { TtlCache } from "./services/ttl-cache.ts";

export interface AppContext {
  database: Database;
  config: Config;
  identity: IdentityAdapter;
  logger: Logger;
  /** Current time; injected so tests can move it. */
  now(): Date;
  /** Key that signs Hearth session tokens, generated on first start and kept in the database. */
  sessionKey: Uint8Array;
  caches: {
    /** Thread pages by thread, sort, cursor, size and viewer; grouped by thread id. */
    pages: TtlCache<string, unknown>;
    /** Thread rows by key. */
    threads: TtlCache<string, Thread>;
    /** Member rows by id. */
    members: TtlCache<string, Member>;
    /** A member's own reactions in a thread, by `threadId|memberId`. */
    reactions: TtlCache<string, Map<number, string[]>>;
  };
  /** Domain events: recorded with each change, dispatched to notifications, email, webhooks. */
  events: EventBus;
  limits: {
    /** Comments per member per minute. */
    posts: RateLimiter;
  };
  /** Bot screening: the signal pipeline and proof-of-work challenges. */
  screening: ScreeningKit;
  /** ActivityPub federation, when `HEARTH_FEDERATION=1`. */
  federation?: FederationRuntime;
  /**
   * The host's own session (`createHearth({ getMember })`): who is signed in to the site
   * for this request, or null. Absent on a standalone server.
   */
  hostSession?: (
    req: IncomingMessage,
  ) => Promise<HostSessionMember | null | undefined> | HostSessionMember | null | undefined;
  /** Live notification streams and the email/webhook outbox worker. */
  notifications: {
    hub: NotificationHub;
    deliveries: DeliveryWorker;
  };
}
