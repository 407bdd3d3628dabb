/**
 * One-click unsubscribe pages, outside /api: GET shows a confirmation with a button (link
 * scanners must not unsubscribe anyone), POST (the button, or a mail client following
 * RFC 8058's `List-Unsubscribe-Post`) turns the emails off. A forged or used link is a 400
 * page that says so, and changes nothing.
 */
import express, { type Response, type Router } from "express";
import type { AppContext } from "../context.ts";
import { applyUnsubscribe, checkUnsubscribe } from "../services/unsubscribe.ts";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: Response, status: number, title: string, body: string) {
  res.statusCode = status;
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader(
    "Content-Security-Policy",
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  res.setHeader("X-Frame-Options", "DENY");
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:32em;margin:3em auto;padding:0 1em;line-height:1.5"><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
  );
}

const REFUSED = {
  forged:
    "This unsubscribe link is not valid. It may have been cut short or changed. Nothing was changed; use the link from the latest email, or change your notification settings on the site.",
  used: "This unsubscribe link has already been used. Nothing was changed; your earlier choice still stands.",
};

const tokenIn = (value: unknown): unknown =>
  value !== null && typeof value === "object" ? (value as { u?: unknown }).u : undefined;

/** The pages; the form body parser applies only here. */
export function unsubscribeRoutes(router: Router, ctx: AppContext): void {
  const form = express.urlencoded({ extended: false, limit: 4096 });
  router.get("/notifications/unsubscribe", async (req, res) => {
    const token = tokenIn(req.query);
    const check = await checkUnsubscribe(ctx, token);
    if (!check.ok) return page(res, 400, "Link not valid", `<p>${REFUSED[check.reason]}</p>`);
    return page(
      res,
      200,
      "Unsubscribe",
      `<p>Stop these notification emails?</p><form method="post"><input type="hidden" name="u" value="${escapeHtml(String(token))}"><button type="submit">Unsubscribe</button></form>`,
    );
  });
  router.post("/notifications/unsubscribe", form, async (req, res) => {
    const token = tokenIn(req.query) ?? tokenIn(req.body);
    const result = await applyUnsubscribe(ctx, token);
    if (!result.ok) return page(res, 400, "Link not valid", `<p>${REFUSED[result.reason]}</p>`);
    return page(
      res,
      200,
      "Unsubscribed",
      "<p>You will no longer receive these emails. You can turn them back on in your notification settings.</p>",
    );
  });
}
