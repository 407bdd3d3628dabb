/**
 * The member-token contract from DESIGN.md: a JWT signed by the host with a shared HS256
 * secret (several, told apart by `kid`, so a secret can be rotated) or a key from the host's
 * JWKS (RS256, ES256, EdDSA, …). Claim names can be mapped for hosts whose names differ;
 * roles are honoured only when the owner trusts the host's roles; a token with a `jti` is
 * used once.
 */
import type * as jose from "jose";
import type {
  HostMember,
  IdentityAdapter,
  IdentityResult,
  Role,
} from "../../server/plugins/identity.ts";
import { createJwtVerifier, type HsSecret } from "./jwt-verifier.ts";
import { createRemoteKeySet, keySetClock } from "./key-set.ts";

/** The member fields a host token carries; a claim map renames them. */
export type MemberClaim = "sub" | "name" | "email" | "avatar" | "roles" | "tiers" | "locale";
export type ClaimMap = Partial<Record<MemberClaim, string>>;

export interface GenericJwtOptions {
  /** Shared HS256 secret for tokens without `kid` (HEARTH_SSO_SECRET). */
  secret?: string | undefined;
  /** Further HS256 secrets, each for tokens with its `kid` (HEARTH_SSO_SECRETS). */
  secrets?: readonly HsSecret[] | undefined;
  /** The host's JWKS URL for asymmetric keys. */
  jwksUrl?: string | undefined;
  /** Required `iss`, when set. */
  issuer?: string | undefined;
  /** Required `aud`. */
  audience: string;
  /** Oldest accepted token by `iat`, in seconds (default one hour). */
  maxTokenAgeSeconds?: number;
  /** Claim names of the host, when they differ from Hearth's. */
  claims?: ClaimMap | undefined;
  /** Honour the token's `roles` (moderator, admin); otherwise every member is a member. */
  trustRoles?: boolean | undefined;
  /** Accept RSA keys under 2048 bits from the JWKS. */
  allowWeakRsa?: boolean | undefined;
  /** The guarded outbound fetch for the JWKS. */
  fetch?: ((url: string) => Promise<Response>) | undefined;
  now?: () => Date;
}

const ROLES: readonly Role[] = ["member", "moderator", "admin"];

function claim(payload: jose.JWTPayload, claims: ClaimMap, name: MemberClaim): unknown {
  return payload[claims[name] ?? name];
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** A string or a list of strings, as hosts send tiers and roles. */
export function stringList(value: unknown): string[] {
  if (typeof value === "string") return value.length > 0 ? [value] : [];
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is string => typeof item === "string" && item.length > 0);
}

export interface MemberMapping {
  claims?: ClaimMap | undefined;
  trustRoles?: boolean | undefined;
}

/** Maps a verified payload to a member, or explains what is missing. */
export function memberFromPayload(
  payload: jose.JWTPayload,
  fallbackIssuer: string,
  mapping: MemberMapping = { trustRoles: true },
): IdentityResult {
  const claims = mapping.claims ?? {};
  const rawSubject = claim(payload, claims, "sub");
  const subject = typeof rawSubject === "number" ? String(rawSubject) : text(rawSubject);
  if (!subject)
    return {
      ok: false,
      reason: "invalid",
      message: `The member token has no ${claims.sub ?? "sub"} claim.`,
    };
  if (subject.length > 200)
    return { ok: false, reason: "invalid", message: "The member's id is too long." };
  const rawRoles = mapping.trustRoles ? stringList(claim(payload, claims, "roles")) : [];
  const roles = ROLES.filter((role) => rawRoles.includes(role));
  if (!roles.includes("member")) roles.unshift("member");
  const member: HostMember = {
    issuer: payload.iss ?? fallbackIssuer,
    subject,
    name: (text(claim(payload, claims, "name")) ?? "Member").slice(0, 100),
    email: text(claim(payload, claims, "email")),
    avatar: text(claim(payload, claims, "avatar")),
    roles,
    tiers: stringList(claim(payload, claims, "tiers")).slice(0, 50),
    locale: text(claim(payload, claims, "locale")),
  };
  return { ok: true, member };
}

/** A token with `jti` and `exp` is used once: Hearth records it until it expires. */
export function singleUse(payload: jose.JWTPayload) {
  if (typeof payload.jti !== "string" || payload.jti.length === 0) return undefined;
  if (typeof payload.exp !== "number") return undefined;
  return { tokenId: payload.jti.slice(0, 200), expiresAt: new Date(payload.exp * 1000) };
}

export function createGenericJwtAdapter(options: GenericJwtOptions): IdentityAdapter {
  const secrets: HsSecret[] = [
    ...(options.secret ? [{ secret: options.secret }] : []),
    ...(options.secrets ?? []),
  ];
  if (secrets.length === 0 && !options.jwksUrl) {
    throw new Error("generic-jwt needs a secret or a JWKS URL");
  }
  const fetcher =
    options.fetch ?? ((url: string) => fetch(url, { signal: AbortSignal.timeout(3000) }));
  const verifier = createJwtVerifier({
    secrets,
    keySet: options.jwksUrl
      ? createRemoteKeySet({ url: options.jwksUrl, fetch: fetcher, ...keySetClock(options.now) })
      : undefined,
    issuer: options.issuer,
    audience: options.audience,
    maxTokenAgeSeconds: options.maxTokenAgeSeconds ?? 3600,
    allowWeakRsa: options.allowWeakRsa,
    ...(options.now ? { now: options.now } : {}),
  });

  return {
    name: "generic-jwt",
    async verify(token: string): Promise<IdentityResult> {
      const verified = await verifier.verify(token);
      if (!verified.ok) return verified;
      const result = memberFromPayload(verified.payload, options.issuer ?? "host", {
        claims: options.claims,
        trustRoles: options.trustRoles,
      });
      if (!result.ok) return result;
      return { ...result, singleUse: singleUse(verified.payload) };
    },
  };
}
