/** Proof-of-work challenges for the widget, and screening for the host's own signup form. */
import { z } from "zod";
import type { AppContext } from "../context.ts";
import { unprocessable } from "../errors.ts";
import { type RouteTarget, route } from "../http/route.ts";
import { screenHostSignup } from "../services/screening.ts";

const Signup = z
  .object({
    email: z.email().max(320).optional(),
    name: z.string().max(200).optional(),
    username: z.string().max(200).optional(),
    ip: z.union([z.ipv4(), z.ipv6()]).optional(),
    userAgent: z.string().max(1000).optional(),
    honeypot: z.string().max(1000).optional(),
    elapsedMs: z.number().nonnegative().max(86_400_000).optional(),
    altcha: z.string().max(10_000).optional(),
    pow: z.string().max(10_000).optional(),
  })
  .strict();

export function screeningRoutes(router: RouteTarget, ctx: AppContext): void {
  route(router, ctx, {
    method: "get",
    path: "/screen/challenge",
    access: "anyone",
    handler: () => ctx.screening.challenge(ctx.now()),
  });

  // A signup the host could not describe is 422 (the host's code to fix), not 400.
  route(router, ctx, {
    method: "post",
    path: "/screen/signup",
    access: "api-key",
    handler: ({ req }) => {
      const parsed = Signup.safeParse(req.body ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path.join(".") || undefined;
        throw unprocessable(
          "validation_failed",
          field ? `${field}: ${issue?.message}` : "The signup is not valid.",
          { field },
        );
      }
      const { altcha, pow, ...input } = parsed.data;
      return screenHostSignup(ctx, { ...input, altcha: altcha ?? pow });
    },
  });
}
