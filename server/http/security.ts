/**
 * Security headers. Every response says `X-Content-Type-Options: nosniff`; the HTML pages
 * Hearth serves (the demo, its moderation page, the unsubscribe pages) also get helmet's
 * headers with a Content-Security-Policy: scripts from Hearth itself and the page's own
 * inline script (by nonce), connections to Hearth only, framing by the same site only.
 * The widgets run inside the host's pages, under the host's policy, not this one.
 */
import { randomBytes } from "node:crypto";
import type { RequestHandler, Response } from "express";
import helmet from "helmet";

export const noSniff: RequestHandler = (_req, res, next) => {
  res.setHeader("X-Content-Type-Options", "nosniff");
  next();
};

/** The nonce of this response's inline script (set by `pageHeaders`). */
export const nonceOf = (res: Response): string => res.locals.cspNonce as string;

const withHelmet = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", "data:", "https:"],
      connectSrc: ["'self'"],
      fontSrc: ["'self'", "data:"],
      formAction: ["'self'"],
      frameAncestors: ["'self'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
    },
  },
  // The host site, or the proxy in front of it, decides about HTTPS for its whole domain.
  strictTransportSecurity: false,
  crossOriginEmbedderPolicy: false,
  referrerPolicy: { policy: "same-origin" },
});

/** Helmet's headers and a fresh script nonce, for the HTML pages. */
export const pageHeaders: RequestHandler = (req, res, next) => {
  res.locals.cspNonce = randomBytes(16).toString("base64");
  withHelmet(req, res, next);
};
