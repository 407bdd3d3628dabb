import { createHash } from "node:crypto";
import type { ScreeningSignal } from "./types.ts";

/** Phrases that mark the usual comment spam (money, pills, casinos, contact-me-elsewhere). */
const SPAM_PATTERNS: { pattern: RegExp; what: string }[] = [
  { pattern: /\b(casino|poker|slots?|betting|jackpot)\b/i, what: "gambling" },
  { pattern: /\b(viagra|cialis|pharmacy|pills?|weight ?loss|keto)\b/i, what: "pharmacy" },
  {
    pattern:
      /\b(crypto|bitcoin|btc|forex|nft|airdrop|trading signals?)\b.*\b(profit|earn|invest|returns?|guaranteed)\b/is,
    what: "investment scheme",
  },
  {
    pattern:
      /\b(earn|make)\s+\$?\d[\d,.]*\s*(\$|usd|dollars|euros?)?\s*(per|a|\/)\s*(day|week|hour|month)\b/i,
    what: "income claim",
  },
  { pattern: /\bwork(ing)? from home\b/i, what: "work from home" },
  {
    pattern: /\b(whats ?app|telegram|wechat|signal)\b[^.\n]{0,30}(\+?\d[\d\s-]{6,}|@\w+)/i,
    what: "contact elsewhere",
  },
  {
    pattern: /\b(click here|visit my (profile|site|website)|check out my)\b/i,
    what: "call to click",
  },
  {
    pattern: /\b(cheap|discount|buy)\b.{0,30}\b(followers|likes|backlinks|seo)\b/i,
    what: "SEO/follower sales",
  },
  { pattern: /\b(essay writing|replica watches|loan approval|payday loan)\b/i, what: "spam offer" },
];

/** Links in Markdown or plain text. */
export function countLinks(text: string): number {
  return (text.match(/\bhttps?:\/\/\S+|(?<![/\w.])www\.[a-z0-9-]+\.[a-z]{2,}/gi) ?? []).length;
}

/** Fingerprint of a text with case, punctuation, digits and spacing ignored. */
export function textFingerprint(text: string): string | undefined {
  const normal = text
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/[^\p{L}]+/gu, " ")
    .trim();
  if (normal.length < 40) return undefined;
  return createHash("sha256").update(normal).digest("base64url").slice(0, 32);
}

/** Links, known spam phrasing and the same text from several accounts in a first post. */
export const contentSignal: ScreeningSignal = {
  name: "content",
  kinds: ["comment"],
  async score(input, ctx) {
    const body = input.body;
    if (!body) return null;
    let score = 0;
    const parts: string[] = [];
    const links = countLinks(body);
    if (links >= 3) {
      score += 45;
      parts.push(`${links} links`);
    } else if (links === 2) {
      score += 25;
      parts.push("2 links");
    } else if (links === 1) {
      score += 10;
      parts.push("a link");
    }
    const matched = SPAM_PATTERNS.filter((p) => p.pattern.test(body)).map((p) => p.what);
    if (matched.length > 0) {
      score += Math.min(35 + (matched.length - 1) * 15, 65);
      parts.push(`spam phrasing (${matched.join(", ")})`);
    }
    const hash = textFingerprint(body);
    if (hash && input.memberId) {
      const since = new Date(ctx.now.getTime() - 24 * 3600_000);
      const others = await ctx.store.textAuthors(hash, input.memberId, since);
      // One other account with the same words can be chance; several are a campaign.
      if (others >= 1) {
        score += others >= 3 ? 60 : others === 2 ? 40 : 20;
        parts.push(`the same text from ${others} other account${others === 1 ? "" : "s"} today`);
      }
    }
    if (score === 0) return null;
    return { score, reason: `First post has ${parts.join(", ")}.` };
  },
};
