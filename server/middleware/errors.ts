/**
 * The error middleware, registered last: every error becomes
 * `{ error: { code, message, details? } }` with its status. Unknown errors are logged with
 * their cause and reach the client as a bare 500, without a stack.
 */
import type { ServerResponse } from "node:http";
import type { ErrorRequestHandler, Request, RequestHandler } from "express";
import { ZodError } from "zod";
import { HearthError, notFound, tooLarge, unavailable } from "../errors.ts";
import { sendJson } from "../http/reply.ts";
import type { Logger } from "../logger.ts";

function fromZod(error: ZodError): HearthError {
  const issue = error.issues[0];
  const field = issue?.path.join(".") || undefined;
  return new HearthError(
    400,
    "validation_failed",
    field
      ? `${field}: ${issue?.message ?? "invalid"}`
      : (issue?.message ?? "The request is not valid."),
    { field, issues: error.issues.map((i) => ({ path: i.path.join("."), message: i.message })) },
  );
}

/** Codes of the `postgres` driver and of Node's sockets when the database cannot be reached. */
const UNREACHABLE = new Set([
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "ENOTFOUND",
  "EPIPE",
  // PostgreSQL itself: starting up, shutting down, too many connections.
  "57P01",
  "57P02",
  "57P03",
  "53300",
]);

/** True when `error` (or an error it wraps, as drizzle does) says the database is unreachable. */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (let at = error, depth = 0; at && depth < 5; depth++) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === "string" && UNREACHABLE.has(code)) return true;
    at = (at as { cause?: unknown }).cause;
  }
  return false;
}

/** What Express and Node refuse on their own: a malformed percent-encoding, a stream error. */
function fromFramework(error: unknown): HearthError | undefined {
  const status =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    if (status === 413) return tooLarge((error as { limit?: number }).limit ?? 0);
    if (status === 404) return notFound("not_found", "No such endpoint.");
    return new HearthError(400, "validation_failed", "The request is not valid.");
  }
  return undefined;
}

function normalise(error: unknown): HearthError | undefined {
  if (error instanceof HearthError) return error;
  if (error instanceof ZodError) return fromZod(error);
  if (isDatabaseUnreachable(error)) return unavailable();
  return fromFramework(error);
}

/** Sends a known error in the API's shape. */
export function sendError(res: ServerResponse, error: HearthError): void {
  if (error.headers)
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  sendJson(res, error.status, {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
    },
  });
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const known = normalise(error);
    if (known) {
      if (known.status === 503)
        logger.error("database unreachable", { path: pathOf(req), error: String(error) });
      else if (known.log)
        logger.info("request refused", { code: known.code, path: pathOf(req), ...known.log });
      if (res.headersSent) return void res.end();
      return sendError(res, known);
    }
    logger.error("request failed", {
      method: req.method,
      path: pathOf(req),
      error:
        error instanceof Error
          ? { name: error.name, message: error.message, stack: error.stack }
          : String(error),
    });
    if (res.headersSent) return void res.end();
    sendJson(res, 500, {
      error: { code: "internal", message: "Something went wrong on our side." },
    });
  };
}

/** Unknown API paths: a JSON 404. */
export const apiNotFound: RequestHandler = (_req, _res, next) => {
  next(notFound("not_found", "No such endpoint."));
};

/** Unknown paths outside the API: plain text. */
export const pageNotFound: RequestHandler = (_req, res) => {
  res.statusCode = 404;
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.end("Not found");
};

/** The request's path under Hearth's mount, without its query. */
function pathOf(req: Request): string {
  const url = req.originalUrl ?? req.url;
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}
