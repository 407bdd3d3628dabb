/**
 * Configuration, read once from the environment. Every variable is documented in the
 * README's configuration table; a bad value stops the start with the variable's name and
 * the shape it expects. With no environment at all, Hearth runs on the embedded database
 * with a demo page and clearly marked demo secrets.
 *
 * The demo (`/demo`, which signs member tokens for sample members, a moderator among them)
 * is served only while Hearth uses the built-in demo secret: once the owner sets up real
 * sign-in (`HEARTH_SSO_SECRET`, `HEARTH_SSO_SECRETS`, `HEARTH_SSO_JWKS_URL`, an identity
 * adapter other than `generic-jwt`, or the host's own sessions through `getMember`), it is
 * off whatever `NODE_ENV` says. `HEARTH_DEMO=1` turns it on anyway, with `demoWarning` to
 * log at start; `HEARTH_DEMO=0` turns it off always.
 */

export interface Config {
  /** Port the HTTP server listens on. */
  port: number;
  /** Interface the HTTP server binds to. */
  host: string;
  /** Public base URL of this Hearth server, without a trailing slash. */
  publicUrl: string;
  /** `production` needs real member-token settings (or `HEARTH_DEMO=1` for a public demo). */
  production: boolean;
  databaseUrl: string | undefined;
  dataDir: string;
  sso: {
    /** Shared HS256 secret the host signs member tokens with. */
    secret: string | undefined;
    /** JWKS URL of the host for RS256/ES256/EdDSA member tokens. */
    jwksUrl: string | undefined;
    issuer: string | undefined;
    audience: string;
    /** True when the secret is the built-in demo secret. */
    demoSecret: boolean;
  };
  /** Server-to-server key for the host site (thread settings, screening). */
  apiKey: string | undefined;
  /** Seconds after posting during which authors may edit. */
  editWindowSeconds: number;
  /** Visual nesting depth; deeper replies are shown at this depth. */
  maxDepth: number;
  /** Replies shown with each top-level comment on a page; the rest load on demand. */
  pageReplies: number;
  /**
   * How long a process reuses thread pages, thread settings and member rows it has read (ms).
   * It drops them at once when it changes them itself; changes made through other processes
   * show after at most this.
   */
  cacheMs: number;
  /** Allowed reaction kinds. */
  reactions: readonly string[];
  /** Origins allowed to call the API from a browser (`*` for any). */
  allowedOrigins: readonly string[];
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** Time a client may take to send a request body after its headers (ms); then 408. */
  bodyTimeoutMs: number;
  /** Time to wait for a PostgreSQL connection before a request fails with 503 (ms). */
  databaseTimeoutMs: number;
  /** Comments one member may post per minute (0 turns the limit off). */
  postsPerMinute: number;
  /** Session lifetime in seconds (at most 12 hours). */
  sessionTtlSeconds: number;
  /** Serve `/demo`, `/demo/moderation` and `/demo/token/:member` (see the module comment). */
  demo: boolean;
  /**
   * Set when the demo is on although it would be off without `HEARTH_DEMO=1` (real sign-in
   * is set up, the host's sessions are used, or `NODE_ENV=production`): say it at start,
   * since anyone who can reach the server can then sign in as the demo's members.
   */
  demoWarning: string | undefined;
  /**
   * The host's own session says who is signed in (`getMember`), as given to `loadConfig`.
   * Without member-token settings Hearth then accepts no member tokens at all.
   */
  hostSessions: boolean;
  /**
   * `HEARTH_ADMINS`: host member ids (the token's `sub`, as stored on the member) that are
   * admins at every sign-in, whatever their token's roles say.
   */
  admins: readonly string[];
  /** Log lines to stdout. */
  logLevel: "silent" | "error" | "info";
  /** The identity adapter and its settings (docs/platforms/). */
  identity: {
    adapter: IdentityAdapterName;
    /** HS256 secrets by `kid`, for rotation without signing members out. */
    secrets: readonly { kid: string; secret: string }[];
    /** Host claim names for Hearth's member fields (`name=display_name`). */
    claims: Readonly<
      Partial<Record<"sub" | "name" | "email" | "avatar" | "roles" | "tiers" | "locale", string>>
    >;
    /** Honour the `roles` the host puts in member tokens (moderator, admin). */
    trustRoles: boolean;
    /** Accept RSA keys under 2048 bits (older Ghost sites). */
    allowWeakKeys: boolean;
    ghostUrl: string | undefined;
    /** Ghost Admin API key (`id:hexsecret`) for member names, tiers and stable ids. */
    ghostAdminApiKey: string | undefined;
    memberstackAppId: string | undefined;
    /** Memberstack secret key (`sk_…`) for member names and plans. */
    memberstackSecretKey: string | undefined;
    outsetaDomain: string | undefined;
  };
  /** Outbound requests (key sets; federation later). */
  outbound: {
    /** Hosts that may resolve to private or loopback addresses. */
    allowPrivateHosts: readonly string[];
    timeoutMs: number;
  };
  /** Notifications: live streams, email, webhooks and the delivery outbox. */
  notifications: NotificationConfig;
  /** Moderation thresholds. */
  moderation: ModerationConfig;
  /** Bot screening (plugins/screening). */
  screening: ScreeningConfig;
  /** ActivityPub federation of public threads (docs/federation.md). */
  federation: FederationConfig;
}

