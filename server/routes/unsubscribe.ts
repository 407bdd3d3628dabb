/**
 * One-click unsubscribe pages, outside /api: GET shows a confirmation with a button (link
 * scanners must not unsubscribe anyone), POST (the button, or a mail client following
 * RFC 8058's `List-Unsubscribe-Post`) turns the emails off. A forged or used link is a 400
 * page that says so, and changes nothing.
 */
import { parse as parseForm } from "node:querystring";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { AppContext } from "../context.ts";
import { applyUnsubscribe, checkUnsubscribe } from "../services/unsubscribe.ts";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(reply: FastifyReply, status: number, title: string, body: string) {
  return reply
    .code(status)
    .headers({
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
      "Content-Security-Policy":
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    })
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:32em;margin:3em auto;padding:0 1em;line-height:1.5"><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    );
}

const REFUSED = {
  forged:
    "This unsubscribe link is not valid. It may have been cut short or changed. Nothing was changed; use the link from the latest email, or change your notification settings on the site.",
  used: "This unsubscribe link has already been used. Nothing was changed; your earlier choice still stands.",
};

type Form = { Querystring: { u?: unknown }; Body: { u?: unknown } | undefined };

/** Registers the pages in their own scope: the form body parser applies only here. */
export function unsubscribeRoutes(router: FastifyInstance, ctx: AppContext): void {
  router.removeAllContentTypeParsers();
  router.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit: 4096 },
    (_req, body, done) => done(null, parseForm(body as string)),
  );
  router.get<Form>("/notifications/unsubscribe", async (req, reply) => {
    const token = req.query.u;
    const check = await checkUnsubscribe(ctx, token);
    if (!check.ok) return page(reply, 400, "Link not valid", `<p>${REFUSED[check.reason]}</p>`);
    return page(
      reply,
      200,
      "Unsubscribe",
      `<p>Stop these notification emails?</p><form method="post"><input type="hidden" name="u" value="${escapeHtml(String(token))}"><button type="submit">Unsubscribe</button></form>`,
    );
  });
  router.post<Form>("/notifications/unsubscribe", async (req, reply) => {
    const token = req.query.u ?? req.body?.u;
    const result = await applyUnsubscribe(ctx, token);
    if (!result.ok) return page(reply, 400, "Link not valid", `<p>${REFUSED[result.reason]}</p>`);
    return page(
      reply,
      200,
      "Unsubscribed",
      "<p>You will no longer receive these emails. You can turn them back on in your notification settings.</p>",
    );
  });
}
