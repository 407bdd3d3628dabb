/**
 * The demo membership page at /demo, with a member switcher. The demo plays the host site:
 * it signs member tokens for its sample members with the configured HS256 secret. It is
 * mounted only while the demo is on (see `demo` in config.ts).
 */
import type { Router } from "express";
import * as jose from "jose";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { renderDemoPage } from "../demo/demo-page.ts";
import { renderModerationPage } from "../demo/moderation-page.ts";
import { notFound } from "../errors.ts";
import { route } from "../http/route.ts";
import { nonceOf, pageHeaders } from "../http/security.ts";

export const DEMO_MEMBERS = [
  { id: "anna", name: "Anna Lindqvist", role: "member", email: "anna@demo.invalid" },
  { id: "ben", name: "Ben Okafor", role: "member", email: "ben@demo.invalid" },
  { id: "mod", name: "Morgan Reyes", role: "moderator", email: "morgan@demo.invalid" },
] as const;

export const DEMO_THREAD = "demo/sourdough";

const html = "text/html; charset=utf-8";

export function demoRoutes(router: Router, ctx: AppContext): void {
  // config.ts turns the demo on only with an HS256 secret it can sign with.
  const secret = ctx.config.sso.secret;
  if (!secret) throw new Error("the demo is on without an HS256 secret to sign with");
  const key = new TextEncoder().encode(secret);

  router.get("/demo", pageHeaders, (req, res) => {
    res.setHeader("Content-Type", html);
    res.end(
      renderDemoPage({
        members: DEMO_MEMBERS.map(({ id, name, role }) => ({ id, name, role })),
        threadKey: DEMO_THREAD,
        base: req.baseUrl,
        nonce: nonceOf(res),
      }),
    );
  });

  router.get("/demo/moderation", pageHeaders, (req, res) => {
    const moderator = DEMO_MEMBERS.find((member) => member.role === "moderator")!;
    res.setHeader("Content-Type", html);
    res.end(renderModerationPage({ moderator, base: req.baseUrl, nonce: nonceOf(res) }));
  });

  route(router, ctx, {
    method: "get",
    path: "/demo/token/:memberId",
    access: "anyone",
    params: z.object({ memberId: z.string() }),
    handler: async ({ params, res }) => {
      const member = DEMO_MEMBERS.find((m) => m.id === params.memberId);
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
      res.setHeader("Cache-Control", "no-store");
      return { token };
    },
  });
}
