/**
 * Role checks for moderation routes: a session is required (401 without), and members
 * without the role get 403 `forbidden`.
 */
import type { FastifyRequest as Request } from "fastify";
import type { AppContext } from "../context.ts";
import { forbidden } from "../errors.ts";
import { isAdmin, isModerator, type Session } from "../services/sessions.ts";
import { requireSession } from "./auth.ts";

/** The caller's session when they are a moderator or an admin. */
export async function requireModerator(ctx: AppContext, req: Request): Promise<Session> {
  const session = await requireSession(ctx, req);
  if (!isModerator(session)) throw forbidden("forbidden", "This is for moderators.");
  return session;
}

/** The caller's session when they are an admin. */
export async function requireAdmin(ctx: AppContext, req: Request): Promise<Session> {
  const session = await requireSession(ctx, req);
  if (!isAdmin(session)) throw forbidden("forbidden", "This is for admins.");
  return session;
}
