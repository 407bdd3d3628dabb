import { createRequire } from "node:module";
import type { ScreeningSignal } from "./types.ts";

const require = createRequire(import.meta.url);
/** The offline list from the `disposable-email-domains` package (exact and wildcard domains). */
const exact = new Set<string>(require("disposable-email-domains/index.json") as string[]);
const wildcard = new Set<string>(require("disposable-email-domains/wildcard.json") as string[]);

export function isDisposableDomain(domain: string): boolean {
  const lower = domain.toLowerCase().replace(/\.$/, "");
  if (exact.has(lower)) return true;
  const parts = lower.split(".");
  for (let i = 1; i < parts.length - 1; i++) {
    const parent = parts.slice(i).join(".");
    if (wildcard.has(parent) || exact.has(parent)) return true;
  }
  return false;
}

/** Throwaway mailboxes (mailinator.com and some thousands more). */
export const disposableEmailSignal: ScreeningSignal = {
  name: "disposable_email",
  kinds: ["signup"],
  async score(input) {
    const domain = input.email?.split("@")[1];
    if (!domain) return null;
    if (!isDisposableDomain(domain)) return null;
    return { score: 45, reason: `Email domain ${domain.toLowerCase()} is a disposable mailbox.` };
  },
};
