/**
 * POST /api/session: a member token in, a Hearth session out. Without a token, on a host
 * that mounted Hearth with `getMember`, the host's own session says who is signed in.
 */
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { badRequest, forbidden, unauthenticated } from "../errors.ts";
import { type RouteTarget, route } from "../http/route.ts";
import { isCrossSite } from "../http/same-origin.ts";
import { headerOf } from "../middleware/headers.ts";
import { serializeMember } from "../serializers/members.ts";
import { exchangeHostSession, exchangeMemberToken } from "../services/sessions.ts";

const Screening = z
  .object({
    honeypot: z.string().max(1000).optional(),
    elapsedMs: z.number().nonnegative().optional(),
    pow: z.string().max(10_000).optional(),
    altcha: z.string().max(10_000).optional(),
  })
  .optional();
const SessionBody = z.object({ token: z.string().min(1).max(8192), screening: Screening });
const HostSessionBody = z.object({ token: z.undefined().optional(), screening: Screening });

export function sessionRoutes(router: RouteTarget, ctx: AppContext): void {
  const publicOrigin = new URL(ctx.config.publicUrl).origin;
  route(router, ctx, {
    method: "post",
    path: "/session",
    access: "anyone",
    handler: async ({ req }) => {
      const client = { ip: req.ip, userAgent: headerOf(req, "user-agent") };
      const getMember = ctx.hostSession;
      const hostSession = getMember ? HostSessionBody.safeParse(req.body ?? {}) : undefined;
      if (getMember && hostSession?.success) {
        if (isCrossSite(req, publicOrigin))
          throw forbidden("cross_site", "Sign in from a page of this site.");
        const profile = await getMember(req);
        if (!profile) throw unauthenticated("unauthenticated", "Nobody is signed in to the site.");
        if (typeof profile.sub !== "string" && typeof profile.sub !== "number")
          throw badRequest("validation_failed", "getMember returned a member without a sub.");
        const { session, member } = await exchangeHostSession(
          ctx,
          { ...profile, sub: String(profile.sub) },
          screeningOf(hostSession.data.screening),
          client,
        );
        return { session, member: serializeMember(member) };
      }
      const { token, screening } = SessionBody.parse(req.body ?? {});
      const { session, member } = await exchangeMemberToken(
        ctx,
        token,
        screeningOf(screening),
        client,
      );
      return { session, member: serializeMember(member) };
    },
  });
}

function screeningOf(screening: z.infer<typeof Screening>) {
  return (
    screening && {
      honeypot: screening.honeypot,
      elapsedMs: screening.elapsedMs,
      altcha: screening.altcha ?? screening.pow,
    }
  );
}
