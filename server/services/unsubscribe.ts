/**
 * One-click unsubscribe (RFC 8058): every email carries a link signed with Hearth's key
 * naming the member, the kinds of email it stops and a nonce. It works without signing in,
 * once: a forged link or one used before changes nothing.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import { claimUnsubscribeNonce } from "../../db/queries/notifications.ts";
import { NOTIFICATION_KINDS, type NotificationKind, unsubscribeUses } from "../../db/schema.ts";
import type { AppContext } from "../context.ts";
import { turnOffEmail } from "./notification-preferences.ts";

interface UnsubscribeClaims {
  /** Member id. */
  m: string;
  /** Kinds this link turns off. */
  k: NotificationKind[];
  /** Nonce: the link works once. */
  n: string;
}

function sign(ctx: AppContext, payload: string): string {
  return createHmac("sha256", ctx.sessionKey).update(`unsubscribe:${payload}`).digest("base64url");
}

export function unsubscribeToken(ctx: AppContext, memberId: string, kinds: NotificationKind[]) {
  const payload = Buffer.from(
    JSON.stringify({ m: memberId, k: kinds, n: randomBytes(12).toString("base64url") }),
  ).toString("base64url");
  return `${payload}.${sign(ctx, payload)}`;
}

export function unsubscribeUrl(ctx: AppContext, token: string): string {
  return `${ctx.config.publicUrl}/notifications/unsubscribe?u=${token}`;
}

/** The claims of a genuine link, or undefined for a forged or malformed one. */
export function verifyUnsubscribeToken(
  ctx: AppContext,
  token: unknown,
): UnsubscribeClaims | undefined {
  if (typeof token !== "string" || token.length > 1000) return undefined;
  const [payload, signature] = token.split(".");
  if (!payload || !signature) return undefined;
  const expected = Buffer.from(sign(ctx, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    if (
      typeof claims.m === "string" &&
      typeof claims.n === "string" &&
      Array.isArray(claims.k) &&
      claims.k.every((k: unknown) => (NOTIFICATION_KINDS as readonly unknown[]).includes(k))
    )
      return claims as UnsubscribeClaims;
  } catch {}
  return undefined;
}

export type UnsubscribeCheck =
  | { ok: true; claims: UnsubscribeClaims }
  | { ok: false; reason: "forged" | "used" };

export async function checkUnsubscribe(ctx: AppContext, token: unknown): Promise<UnsubscribeCheck> {
  const claims = verifyUnsubscribeToken(ctx, token);
  if (!claims) return { ok: false, reason: "forged" };
  const [used] = await ctx.database.db
    .select({ nonce: unsubscribeUses.nonce })
    .from(unsubscribeUses)
    .where(eq(unsubscribeUses.nonce, claims.n));
  return used ? { ok: false, reason: "used" } : { ok: true, claims };
}

/** Applies a link: turns the kinds off, once. */
export async function applyUnsubscribe(ctx: AppContext, token: unknown): Promise<UnsubscribeCheck> {
  const claims = verifyUnsubscribeToken(ctx, token);
  if (!claims) return { ok: false, reason: "forged" };
  return ctx.database.db.transaction(async (tx): Promise<UnsubscribeCheck> => {
    const fresh = await claimUnsubscribeNonce(tx, claims.n, claims.m);
    if (!fresh) return { ok: false, reason: "used" };
    await turnOffEmail(tx, claims.m, claims.k);
    return { ok: true, claims };
  });
}
