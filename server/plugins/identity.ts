/**
 * Identity adapters verify the host site's member token and return the member it names.
 * Hearth ships `generic-jwt` (plugins/identity/generic-jwt.ts); platform adapters implement
 * the same interface.
 */

export type Role = "member" | "moderator" | "admin";

/** The member a host token names, normalised across platforms. */
export interface HostMember {
  /** Who vouches for the member: the token's issuer, or the adapter's fixed name. */
  issuer: string;
  /** The platform's stable id for the member, never an email address when it can be avoided. */
  subject: string;
  name: string;
  email?: string | undefined;
  avatar?: string | undefined;
  roles: Role[];
  tiers: string[];
  locale?: string | undefined;
}

/**
 * Why a token was refused; each maps to a 401 with a code the site owner can act on:
 * `expired` and `invalid` (the member should sign in again), `unknown_key` (no configured
 * secret or published key has the token's `kid`: a removed secret, or a key the host has not
 * published), `jwks_unreachable` (the host's key set, or a platform API the adapter
 * needs, could not be reached, or its address is private and not allowed), `weak_key` (an RSA key under 2048 bits without the opt-in),
 * `issuer_mismatch` (the token's `iss` is not the configured issuer).
 */
export type IdentityFailureReason =
  | "expired"
  | "invalid"
  | "unknown_key"
  | "jwks_unreachable"
  | "weak_key"
  | "issuer_mismatch";

export type IdentityFailure = { ok: false; reason: IdentityFailureReason; message: string };

export interface IdentitySuccess {
  ok: true;
  member: HostMember;
  /**
   * The token's `jti` and expiry, when the adapter wants each token used once: Hearth then
   * refuses the same `jti` from the same issuer until the token has expired.
   */
  singleUse?: { tokenId: string; expiresAt: Date } | undefined;
}

export type IdentityResult = IdentitySuccess | IdentityFailure;

export interface IdentityAdapter {
  /** A short name for logs and errors, such as `generic-jwt`. */
  readonly name: string;
  /**
   * Verifies a host token. Expected refusals are returned as values; only faults of the
   * adapter itself throw.
   */
  verify(token: string): Promise<IdentityResult>;
}
