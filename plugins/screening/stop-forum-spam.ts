import type { ScreeningSignal } from "./types.ts";

/**
 * StopForumSpam (off by default): asks whether the email or address was reported as a
 * spammer. A slow or failing service scores nothing: it never blocks a member.
 */
export function createStopForumSpamSignal(options: { url: string }): ScreeningSignal {
  return {
    name: "stopforumspam",
    kinds: ["signup"],
    async score(input, ctx) {
      if (!ctx.fetch || (!input.email && !input.ip)) return null;
      const query = new URLSearchParams({ json: "" });
      if (input.email) query.set("email", input.email);
      if (input.ip) query.set("ip", input.ip);
      try {
        const res = await ctx.fetch(`${options.url}?${query}`);
        if (!res.ok) return null;
        const data = (await res.json()) as {
          success?: number;
          email?: { appears?: number; confidence?: number };
          ip?: { appears?: number; confidence?: number };
        };
        if (data.success !== 1) return null;
        const confidence = Math.max(
          data.email?.appears ? (data.email.confidence ?? 50) : 0,
          data.ip?.appears ? (data.ip.confidence ?? 50) : 0,
        );
        if (confidence <= 0) return null;
        return {
          score: confidence >= 50 ? 50 : 25,
          reason: `StopForumSpam lists this ${data.email?.appears ? "email" : "address"} (confidence ${Math.round(confidence)}%).`,
        };
      } catch {
        return null;
      }
    },
  };
}