export interface FederationConfig {
  /** On with `HEARTH_FEDERATION=1`, which needs an explicit `HEARTH_PUBLIC_URL`. */
  enabled: boolean;
  /** The Group actor's handle: `@community@host`. */
  communityHandle: string;
  communityName: string;
  communitySummary: string;
  communityIcon: string | undefined;
  /** Follow requests wait for a moderator instead of being accepted at once. */
  approveFollows: boolean;
  /** Allow fetching and delivering to private and loopback addresses (tests only). */
  allowPrivate: boolean;
}

export interface NotificationConfig {
  /** `smtp://user:pass@host:587` or `smtps://…`; no email is sent without it. */
  smtpUrl: string | undefined;
  /** From address of notification emails. */
  mailFrom: string;
  /** Seconds to wait before emailing, so a comment read in the page or deleted is not sent. */
  emailDelaySeconds: number;
  /** Seconds between digest emails. */
  digestIntervalSeconds: number;
  /** Host endpoints that receive webhooks. */
  webhookUrls: readonly string[];
  /** Secret the webhook signature is made with. */
  webhookSecret: string | undefined;
  /** Failed attempts after which a delivery is parked. */
  maxAttempts: number;
  /** Seconds a worker holds a claimed delivery before another process may take it over. */
  leaseSeconds: number;
  /** Seconds between stream heartbeats. */
  heartbeatSeconds: number;
  /** Seconds a stream ticket is valid for. */
  ticketTtlSeconds: number;
}

export interface ModerationConfig {
  /** Distinct flags that hold a published comment. */
  flagsToHold: number;
  /** Approved comments after which a member held by screening posts freely. */
  trustAfter: number;
  /** Time all regular-expression word filters together may take on one comment. */
  filterTimeoutMs: number;
}

export interface ScreeningConfig {
  /** Summed score from which a signup or first post is held for review. */
  reviewAt: number;
  /** Summed score from which it is blocked. */
  blockAt: number;
  /** How many of a member's first comments are screened. */
  firstComments: number;
  /** HMAC key for proof-of-work challenges (default: derived from the session key). */
  powKey: string | undefined;
  /** Difficulty of the proof-of-work: the largest number the client may have to try. */
  powMaxNumber: number;
  /** StopForumSpam API base URL; undefined: off. */
  stopForumSpamUrl: string | undefined;
  /** Akismet API key; undefined: off. */
  akismetKey: string | undefined;
  akismetUrl: string;
  /** Timeout of each external screening service. */
  externalTimeoutMs: number;
}

