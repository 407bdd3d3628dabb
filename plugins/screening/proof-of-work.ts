import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { createChallenge, extractParams } from "altcha-lib/v1";
import type { ScreeningSignal } from "./types.ts";

/** A challenge a payload solves correctly (not yet checked for reuse). */
export interface SolvedChallenge {
  signature: string;
  expiresAt: Date;
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Options of the proof-of-work signal. */
export interface ProofOfWorkOptions {
  /** HMAC key that signs challenges. */
  hmacKey: string;
  /** Largest number a client may have to try (difficulty). */
  maxNumber: number;
  /** How long a challenge stays valid. */
  ttlMs?: number;
}

/**
 * Self-hosted ALTCHA proof-of-work (the v1 challenge format the ALTCHA widget and
 * `altcha-lib`'s `solveChallenge` understand): the server signs a challenge, the client
 * spends a moment of CPU finding the number, the server checks the signature and the hash.
 * Each solved payload is accepted once: the server's store remembers used challenges until
 * they expire, across all its processes.
 */
export function createProofOfWork(options: ProofOfWorkOptions) {
  const ttlMs = options.ttlMs ?? 10 * 60_000;

  /** When the challenge stops being accepted anyway (its signed `expires` parameter). */
  function expiryOf(payload: Parameters<typeof extractParams>[0], now: number): Date {
    const params = extractParams(payload);
    const seconds = Number(params.expires ?? params.expire);
    return new Date(Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : now + ttlMs);
  }

  /**
   * The challenge a payload solves (its signature and expiry), or null when it does not, has
   * expired or was not signed with this server's key. The same check as `altcha-lib`'s
   * `verifySolution` for the SHA-256 challenges this server issues, done synchronously with
   * `node:crypto` (no trip through the thread pool on every signup).
   */
  function solved(altcha: string, now: Date): SolvedChallenge | null {
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(Buffer.from(altcha, "base64").toString("utf8"));
    } catch {
      return null;
    }
    if (payload?.algorithm !== "SHA-256") return null;
    const { salt, number, challenge, signature } = payload;
    if (typeof salt !== "string" || typeof challenge !== "string") return null;
    if (typeof signature !== "string") return null;
    const integer =
      (typeof number === "number" && Number.isSafeInteger(number) && number >= 0) ||
      (typeof number === "string" && /^\d{1,16}$/.test(number));
    if (!integer) return null;
    const expiresAt = expiryOf({ salt } as Parameters<typeof extractParams>[0], now.getTime());
    if (expiresAt.getTime() < Date.now()) return null;
    const salted = salt.endsWith("&") ? salt : `${salt}&`;
    const expected = createHash("sha256").update(`${salted}${number}`).digest("hex");
    const signed = createHmac("sha256", options.hmacKey).update(expected).digest("hex");
    if (!same(expected, challenge) || !same(signed, signature)) return null;
    return { signature, expiresAt };
  }

  const signal: ScreeningSignal = {
    name: "proof_of_work",
    kinds: ["signup"],
    async score(input, ctx) {
      if (input.altcha === undefined) {
        return input.fromWidget ? { score: 25, reason: "No proof-of-work was sent." } : null;
      }
      const challenge = solved(input.altcha, ctx.now);
      if (!challenge) return { score: 40, reason: "The proof-of-work is invalid or expired." };
      if (!(await ctx.store.useChallenge(challenge.signature, challenge.expiresAt)))
        return { score: 40, reason: "The proof-of-work was already used." };
      return { score: -10, reason: "Solved the proof-of-work." };
    },
  };

  return {
    signal,
    solved,
    /** A fresh challenge for a client: `{algorithm, challenge, maxnumber, salt, signature}`. */
    async challenge(now: Date) {
      return createChallenge({
        hmacKey: options.hmacKey,
        maxNumber: options.maxNumber,
        expires: new Date(now.getTime() + ttlMs),
      });
    },
  };
}
