/**
 * Reads the Hearth session from `Authorization: Bearer`. Tokens are never read from the
 * URL, where they would end up in logs and browser history.
 */
import type { Request } from "express";
import type { AppContext } from "../context.ts";
import { unauthenticated } from "../errors.ts";
import { type Session, verifySession } from "../services/sessions.ts";

function bearer(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match)
    throw unauthenticated("token_invalid", "Send the session as Authorization: Bearer <token>.");
  return match[1];
}

/** The caller's session, or undefined for an anonymous reader. A bad token is still a 401. */
export async function optionalSession(ctx: AppContext, req: Request): Promise<Session | undefined> {
  const token = bearer(req);
  return token ? verifySession(ctx, token) : undefined;
}

/** The caller's session; 401 `unauthenticated` without one. */
export async function requireSession(ctx: AppContext, req: Request): Promise<Session> {
  const token = bearer(req);
  if (!token) throw unauthenticated("unauthenticated", "Sign in first: this needs a session.");
  return verifySession(ctx, token);
}
