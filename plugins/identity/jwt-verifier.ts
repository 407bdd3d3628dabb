/**
 * The signature and claim checks every identity adapter shares: HS256 secrets told apart by
 * `kid`, keys from a published key set, issuer, audience, expiry and token age. Refusals come
 * back as values with a reason the site owner can act on.
 *
 * RSA keys under 2048 bits are refused (`weak_key`) unless the owner opts in; `jose` will not
 * verify with such keys at all, so the opt-in path checks the RSA signature with node:crypto
 * on the JWS signing input and then applies the same claim checks here.
 */
import { verify as cryptoVerify, type KeyObject } from "node:crypto";
import * as jose from "jose";
import type { IdentityFailure } from "../../server/plugins/identity.ts";
import type { RemoteKeySet } from "./key-set.ts";

export interface HsSecret {
  /** The `kid` tokens signed with this secret carry; undefined for tokens without `kid`. */
  kid?: string | undefined;
  secret: string;
}

export interface JwtVerifierOptions {
  /** Shared HS256 secrets; several let the host rotate without signing members out. */
  secrets?: readonly HsSecret[];
  /** The host's published keys, for asymmetric algorithms. */
  keySet?: RemoteKeySet | undefined;
  /** Asymmetric algorithms accepted with the key set. */
  algorithms?: readonly string[];
  /** Accepted `iss` values, when set. */
  issuer?: string | readonly string[] | undefined;
  /** Accepted `aud` values, when set. */
  audience?: string | readonly string[] | undefined;
  /** Oldest accepted token by `iat`, in seconds; when unset `iat` is not required. */
  maxTokenAgeSeconds?: number | undefined;
  /** Accept RSA keys under 2048 bits (older Ghost sites). */
  allowWeakRsa?: boolean | undefined;
  clockToleranceSeconds?: number;
  now?: () => Date;
}

export type JwtVerification =
  | { ok: true; payload: jose.JWTPayload; header: jose.ProtectedHeaderParameters }
  | IdentityFailure;

export const DEFAULT_ASYMMETRIC = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"];
const RSA_HASH: Record<string, string> = { RS256: "sha256", RS384: "sha384", RS512: "sha512" };

const fail = (reason: IdentityFailure["reason"], message: string): IdentityFailure => ({
  ok: false,
  reason,
  message,
});

function list(value: string | readonly string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" ? [value] : [...value];
}

