/**
 * Sessions: a member token from the host is exchanged for a Hearth session token, which
 * every later request carries as `Authorization: Bearer`. Session tokens are HS256 JWTs
 * signed with Hearth's own key; member tokens are never stored or logged.
 */
import { createHmac, createSecretKey, type KeyObject, randomBytes } from "node:crypto";
import * as jose from "jose";
import type { Database } from "../../db/client.ts";
import { findMemberSessionState } from "../../db/queries/members.ts";
import { getOrCreateSetting } from "../../db/queries/settings.ts";
import { claimTokenId, deleteExpiredTokenIds } from "../../db/queries/token-ids.ts";
import type { Member } from "../../db/schema.ts";
import { memberFromPayload } from "../../plugins/identity/generic-jwt.ts";
import type { AppContext } from "../context.ts";
import { unauthenticated } from "../errors.ts";
import type { HostMember, IdentityFailureReason, Role } from "../plugins/identity.ts";
import { profileUnchanged, upsertHostMember } from "./members.ts";
import { grantedAtFirstSignIn, memberRoles } from "./roles.ts";
import { readSignup, type SignupScreening, screenFirstSession } from "./screening.ts";
import { isStorable } from "./storable-text.ts";

/** The caller, as a verified session token tells it. */
export interface Session {
  memberId: string;
  roles: Role[];
  tiers: string[];
  /** When the session token expires, in seconds since the epoch (set when verified). */
  expiresAt?: number;
}

const SESSION_AUDIENCE = "hearth-session";

/** Loads (or creates on first start) the key that signs session tokens. */
export async function loadSessionKey(database: Database): Promise<Uint8Array> {
  const value = await getOrCreateSetting(database.db, "session_key", () =>
    randomBytes(32).toString("base64url"),
  );
  return Buffer.from(value, "base64url");
}

export function isModerator(session: Session | undefined): boolean {
  return !!session && (session.roles.includes("moderator") || session.roles.includes("admin"));
}

export function isAdmin(session: Session | undefined): boolean {
  return !!session && session.roles.includes("admin");
}

/** The 401 code for each reason an identity adapter refuses a token. */
const FAILURE_CODES = {
  expired: "token_expired",
  invalid: "token_invalid",
  unknown_key: "unknown_key",
  jwks_unreachable: "jwks_unreachable",
  weak_key: "weak_key",
  issuer_mismatch: "issuer_mismatch",
} as const satisfies Record<IdentityFailureReason, string>;

/**
 * Verifies a host member token, records the member, and issues a session. The member's
 * tiers and roles are taken from the token at every exchange, so a downgrade on the host
 * takes effect at the next sign-in (sessions last at most 12 hours). A token the adapter
 * marks single-use (it has a `jti`) is refused when seen again before it expires.
 */
export async function exchangeMemberToken(
  ctx: AppContext,
  token: string,
  screening?: SignupScreening,
  client: { ip?: string | undefined; userAgent?: string | undefined } = {},
) {
  const result = await ctx.identity.verify(token);
  if (!result.ok) {
    throw unauthenticated(FAILURE_CODES[result.reason], result.message, {
      adapter: ctx.identity.name,
    });
  }
  return signInHostMember(ctx, result.member, {
    singleUse: result.singleUse,
    screening,
    client,
  });
}

/** The member the host's own session names, as `createHearth({ getMember })` returns it. */
export interface HostSessionMember {
  /** The host's stable id for the member. */
  sub: string;
  name?: string | undefined;
  email?: string | undefined;
  avatar?: string | undefined;
  /** Honoured only when the host's roles are trusted (`HEARTH_SSO_TRUST_ROLES=1`). */
  roles?: string[] | undefined;
  tiers?: string[] | undefined;
  locale?: string | undefined;
}

/**
 * Signs in the member the host's own session names (`getMember`): the same profile fields,
 * rules and first-sign-in screening as a member token, under the configured issuer.
 */
