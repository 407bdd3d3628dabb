/**
 * The demo membership page at /demo, with a member switcher. The demo plays the host site:
 * it signs member tokens for its sample members with the configured HS256 secret.
 */
import type { FastifyInstance } from "fastify";
import * as jose from "jose";
import type { AppContext } from "../context.ts";
import { renderDemoPage } from "../demo/demo-page.ts";
import { renderModerationPage } from "../demo/moderation-page.ts";
import { notFound } from "../errors.ts";

export const DEMO_MEMBERS = [
  { id: "anna", name: "Anna Lindqvist", role: "member", email: "anna@demo.invalid" },
  { id: "ben", name: "Ben Okafor", role: "member", email: "ben@demo.invalid" },
  { id: "mod", name: "Morgan Reyes", role: "moderator", email: "morgan@demo.invalid" },
] as const;

export const DEMO_THREAD = "demo/sourdough";

export function demoRoutes(router: FastifyInstance, ctx: AppContext): void {
  const secret = ctx.config.sso.secret;
  if (!secret) {
    ctx.logger.info(
      "demo disabled: it signs member tokens with HEARTH_SSO_SECRET, which is not set",
    );
    return;
  }
  const key = new TextEncoder().encode(secret);

  router.get("/demo", (_req, reply) => {
    reply.type("text/html; charset=utf-8").send(
      renderDemoPage({
        members: DEMO_MEMBERS.map(({ id, name, role }) => ({ id, name, role })),
        threadKey: DEMO_THREAD,
      }),
    );
  });

  router.get("/demo/moderation", (_req, reply) => {
    const moderator = DEMO_MEMBERS.find((member) => member.role === "moderator")!;
    reply.type("text/html; charset=utf-8").send(renderModerationPage({ moderator }));
  });

  router.get<{ Params: { memberId: string } }>("/demo/token/:memberId", async (req, reply) => {
    const member = DEMO_MEMBERS.find((m) => m.id === req.params.memberId);
    if (!member) throw notFound("not_found", "No such demo member.");
    const roles = member.role === "moderator" ? ["member", "moderator"] : ["member"];
    const token = await new jose.SignJWT({ name: member.name, email: member.email, roles })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(`demo-${member.id}`)
      .setIssuer(ctx.config.sso.issuer ?? "hearth-demo")
      .setAudience(ctx.config.sso.audience)
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(key);
    reply.header("Cache-Control", "no-store");
    return { token };
  });
}
