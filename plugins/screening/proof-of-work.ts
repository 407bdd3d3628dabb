import { createChallenge, extractParams, verifySolution } from "altcha-lib/v1";
import type { ScreeningSignal } from "./types.ts";

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

  const signal: ScreeningSignal = {
    name: "proof_of_work",
    kinds: ["signup"],
    async score(input, ctx) {
      if (input.altcha === undefined) {
        return input.fromWidget ? { score: 25, reason: "No proof-of-work was sent." } : null;
      }
      let ok = false;
      let signature = "";
      let expiresAt = new Date(ctx.now.getTime() + ttlMs);
      try {
        const payload = JSON.parse(Buffer.from(input.altcha, "base64").toString("utf8"));
        signature = String(payload?.signature ?? "");
        ok = await verifySolution(payload, options.hmacKey, true);
        if (ok) expiresAt = expiryOf(payload, ctx.now.getTime());
      } catch {
        ok = false;
      }
      if (!ok) return { score: 40, reason: "The proof-of-work is invalid or expired." };
      if (!(await ctx.store.useChallenge(signature, expiresAt)))
        return { score: 40, reason: "The proof-of-work was already used." };
      return { score: -10, reason: "Solved the proof-of-work." };
    },
  };

  return {
    signal,
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
