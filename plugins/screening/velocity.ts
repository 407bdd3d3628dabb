import { isIP } from "node:net";
import type { ScreeningSignal } from "./types.ts";

/** The sliding window signups are counted in. */
export const VELOCITY_WINDOW_MS = 60 * 60_000;

/** `203.0.113.7` → `203.0.113.0/24`; IPv6 → its /64; IPv4-mapped IPv6 as IPv4. */
export function subnetOf(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const address = mapped ? mapped[1]! : ip;
  if (isIP(address) === 4) return `${address.split(".").slice(0, 3).join(".")}.0/24`;
  if (isIP(address) === 6) {
    const [head = "", tail = ""] = address.toLowerCase().split("::");
    const left = head ? head.split(":") : [];
    const right = tail ? tail.split(":") : [];
    const groups = address.includes("::")
      ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right]
      : left;
    return `${groups
      .slice(0, 4)
      .map((g) => g.replace(/^0+(?=.)/, ""))
      .join(":")}::/64`;
  }
  return address;
}

/** Loopback addresses (the server itself, local tests) are never counted. */
export function isLoopback(ip: string): boolean {
  return /^(127\.|::1$|::ffff:127\.)/.test(ip);
}

/** Many signups from one address or one subnet in the last hour. */
export const velocitySignal: ScreeningSignal = {
  name: "velocity",
  kinds: ["signup"],
  async score(input, ctx) {
    const ip = input.ip;
    if (!ip || isLoopback(ip)) return null;
    const subnet = subnetOf(ip);
    const since = new Date(ctx.now.getTime() - VELOCITY_WINDOW_MS);
    const recent = await ctx.store.recentSignups(ip, subnet, since);
    let score = 0;
    const parts: string[] = [];
    if (recent.ip >= 3) {
      score += recent.ip >= 6 ? 45 : 25;
      parts.push(`${recent.ip} signups from ${ip}`);
    }
    const others = recent.subnet - recent.ip;
    if (others >= 4) {
      score += others >= 8 ? 45 : 25;
      parts.push(`${recent.subnet} from ${subnet}`);
    }
    if (score === 0) return null;
    return { score: Math.min(score, 70), reason: `${parts.join(" and ")} in the last hour.` };
  },
};
