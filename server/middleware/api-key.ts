import { timingSafeEqual } from "node:crypto";
import type { Request } from "express";
import type { AppContext } from "../context.ts";

/** True when the request carries the host's `HEARTH_API_KEY` as a Bearer token. */
export function hasApiKey(ctx: AppContext, req: Request): boolean {
  const key = ctx.config.apiKey;
  const header = req.headers.authorization;
  if (!key || !header?.startsWith("Bearer ")) return false;
  const given = Buffer.from(header.slice(7).trim());
  const expected = Buffer.from(key);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
