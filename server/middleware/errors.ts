/**
 * The last middleware: every error becomes `{ error: { code, message, details? } }` with
 * its status. Unknown errors are logged with their cause and reach the client as a bare 500.
 */
import type { ErrorRequestHandler, RequestHandler } from "express";
import { ZodError } from "zod";
import { HearthError, notFound, tooLarge } from "../errors.ts";
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

function normalise(error: unknown): HearthError | undefined {
  if (error instanceof HearthError) return error;
  if (error instanceof ZodError) return fromZod(error);
  const type = (error as { type?: string } | null)?.type;
  if (type === "entity.too.large") return tooLarge((error as { limit: number }).limit);
  if (type === "entity.parse.failed") {
    return new HearthError(400, "invalid_json", "The request body is not valid JSON.");
  }
  if (type && (error as { status?: number }).status === 415) {
    return new HearthError(400, "validation_failed", "Send the body as application/json.");
  }
  if (type && typeof (error as { status?: number }).status === "number") {
    const status = (error as { status: number }).status;
    if (status >= 400 && status < 500)
      return new HearthError(400, "validation_failed", "The request is not valid.");
  }
  return undefined;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const known = normalise(error);
    if (known) {
      if (known.log)
        logger.info("request refused", { code: known.code, path: req.path, ...known.log });
      if (known.headers) res.set(known.headers);
      res.status(known.status).json({
        error: {
          code: known.code,
          message: known.message,
          ...(known.details ? { details: known.details } : {}),
        },
      });
      return;
    }
    logger.error("request failed", {
      method: req.method,
      path: req.path,
      error:
        error instanceof Error
          ? { name: error.name, message: error.message, stack: error.stack }
          : String(error),
    });
    if (res.headersSent) return;
    res
      .status(500)
      .json({ error: { code: "internal", message: "Something went wrong on our side." } });
  };
}

export const apiNotFound: RequestHandler = (_req, _res, next) => {
  next(notFound("not_found", "No such endpoint."));
};
