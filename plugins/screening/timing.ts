import type { ScreeningSignal } from "./types.ts";

/** People take a few seconds between seeing a form and submitting it; scripts do not. */
export const timingSignal: ScreeningSignal = {
  name: "timing",
  kinds: ["signup"],
  async score(input) {
    const ms = input.elapsedMs;
    if (ms === undefined) return null;
    const seconds = (ms / 1000).toFixed(1);
    if (ms < 1000) return { score: 45, reason: `Submitted ${seconds} s after the form loaded.` };
    if (ms < 2500) return { score: 20, reason: `Submitted ${seconds} s after the form loaded.` };
    return null;
  },
};