export const IDENTITY_ADAPTERS = ["generic-jwt", "ghost", "memberstack", "outseta"] as const;
export type IdentityAdapterName = (typeof IDENTITY_ADAPTERS)[number];
const MEMBER_CLAIMS = ["sub", "name", "email", "avatar", "roles", "tiers", "locale"] as const;

export const DEMO_SSO_SECRET = "demo-only-secret-do-not-use-in-production-0123456789";

export class ConfigError extends Error {
  override name = "ConfigError";
}

type Env = Record<string, string | undefined>;

/** What the process knows beyond its environment. */
export interface LoadConfigOptions {
  /**
   * The host's own session says who is signed in: `createHearth({ getMember })` passes
   * `true`. The demo is then off unless `HEARTH_DEMO=1`, and with no member-token settings
   * Hearth accepts no member tokens (instead of the public built-in demo secret).
   */
  hostSessions?: boolean | undefined;
}

function integer(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** Durations: plain seconds, or a number with s, m, h or d ("15m"). */
function duration(env: Env, name: string, fallbackSeconds: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallbackSeconds;
  const match = /^(\d+)\s*(s|m|h|d)?$/.exec(raw.trim());
  if (!match)
    throw new ConfigError(`${name} must be a duration such as 900, 90s, 15m or 2h, got "${raw}"`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[(match[2] ?? "s") as "s" | "m" | "h" | "d"];
  return Number(match[1]) * unit;
}

function list(env: Env, name: string, fallback: readonly string[]): readonly string[] {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  return raw
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${raw}"`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.join(" or ")}, got "${raw}"`);
  }
  return raw;
}

function flag(env: Env, name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  if (["1", "true", "yes", "on"].includes(raw.toLowerCase())) return true;
  if (["0", "false", "no", "off"].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be 1 or 0, got "${raw}"`);
}

/** Reads and validates the configuration; throws `ConfigError` naming the bad variable. */
export function loadConfig(env: Env = process.env, options: LoadConfigOptions = {}): Config {
  const production = env.NODE_ENV === "production";
  const hostSessions = options.hostSessions ?? false;
  const port = integer(env, "PORT", 3000, 0, 65535);
  const host = env.HOST || "0.0.0.0";
  const publicUrl = (
    url(env, "HEARTH_PUBLIC_URL", ["http:", "https:"]) ?? `http://localhost:${port}`
  ).replace(/\/+$/, "");
  const databaseUrl = url(env, "DATABASE_URL", ["postgres:", "postgresql:"]);
  const demoFlag = flag(env, "HEARTH_DEMO");

  let secret = env.HEARTH_SSO_SECRET || undefined;
  const jwksUrl = url(env, "HEARTH_SSO_JWKS_URL", production ? ["https:"] : ["http:", "https:"]);
  let demoSecret = false;
  if (secret !== undefined && secret.length < 32) {
    throw new ConfigError("HEARTH_SSO_SECRET must be at least 32 characters");
  }
  const identity = loadIdentity(env, production);
  const memberTokens =
    secret !== undefined ||
    jwksUrl !== undefined ||
    identity.adapter !== "generic-jwt" ||
    identity.secrets.length > 0;
  if (!memberTokens && !(hostSessions && demoFlag !== true)) {
    if (production && demoFlag !== true) {
      throw new ConfigError(
        "Set HEARTH_SSO_SECRET (a shared HS256 secret) or HEARTH_SSO_JWKS_URL (the host's JWKS) in production",
      );
    }
    secret = DEMO_SSO_SECRET;
    demoSecret = true;
  }
  const trustRoles = identity.trustRoles ?? demoSecret;
  const { demo, demoWarning } = decideDemo({
    flag: demoFlag,
    demoSecret,
    production,
    hostSessions,
    canSign: identity.adapter === "generic-jwt" && secret !== undefined,
    trustRoles,
  });

  const apiKey = env.HEARTH_API_KEY || undefined;
  if (apiKey !== undefined && apiKey.length < 24) {
    throw new ConfigError("HEARTH_API_KEY must be at least 24 characters");
  }

  const reactions = list(env, "HEARTH_REACTIONS", ["like", "love", "laugh", "insightful"]);
  for (const kind of reactions) {
    if (!/^[a-z][a-z0-9_-]{0,31}$/.test(kind)) {
      throw new ConfigError(
        `HEARTH_REACTIONS must be a comma-separated list of lowercase words, got "${kind}"`,
      );
    }
  }

  const logLevel = (env.HEARTH_LOG_LEVEL || "info") as Config["logLevel"];
  if (!["silent", "error", "info"].includes(logLevel)) {
    throw new ConfigError(`HEARTH_LOG_LEVEL must be silent, error or info, got "${logLevel}"`);
  }

  return Object.freeze({
    port,
    host,
    publicUrl,
    production,
    databaseUrl,
    dataDir: env.HEARTH_DATA_DIR || "./data",
    sso: Object.freeze({
      secret,
      jwksUrl,
      issuer: env.HEARTH_SSO_ISSUER || undefined,
      audience: env.HEARTH_SSO_AUDIENCE || "hearth",
      demoSecret,
    }),
    apiKey,
    editWindowSeconds: duration(env, "HEARTH_EDIT_WINDOW", 15 * 60),
    maxDepth: integer(env, "HEARTH_MAX_DEPTH", 3, 1, 20),
    pageReplies: integer(env, "HEARTH_PAGE_REPLIES", 5, 0, 1000),
    cacheMs: integer(env, "HEARTH_CACHE_MS", 2000, 0, 60_000),
    reactions: Object.freeze([...reactions]),
    allowedOrigins: Object.freeze([...list(env, "HEARTH_ALLOWED_ORIGINS", [])]),
    bodyLimitBytes: integer(env, "HEARTH_BODY_LIMIT", 64 * 1024, 1024, 10 * 1024 * 1024),
    bodyTimeoutMs: integer(env, "HEARTH_BODY_TIMEOUT_MS", 30_000, 100, 600_000),
    databaseTimeoutMs: integer(env, "HEARTH_DATABASE_TIMEOUT_MS", 5_000, 500, 120_000),
    postsPerMinute: integer(env, "HEARTH_POSTS_PER_MINUTE", 20, 0),
    sessionTtlSeconds: Math.min(duration(env, "HEARTH_SESSION_TTL", 12 * 3600), 12 * 3600),
    demo,
    demoWarning,
    hostSessions,
    admins: Object.freeze([...new Set(list(env, "HEARTH_ADMINS", []))]),
    logLevel,
    identity: Object.freeze({ ...identity, trustRoles }),
    outbound: Object.freeze({
      allowPrivateHosts: Object.freeze(
        list(env, "HEARTH_OUTBOUND_ALLOW_HOSTS", []).map((host) => host.toLowerCase()),
      ),
      timeoutMs: integer(env, "HEARTH_OUTBOUND_TIMEOUT_MS", 3000, 100, 30_000),
    }),
    moderation: Object.freeze({
      flagsToHold: integer(env, "HEARTH_FLAGS_TO_HOLD", 3, 1, 1000),
      trustAfter: integer(env, "HEARTH_TRUST_AFTER", 3, 0, 1000),
      filterTimeoutMs: integer(env, "HEARTH_FILTER_TIMEOUT_MS", 250, 10, 10_000),
    }),
    screening: loadScreening(env),
    notifications: loadNotifications(env, production),
    federation: loadFederation(env),
  });
}

/**
 * Whether the demo is served, and the warning to log when it is served only because
 * `HEARTH_DEMO=1` asks for it. The demo plays the host site: it signs member tokens with
 * the HS256 secret, so it needs `generic-jwt` and a secret, and whoever reaches it signs in.
 */
function decideDemo(input: {
  /** `HEARTH_DEMO`: true, false, or unset. */
  flag: boolean | undefined;
  /** The built-in demo secret signs member tokens (no member-token settings). */
  demoSecret: boolean;
  production: boolean;
  hostSessions: boolean;
  /** The identity adapter verifies tokens signed with the HS256 secret the demo would use. */
  canSign: boolean;
  trustRoles: boolean;
}): { demo: boolean; demoWarning: string | undefined } {
  if (input.flag === false) return { demo: false, demoWarning: undefined };
  if (input.flag === undefined) {
    // No demo secret in production (that stops the start) nor with the host's sessions.
    return { demo: input.demoSecret, demoWarning: undefined };
  }
  if (!input.canSign) {
    throw new ConfigError(
      "HEARTH_DEMO=1 needs a secret the demo can sign member tokens with: HEARTH_IDENTITY=generic-jwt with HEARTH_SSO_SECRET, or no member-token settings at all",
    );
  }
  if (input.demoSecret && !input.production && !input.hostSessions) {
    return { demo: true, demoWarning: undefined };
  }
  const demoWarning = input.demoSecret
    ? "HEARTH_DEMO=1 with the built-in demo secret: that secret is public, so anyone can sign a member token for any member, as a moderator or an admin. Set HEARTH_SSO_SECRET and remove HEARTH_DEMO before going live."
    : `HEARTH_DEMO=1: /demo signs member tokens with your HEARTH_SSO_SECRET, so anyone who can reach this server can sign in as the demo's members${
        input.trustRoles
          ? ", the demo moderator among them, with moderator rights (HEARTH_SSO_TRUST_ROLES=1)"
          : ""
      }. Remove HEARTH_DEMO before going live.`;
  return { demo: true, demoWarning };
}

/** The federation variables; federation needs the public URL its actor IRIs are built on. */
function loadFederation(env: Env): FederationConfig {
  const enabled = flag(env, "HEARTH_FEDERATION") ?? false;
  if (enabled && !env.HEARTH_PUBLIC_URL) {
    throw new ConfigError(
      "HEARTH_FEDERATION=1 needs HEARTH_PUBLIC_URL, the https URL the Fediverse reaches this server at",
    );
  }
  const communityHandle = env.HEARTH_COMMUNITY_HANDLE || "community";
  if (!/^[a-z0-9_][a-z0-9_.-]{0,29}$/i.test(communityHandle)) {
    throw new ConfigError(
      `HEARTH_COMMUNITY_HANDLE must be 1 to 30 letters, digits, _ . or -, got "${communityHandle}"`,
    );
  }
  return Object.freeze({
    enabled,
    communityHandle,
    communityName: env.HEARTH_COMMUNITY_NAME || "Community",
    communitySummary: env.HEARTH_COMMUNITY_SUMMARY || "",
    communityIcon: url(env, "HEARTH_COMMUNITY_ICON", ["http:", "https:"]),
    approveFollows: flag(env, "HEARTH_FEDERATION_APPROVE_FOLLOWS") ?? false,
    allowPrivate: flag(env, "HEARTH_FEDERATION_ALLOW_PRIVATE") ?? false,
  });
}

/** The screening variables: thresholds, proof-of-work, optional external services. */
function loadScreening(env: Env): ScreeningConfig {
  const reviewAt = integer(env, "HEARTH_SCREEN_REVIEW_AT", 40, 1, 10_000);
  const blockAt = integer(env, "HEARTH_SCREEN_BLOCK_AT", 90, 1, 10_000);
  if (blockAt <= reviewAt) {
    throw new ConfigError(
      `HEARTH_SCREEN_BLOCK_AT (${blockAt}) must be greater than HEARTH_SCREEN_REVIEW_AT (${reviewAt})`,
    );
  }
  const powKey = env.HEARTH_SCREEN_POW_KEY || undefined;
  if (powKey !== undefined && powKey.length < 24) {
    throw new ConfigError("HEARTH_SCREEN_POW_KEY must be at least 24 characters");
  }
  const sfs = flag(env, "HEARTH_SCREEN_STOPFORUMSPAM") ?? false;
  const sfsUrl = url(env, "HEARTH_STOPFORUMSPAM_URL", ["http:", "https:"]);
  return Object.freeze({
    reviewAt,
    blockAt,
    firstComments: integer(env, "HEARTH_SCREEN_FIRST_COMMENTS", 3, 0, 100),
    powKey,
    powMaxNumber: integer(env, "HEARTH_SCREEN_POW_MAX", 50_000, 100, 10_000_000),
    stopForumSpamUrl: sfs ? (sfsUrl ?? "https://api.stopforumspam.org/api") : undefined,
    akismetKey: env.HEARTH_AKISMET_KEY || undefined,
    akismetUrl: (
      url(env, "HEARTH_AKISMET_URL", ["http:", "https:"]) ?? "https://rest.akismet.com"
    ).replace(/\/+$/, ""),
    externalTimeoutMs: integer(env, "HEARTH_SCREEN_TIMEOUT_MS", 1500, 50, 10_000),
  });
}

/** The identity variables: adapter choice, rotated secrets, claim map and platform settings. */
function loadIdentity(env: Env, production: boolean) {
  const adapter = (env.HEARTH_IDENTITY || "generic-jwt") as IdentityAdapterName;
  if (!IDENTITY_ADAPTERS.includes(adapter)) {
    throw new ConfigError(
      `HEARTH_IDENTITY must be one of ${IDENTITY_ADAPTERS.join(", ")}, got "${adapter}"`,
    );
  }
  const secrets: { kid: string; secret: string }[] = [];
  for (const item of list(env, "HEARTH_SSO_SECRETS", [])) {
    const colon = item.indexOf(":");
    const kid = item.slice(0, colon);
    const secret = item.slice(colon + 1);
    if (colon < 1 || secret.length < 32 || secrets.some((s) => s.kid === kid)) {
      throw new ConfigError(
        "HEARTH_SSO_SECRETS must be a comma-separated list of kid:secret with distinct kids and secrets of at least 32 characters",
      );
    }
    secrets.push({ kid, secret });
  }
  const claims: Partial<Record<(typeof MEMBER_CLAIMS)[number], string>> = {};
  for (const item of list(env, "HEARTH_SSO_CLAIMS", [])) {
    const [field, name] = item.split("=").map((part) => part.trim());
    if (!field || !name || !(MEMBER_CLAIMS as readonly string[]).includes(field)) {
      throw new ConfigError(
        `HEARTH_SSO_CLAIMS must be a comma-separated list of field=claim with fields from ${MEMBER_CLAIMS.join(", ")}, got "${item}"`,
      );
    }
    claims[field as (typeof MEMBER_CLAIMS)[number]] = name;
  }
  const protocols = production ? ["https:"] : ["http:", "https:"];
  const ghostUrl = url(env, "HEARTH_GHOST_URL", protocols)?.replace(/\/+$/, "");
  const ghostAdminApiKey = env.HEARTH_GHOST_ADMIN_API_KEY || undefined;
  if (ghostAdminApiKey !== undefined && !/^[0-9a-f]{24}:[0-9a-f]{64}$/i.test(ghostAdminApiKey)) {
    throw new ConfigError(
      "HEARTH_GHOST_ADMIN_API_KEY must be a Ghost Admin API key: 24 hex digits, a colon, 64 hex digits",
    );
  }
  const memberstackAppId = env.HEARTH_MEMBERSTACK_APP_ID || undefined;
  const memberstackSecretKey = env.HEARTH_MEMBERSTACK_SECRET_KEY || undefined;
  if (memberstackSecretKey !== undefined && !/^sk_[A-Za-z0-9_]+$/.test(memberstackSecretKey)) {
    throw new ConfigError("HEARTH_MEMBERSTACK_SECRET_KEY must be a Memberstack secret key (sk_…)");
  }
  const outsetaDomain = env.HEARTH_OUTSETA_DOMAIN || undefined;
  if (adapter === "ghost" && !ghostUrl) {
    throw new ConfigError("HEARTH_IDENTITY=ghost needs HEARTH_GHOST_URL, the Ghost site's URL");
  }
  if (adapter === "memberstack" && !memberstackAppId?.startsWith("app_")) {
    throw new ConfigError(
      "HEARTH_IDENTITY=memberstack needs HEARTH_MEMBERSTACK_APP_ID, the app id (app_…)",
    );
  }
  if (adapter === "outseta" && !/^[a-z0-9.-]+(:\d+)?$/i.test(outsetaDomain ?? "")) {
    throw new ConfigError(
      "HEARTH_IDENTITY=outseta needs HEARTH_OUTSETA_DOMAIN, such as journal.outseta.com",
    );
  }
  return {
    adapter,
    secrets: Object.freeze(secrets),
    claims: Object.freeze(claims),
    trustRoles: flag(env, "HEARTH_SSO_TRUST_ROLES"),
    allowWeakKeys: flag(env, "HEARTH_SSO_ALLOW_WEAK_KEYS") ?? false,
    ghostUrl,
    ghostAdminApiKey,
    memberstackAppId,
    memberstackSecretKey,
    outsetaDomain: outsetaDomain?.toLowerCase(),
  };
}

/** The notification variables: SMTP, webhooks, delivery retries, stream timing. */
function loadNotifications(env: Env, production: boolean): NotificationConfig {
  const smtpUrl = url(env, "HEARTH_SMTP_URL", ["smtp:", "smtps:"]);
  const mailFrom = env.HEARTH_MAIL_FROM || "Hearth <hearth@localhost>";
  if (!/@/.test(mailFrom)) {
    throw new ConfigError(`HEARTH_MAIL_FROM must be an email address, got "${mailFrom}"`);
  }
  const webhookUrls = list(env, "HEARTH_WEBHOOK_URLS", []);
  for (const item of webhookUrls) {
    url(
      { HEARTH_WEBHOOK_URLS: item },
      "HEARTH_WEBHOOK_URLS",
      production ? ["https:"] : ["http:", "https:"],
    );
  }
  const webhookSecret = env.HEARTH_WEBHOOK_SECRET || undefined;
  if (webhookUrls.length > 0 && (!webhookSecret || webhookSecret.length < 24)) {
    throw new ConfigError(
      "HEARTH_WEBHOOK_URLS needs HEARTH_WEBHOOK_SECRET, at least 24 characters, to sign webhooks",
    );
  }
  return Object.freeze({
    smtpUrl,
    mailFrom,
    emailDelaySeconds: duration(env, "HEARTH_EMAIL_DELAY", 60),
    digestIntervalSeconds: Math.max(duration(env, "HEARTH_DIGEST_INTERVAL", 86400), 60),
    webhookUrls: Object.freeze([...webhookUrls]),
    webhookSecret,
    maxAttempts: integer(env, "HEARTH_DELIVERY_ATTEMPTS", 8, 1, 100),
    leaseSeconds: Math.max(duration(env, "HEARTH_DELIVERY_LEASE", 120), 1),
    heartbeatSeconds: Math.max(duration(env, "HEARTH_STREAM_HEARTBEAT", 15), 1),
    ticketTtlSeconds: Math.max(duration(env, "HEARTH_STREAM_TICKET_TTL", 60), 5),
  });
}
