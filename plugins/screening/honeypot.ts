import type { ScreeningSignal } from "./types.ts";

/** A hidden form field people never see: any value in it was typed by a bot. */
export const honeypotSignal: ScreeningSignal = {
  name: "honeypot",
  kinds: ["signup"],
  async score(input) {
    if (input.honeypot === undefined || input.honeypot.trim() === "") return null;
    return { score: 100, reason: "The hidden honeypot field was filled in." };
  },
};
