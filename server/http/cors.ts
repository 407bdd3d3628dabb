/**
 * CORS for the API: the configured origins (or any, with `*`) may call it from a browser,
 * with the headers the widgets send; preflights are answered here with 204.
 */
import type { RequestHandler } from "express";

const METHODS = "GET,HEAD,PUT,PATCH,POST,DELETE";
const HEADERS = "Authorization,Content-Type,Idempotency-Key,Last-Event-ID";

export function cors(allowedOrigins: readonly string[]): RequestHandler {
  const any = allowedOrigins.includes("*");
  const allowed = new Set(allowedOrigins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      res.setHeader("Vary", "Origin");
      if (any || allowed.has(origin)) {
        res.setHeader("Access-Control-Allow-Origin", origin);
        res.setHeader("Access-Control-Expose-Headers", "Retry-After");
      }
    }
    if (req.method !== "OPTIONS") return next();
    res.setHeader("Access-Control-Allow-Methods", METHODS);
    res.setHeader("Access-Control-Allow-Headers", HEADERS);
    res.setHeader("Access-Control-Max-Age", "600");
    res.statusCode = 204;
    res.setHeader("Content-Length", "0");
    res.end();
  };
}
