import { createChallenge, verifySolution } from "altcha-lib/v1";
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
 * Each solved payload is accepted once.
 */
export function createProofOfWork(options: ProofOfWorkOptions) {
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const used = new Map<string, number>();

  function remember(signature: string, now: number): boolean {
    if (used.has(signature)) return false;
    if (used.size > 50_000) {
      for (const [key, expires] of used) if (expires < now) used.delete(key);
      if (used.size > 50_000) used.clear();
    }
    used.set(signature, now + ttlMs);
    return true;
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
      try {
        const payload = JSON.parse(Buffer.from(input.altcha, "base64").toString("utf8"));
        signature = String(payload?.signature ?? "");
        ok = await verifySolution(payload, options.hmacKey, true);
      } catch {
        ok = false;
      }
      if (!ok) return { score: 40, reason: "The proof-of-work is invalid or expired." };
      if (!remember(signature, ctx.now.getTime()))
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
