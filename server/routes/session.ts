import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { headerOf } from "../middleware/headers.ts";
import { serializeMember } from "../serializers/members.ts";
import { exchangeMemberToken } from "../services/sessions.ts";

const SessionBody = z.object({
  token: z.string().min(1).max(8192),
  screening: z
    .object({
      honeypot: z.string().max(1000).optional(),
      elapsedMs: z.number().nonnegative().optional(),
      pow: z.string().max(10_000).optional(),
      altcha: z.string().max(10_000).optional(),
    })
    .optional(),
});

/** POST /api/session: member token in, Hearth session out. */
export function sessionRoutes(router: FastifyInstance, ctx: AppContext): void {
  router.post("/session", async (req) => {
    const { token, screening } = SessionBody.parse(req.body ?? {});
    const { session, member } = await exchangeMemberToken(
      ctx,
      token,
      screening && {
        honeypot: screening.honeypot,
        elapsedMs: screening.elapsedMs,
        altcha: screening.altcha ?? screening.pow,
      },
      { ip: req.ip, userAgent: headerOf(req, "user-agent") },
    );
    return { session, member: serializeMember(member) };
  });
}