export function createJwtVerifier(options: JwtVerifierOptions) {
  // Imported once as WebCrypto keys: jose would otherwise import the bytes for every token.
  const secrets = (options.secrets ?? []).map((entry) => ({
    kid: entry.kid,
    key: crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(entry.secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["verify"],
    ),
  }));
  const algorithms = options.algorithms ?? DEFAULT_ASYMMETRIC;
  const issuers = list(options.issuer);
  const audiences = list(options.audience);
  const tolerance = options.clockToleranceSeconds ?? 60;
  const now = options.now ?? (() => new Date());
  const maxAge = options.maxTokenAgeSeconds;

  function joseOptions(alg: string): jose.JWTVerifyOptions {
    return {
      algorithms: [alg],
      ...(issuers ? { issuer: issuers } : {}),
      ...(audiences ? { audience: audiences } : {}),
      clockTolerance: tolerance,
      currentDate: now(),
      ...(maxAge !== undefined ? { maxTokenAge: maxAge } : {}),
      requiredClaims: maxAge !== undefined ? ["exp", "iat"] : ["exp"],
    };
  }

  /** The claim checks of the weak-key path, the same rules `jose` applies on the main path. */
  function checkClaims(payload: jose.JWTPayload): IdentityFailure | undefined {
    const t = Math.floor(now().getTime() / 1000);
    if (typeof payload.exp !== "number")
      return fail("invalid", "The member token has no exp claim.");
    if (payload.exp <= t - tolerance) return fail("expired", "The member token has expired.");
    if (typeof payload.nbf === "number" && payload.nbf > t + tolerance)
      return fail("invalid", "The member token is not valid yet (nbf).");
    if (maxAge !== undefined) {
      if (typeof payload.iat !== "number")
        return fail("invalid", "The member token has no iat claim.");
      if (payload.iat > t + tolerance)
        return fail("invalid", "The member token was issued in the future (iat).");
      if (t - payload.iat > maxAge + tolerance)
        return fail("invalid", "The member token is too old.");
    }
    if (issuers && !(typeof payload.iss === "string" && issuers.includes(payload.iss)))
      return fail("issuer_mismatch", issuerMessage(payload.iss));
    if (audiences) {
      const aud = typeof payload.aud === "string" ? [payload.aud] : (payload.aud ?? []);
      if (!aud.some((value) => audiences.includes(value)))
        return fail("invalid", "The member token's aud claim is not accepted.");
    }
    return undefined;
  }

  function issuerMessage(iss: unknown): string {
    return `The member token's issuer ${
      typeof iss === "string" ? `"${iss}"` : "(none)"
    } is not the configured issuer ${issuers?.map((i) => `"${i}"`).join(" or ")}.`;
  }

  function verifyWeakRsa(token: string, alg: string, key: KeyObject): JwtVerification {
    const hash = RSA_HASH[alg];
    if (!hash) return fail("weak_key", `${alg} is not accepted with an RSA key under 2048 bits.`);
    const [header, body, signature] = token.split(".");
    const valid = cryptoVerify(
      hash,
      Buffer.from(`${header}.${body}`),
      key,
      Buffer.from(signature ?? "", "base64url"),
    );
    if (!valid) return fail("invalid", "The member token's signature is invalid.");
    let payload: jose.JWTPayload;
    try {
      payload = jose.decodeJwt(token);
    } catch {
      return fail("invalid", "The member token is not a valid JWT.");
    }
    const problem = checkClaims(payload);
    if (problem) return problem;
    return { ok: true, payload, header: jose.decodeProtectedHeader(token) };
  }

  async function verifyOrThrow(token: string): Promise<JwtVerification> {
    const header = jose.decodeProtectedHeader(token);
    const alg = header.alg ?? "";
    if (alg === "HS256" && secrets.length > 0) {
      const entry = secrets.find((s) => s.kid === header.kid);
      if (!entry) {
        return fail(
          "unknown_key",
          header.kid === undefined
            ? "The member token names no kid, and every configured secret has one."
            : `No secret with kid "${header.kid}" is configured (it may have been removed).`,
        );
      }
      const { payload } = await jose.jwtVerify(token, await entry.key, joseOptions("HS256"));
      return { ok: true, payload, header };
    }
    if (options.keySet && algorithms.includes(alg)) {
      const found = await options.keySet.lookup(header.kid);
      if (!found.ok) return found;
      const { key } = found;
      if (key.alg !== undefined && key.alg !== alg)
        return fail("invalid", `The key "${key.kid}" is for ${key.alg}, not ${alg}.`);
      if (key.modulusLength !== undefined && key.modulusLength < 2048) {
        if (!options.allowWeakRsa) {
          return fail(
            "weak_key",
            `The host signs with a ${key.modulusLength}-bit RSA key; Hearth needs 2048 bits or more. ` +
              "Rotate the host's key, or accept weak keys explicitly (HEARTH_SSO_ALLOW_WEAK_KEYS=1).",
          );
        }
        return verifyWeakRsa(token, alg, key.key);
      }
      const { payload } = await jose.jwtVerify(token, key.key, joseOptions(alg));
      return { ok: true, payload, header };
    }
    return fail("invalid", "The member token's algorithm is not accepted.");
  }

  return {
    async verify(token: string): Promise<JwtVerification> {
      try {
        return await verifyOrThrow(token);
      } catch (error) {
        if (error instanceof jose.errors.JWTExpired)
          return fail("expired", "The member token has expired.");
        if (error instanceof jose.errors.JWTClaimValidationFailed) {
          if (error.claim === "iss")
            return fail("issuer_mismatch", issuerMessage(error.payload.iss));
          if (error.claim === "iat") return fail("invalid", "The member token is too old.");
          return fail(
            "invalid",
            `The member token's ${error.claim} claim is not accepted (${error.reason}).`,
          );
        }
        if (error instanceof jose.errors.JWSSignatureVerificationFailed)
          return fail("invalid", "The member token's signature is invalid.");
        if (error instanceof jose.errors.JOSEError)
          return fail("invalid", "The member token is not valid.");
        if (error instanceof TypeError || error instanceof SyntaxError)
          return fail("invalid", "The member token is not a valid JWT.");
        throw error;
      }
    },
  };
}