export async function exchangeHostSession(
  ctx: AppContext,
  profile: HostSessionMember,
  screening?: SignupScreening,
  client: { ip?: string | undefined; userAgent?: string | undefined } = {},
) {
  const result = memberFromPayload(
    { ...profile, sub: profile.sub, iss: undefined },
    ctx.config.sso.issuer ?? "host",
    { claims: {}, trustRoles: ctx.config.identity.trustRoles },
  );
  if (!result.ok) throw unauthenticated("token_invalid", result.message, { adapter: "getMember" });
  return signInHostMember(ctx, result.member, { screening, client });
}

/** How a host member arrives: with their token's single use, screening data, the client. */
export interface HostSignInOptions {
  /** The token's `jti` and expiry when it may be exchanged once. */
  singleUse?: { tokenId: string; expiresAt: Date } | undefined;
  screening?: SignupScreening | undefined;
  client?: { ip?: string | undefined; userAgent?: string | undefined };
}

/**
 * Records the member the host vouches for (created at their first sign-in, refreshed when
 * their profile changed), adds up their roles (token roles, grants made in Hearth,
 * `HEARTH_ADMINS`), screens a first sign-in, and issues a session. The token exchange calls
 * it once the token is verified; a host whose own session says who is signed in
 * (`getMember`) calls it with that member.
 */
export async function signInHostMember(
  ctx: AppContext,
  host: HostMember,
  options: HostSignInOptions = {},
) {
  const { singleUse, screening, client = {} } = options;
  if (![host.issuer, host.subject, singleUse?.tokenId ?? ""].every(isStorable)) {
    throw unauthenticated(
      "token_invalid",
      "The member's iss, sub or jti holds a NUL character or an unpaired surrogate.",
      { adapter: ctx.identity.name },
    );
  }
  const db = ctx.database.db;
  // A returning member's row, granted roles and screening state in one read; most
  // exchanges need nothing else from the database.
  const known = await findMemberSessionState(db, host.issuer, host.subject);
  const replayed = () =>
    unauthenticated(
      "token_replayed",
      "This member token has already been used; ask the host for a new one.",
      { adapter: ctx.identity.name },
    );
  let member: Member;
  if (!singleUse) {
    member = await upsertHostMember(db, host, known?.member ?? null);
  } else if (known && profileUnchanged(known.member, host)) {
    // Nothing to write for the member: recording the token id is the only write, and one
    // statement needs no transaction around it.
    if (!(await claimTokenId(db, host.issuer, singleUse.tokenId, singleUse.expiresAt))) {
      throw replayed();
    }
    member = known.member;
  } else {
    // The token id is recorded only if the member is stored too.
    member = await db.transaction(async (tx) => {
      if (!(await claimTokenId(tx, host.issuer, singleUse.tokenId, singleUse.expiresAt))) {
        throw replayed();
      }
      return upsertHostMember(tx, host, known?.member ?? null);
    });
  }
  if (singleUse && Math.random() < 0.02) {
    await deleteExpiredTokenIds(db, ctx.now());
  }
  if (member !== known?.member) ctx.caches.members.invalidate(member.id);
  // Roles granted inside Hearth (a first sign-in takes the grants that waited for the
  // member's host id) and HEARTH_ADMINS join the ones the host's token carries. A member
  // not screened yet also needs what screening reads (it writes nothing): same round trip.
  const staff = isModerator({
    memberId: member.id,
    roles: memberRoles(ctx.config, member, []),
    tiers: [],
  });
  const [granted, signup] = await Promise.all([
    known ? known.granted : grantedAtFirstSignIn(ctx, member),
    staff || known?.moderation?.screenedAt
      ? undefined
      : readSignup(ctx, member.id, screening, client),
  ]);
  const roles = memberRoles(ctx.config, member, granted);
  const withRoles = { ...member, roles };
  if (!isModerator({ memberId: member.id, roles, tiers: [] })) {
    await screenFirstSession(ctx, withRoles, screening, client, signup ?? known);
  }
  const session = await issueSession(ctx, withRoles);
  return { session, member: withRoles };
}

