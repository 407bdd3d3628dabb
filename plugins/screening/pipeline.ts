import type {
  ScreeningContext,
  ScreeningInput,
  ScreeningResult,
  ScreeningSignal,
  Verdict,
} from "./types.ts";

export interface Thresholds {
  reviewAt: number;
  blockAt: number;
}

export function verdictFor(score: number, thresholds: Thresholds): Verdict {
  if (score >= thresholds.blockAt) return "block";
  if (score >= thresholds.reviewAt) return "review";
  return "allow";
}

/**
 * Runs every signal that looks at this kind of input, side by side, and sums their scores
 * (plus `baseScore`, such as a member's signup score when screening their first comments).
 * A signal that throws is reported to `onError` and counts as nothing.
 */
export async function runScreening(
  signals: readonly ScreeningSignal[],
  input: ScreeningInput,
  ctx: ScreeningContext,
  thresholds: Thresholds,
  options: { baseScore?: number; onError?: (signal: string, error: unknown) => void } = {},
): Promise<ScreeningResult> {
  const applicable = signals.filter((signal) => signal.kinds.includes(input.kind));
  const results = await Promise.all(
    applicable.map((signal) =>
      signal.score(input, ctx).then(
        (result) => ({ signal: signal.name, result }),
        (error: unknown) => {
          options.onError?.(signal.name, error);
          return { signal: signal.name, result: null };
        },
      ),
    ),
  );
  const reasons = results.flatMap(({ signal, result }) =>
    result ? [{ signal, score: result.score, message: result.reason }] : [],
  );
  const score = Math.max(
    0,
    reasons.reduce((sum, reason) => sum + reason.score, options.baseScore ?? 0),
  );
  return { verdict: verdictFor(score, thresholds), score, reasons };
}
