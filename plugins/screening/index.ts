/**
 * The built-in screening signals. `createSignals` returns the pipeline the server runs:
 * the offline signals always, StopForumSpam and Akismet only when configured.
 */
import { createAkismetSignal } from "./akismet.ts";
import { contentSignal } from "./content.ts";
import { disposableEmailSignal } from "./disposable-email.ts";
import { honeypotSignal } from "./honeypot.ts";
import { namesSignal } from "./names.ts";
import { createStopForumSpamSignal } from "./stop-forum-spam.ts";
import { timingSignal } from "./timing.ts";
import type { ScreeningSignal } from "./types.ts";
import { velocitySignal } from "./velocity.ts";

export { textFingerprint } from "./content.ts";
export { runScreening, verdictFor } from "./pipeline.ts";
export { createProofOfWork, type SolvedChallenge } from "./proof-of-work.ts";
export type * from "./types.ts";
export { isLoopback, subnetOf, VELOCITY_WINDOW_MS } from "./velocity.ts";

export interface SignalOptions {
  proofOfWork?: ScreeningSignal | undefined;
  stopForumSpamUrl?: string | undefined;
  akismet?: { apiKey: string; url: string; site: string } | undefined;
}

export function createSignals(options: SignalOptions = {}): ScreeningSignal[] {
  return [
    honeypotSignal,
    timingSignal,
    disposableEmailSignal,
    velocitySignal,
    namesSignal,
    contentSignal,
    ...(options.proofOfWork ? [options.proofOfWork] : []),
    ...(options.stopForumSpamUrl
      ? [createStopForumSpamSignal({ url: options.stopForumSpamUrl })]
      : []),
    ...(options.akismet ? [createAkismetSignal(options.akismet)] : []),
  ];
}
