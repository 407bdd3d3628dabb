/**
 * A host's published key set (JWKS), fetched through the injected fetch and kept in memory.
 * Keys are cached for `cacheMaxAgeMs`; a token naming an unknown `kid` triggers at most one
 * refetch per `cooldownMs`, shared by every request waiting at that moment, so a flood of
 * forged `kid`s cannot turn into a flood of requests to the host.
 */
import { createPublicKey, type KeyObject } from "node:crypto";

export interface RemoteKeySetOptions {
  url: string;
  /** The guarded outbound fetch. */
  fetch: (url: string) => Promise<Response>;
  /** How long a fetched key set is used without asking again. */
  cacheMaxAgeMs?: number;
  /** Shortest time between two fetches caused by unknown `kid`s. */
  cooldownMs?: number;
  now?: () => number;
}

export interface PublicKey {
  kid: string | undefined;
  /** `alg` from the JWK, when the host states it. */
  alg: string | undefined;
  key: KeyObject;
  /** RSA modulus length in bits; undefined for other key types. */
  modulusLength: number | undefined;
}

export type KeyLookup =
  | { ok: true; key: PublicKey }
  | { ok: false; reason: "unknown_key" | "jwks_unreachable"; message: string };

export interface RemoteKeySet {
  /** Finds the key for a token's `kid` (or the only key, when the token names none). */
  lookup(kid: string | undefined): Promise<KeyLookup>;
  /** How many times the key set was fetched; for tests and diagnostics. */
  readonly fetchCount: number;
}

interface JwkLike {
  kid?: unknown;
  alg?: unknown;
  use?: unknown;
  kty?: unknown;
}

function importKeys(body: unknown): PublicKey[] {
  const keys = (body as { keys?: unknown })?.keys;
  if (!Array.isArray(keys)) throw new Error("the answer has no keys array");
  const result: PublicKey[] = [];
  for (const jwk of keys as JwkLike[]) {
    if (!jwk || typeof jwk !== "object") continue;
    if (jwk.use !== undefined && jwk.use !== "sig") continue;
    if (!["RSA", "EC", "OKP"].includes(String(jwk.kty))) continue;
    try {
      // biome-ignore lint/suspicious/noExplicitAny: node's JsonWebKey input type is looser than the JWK we read
      const key = createPublicKey({ key: jwk as any, format: "jwk" });
      result.push({
        kid: typeof jwk.kid === "string" ? jwk.kid : undefined,
        alg: typeof jwk.alg === "string" ? jwk.alg : undefined,
        key,
        modulusLength: key.asymmetricKeyDetails?.modulusLength,
      });
    } catch {
      // A key this runtime cannot import is skipped; the others still work.
    }
  }
  return result;
}

export function createRemoteKeySet(options: RemoteKeySetOptions): RemoteKeySet {
  const cacheMaxAgeMs = options.cacheMaxAgeMs ?? 10 * 60_000;
  const cooldownMs = options.cooldownMs ?? 30_000;
  const now = options.now ?? Date.now;
  let keys: PublicKey[] | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  /** When an unknown `kid` last caused a fetch; the cooldown counts from here. */
  let unknownKidFetchAt = Number.NEGATIVE_INFINITY;
  let failedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<void> | undefined;
  let fetchCount = 0;
  let lastFailure: string | undefined;

  function refresh(): Promise<void> {
    if (!pending) {
      pending = (async () => {
        fetchCount++;
        fetchedAt = now();
        const res = await options.fetch(options.url);
        if (!res.ok) throw new Error(`the host answered ${res.status}`);
        keys = importKeys(await res.json());
        lastFailure = undefined;
      })().finally(() => {
        pending = undefined;
      });
    }
    return pending;
  }

  function find(kid: string | undefined): PublicKey | undefined {
    if (!keys) return undefined;
    if (kid === undefined) return keys.length === 1 ? keys[0] : undefined;
    return keys.find((key) => key.kid === kid);
  }

  return {
    get fetchCount() {
      return fetchCount;
    },
    async lookup(kid) {
      const t = now();
      const stale = t - fetchedAt > cacheMaxAgeMs;
      let found = stale ? undefined : find(kid);
      // After a failed fetch, wait out the cooldown before asking the host again.
      const mayFetch = pending !== undefined || t - failedAt >= cooldownMs;
      const wantFetch = stale || t - unknownKidFetchAt >= cooldownMs;
      if (!found && mayFetch && (wantFetch || pending)) {
        if (!stale && !pending) unknownKidFetchAt = t;
        try {
          await refresh();
        } catch (error) {
          failedAt = now();
          lastFailure = `The host's key set at ${options.url} could not be fetched: ${
            error instanceof Error ? error.message : String(error)
          }.`;
        }
      }
      // A stale key set still verifies tokens while the host is unreachable.
      found ??= find(kid);
      if (!found && !keys && lastFailure) {
        return { ok: false, reason: "jwks_unreachable", message: lastFailure };
      }
      if (!found) {
        return {
          ok: false,
          reason: "unknown_key",
          message:
            kid === undefined
              ? "The member token names no key (kid) and the host's key set has several."
              : `No key with kid "${kid}" is in the host's key set.`,
        };
      }
      return { ok: true, key: found };
    },
  };
}

/** The key set's clock from an adapter's `now`, so tests that move time move the cache too. */
export function keySetClock(now: (() => Date) | undefined): { now?: () => number } {
  return now ? { now: () => now().getTime() } : {};
}