export async function issueSession(ctx: AppContext, member: Member) {
  const now = Math.floor(ctx.now().getTime() / 1000);
  const expiresAt = now + ctx.config.sessionTtlSeconds;
  const token = signSessionToken(ctx.sessionKey, {
    roles: member.roles,
    tiers: member.tiers,
    sub: member.id,
    aud: SESSION_AUDIENCE,
    iat: now,
    exp: expiresAt,
  });
  return { token, expiresAt: new Date(expiresAt * 1000).toISOString() };
}

/** `{"alg":"HS256","typ":"JWT"}`, the header of every session token. */
const SESSION_HEADER = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString(
  "base64url",
);

/**
 * Signs a session token: a compact HS256 JWT, byte for byte what jose's `SignJWT` makes of
 * the same header and claims, signed with node:crypto on this thread (WebCrypto would run
 * the HMAC as a job on the thread pool, which costs more than the HMAC).
 */
function signSessionToken(
  key: Uint8Array,
  claims: { roles: string[]; tiers: string[]; sub: string; aud: string; iat: number; exp: number },
): string {
  const input = `${SESSION_HEADER}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  return `${input}.${createHmac("sha256", secretKey(key)).update(input).digest("base64url")}`;
}

const secretKeys = new WeakMap<Uint8Array, KeyObject>();

function secretKey(raw: Uint8Array): KeyObject {
  let key = secretKeys.get(raw);
  if (!key) {
    key = createSecretKey(raw);
    secretKeys.set(raw, key);
  }
  return key;
}

/**
 * The session key as a WebCrypto key, imported once: jose would otherwise import the raw
 * bytes again for every token it signs or verifies.
 */
const hmacKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function hmacKey(raw: Uint8Array): Promise<CryptoKey> {
  let key = hmacKeys.get(raw);
  if (!key) {
    key = crypto.subtle.importKey(
      "raw",
      new Uint8Array(raw),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    hmacKeys.set(raw, key);
  }
  return key;
}

/**
 * Session tokens this process has verified, by the exact token string, until they expire:
 * a member's widget sends the same token with every request, and checking its signature
 * again would only prove the same thing. Bounded; the oldest entry leaves first.
 */
const VERIFIED_LIMIT = 20_000;
const verifiedTokens = new WeakMap<Uint8Array, Map<string, Readonly<Session>>>();

function verifiedFor(key: Uint8Array): Map<string, Readonly<Session>> {
  let verified = verifiedTokens.get(key);
  if (!verified) {
    verified = new Map();
    verifiedTokens.set(key, verified);
  }
  return verified;
}

function expired(session: Session, now: Date): boolean {
  return session.expiresAt! <= Math.floor(now.getTime() / 1000);
}

/** Verifies a session token; throws 401 with `token_expired` or `token_invalid`. */
export async function verifySession(ctx: AppContext, token: string): Promise<Session> {
  const verified = verifiedFor(ctx.sessionKey);
  const known = verified.get(token);
  if (known) {
    if (!expired(known, ctx.now())) return known;
    verified.delete(token);
  }
  let session: Readonly<Session>;
  try {
    const { payload } = await jose.jwtVerify(token, await hmacKey(ctx.sessionKey), {
      algorithms: ["HS256"],
      audience: SESSION_AUDIENCE,
      currentDate: ctx.now(),
      requiredClaims: ["sub", "exp"],
    });
    session = Object.freeze({
      memberId: payload.sub!,
      roles: Object.freeze((Array.isArray(payload.roles) ? payload.roles : []) as Role[]),
      tiers: Object.freeze((Array.isArray(payload.tiers) ? payload.tiers : []) as string[]),
      expiresAt: payload.exp!,
    }) as Session;
  } catch (error) {
    if (error instanceof jose.errors.JWTExpired) {
      throw unauthenticated("token_expired", "Your session has expired; sign in again.");
    }
    throw unauthenticated("token_invalid", "The session token is not valid.");
  }
  if (verified.size >= VERIFIED_LIMIT) verified.delete(verified.keys().next().value!);
  verified.set(token, session);
  return session;
}
