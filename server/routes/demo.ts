/**
 * The demo membership page at /demo, with a member switcher. The demo plays the host site:
 * it signs member tokens for its sample members with the configured HS256 secret.
 */
import { Router } from "express";
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

export function demoRoutes(ctx: AppContext): Router {
  const router = Router();
  const secret = ctx.config.sso.secret;
  if (!secret) {
    ctx.logger.info(
      "demo disabled: it signs member tokens with HEARTH_SSO_SECRET, which is not set",
    );
    return router;
  }
  const key = new TextEncoder().encode(secret);

  router.get("/demo", (_req, res) => {
    res.type("html").send(
      renderDemoPage({
        members: DEMO_MEMBERS.map(({ id, name, role }) => ({ id, name, role })),
        threadKey: DEMO_THREAD,
      }),
    );
  });

  router.get("/demo/moderation", (_req, res) => {
    const moderator = DEMO_MEMBERS.find((member) => member.role === "moderator")!;
    res.type("html").send(renderModerationPage({ moderator }));
  });

  router.get("/demo/token/:memberId", async (req, res) => {
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
    res.set("Cache-Control", "no-store").json({ token });
  });
  return router;
}
