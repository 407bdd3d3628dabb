/**
 * The error handler: every error becomes `{ error: { code, message, details? } }` with its
 * status. Unknown errors are logged with their cause and reach the client as a bare 500.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
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

/** What the HTTP framework refuses on its own (body too large, bad URL encoding …). */
function fromFramework(error: FastifyError, bodyLimitBytes: number): HearthError | undefined {
  if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") return tooLarge(bodyLimitBytes);
  if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE")
    return new HearthError(400, "validation_failed", "Send the body as application/json.");
  const status = error.statusCode;
  if (typeof error.code === "string" && error.code.startsWith("FST_") && status !== undefined) {
    if (status === 404) return notFound("not_found", "No such endpoint.");
    if (status >= 400 && status < 500)
      return new HearthError(400, "validation_failed", "The request is not valid.");
  }
  return undefined;
}

function normalise(error: unknown, bodyLimitBytes: number): HearthError | undefined {
  if (error instanceof HearthError) return error;
  if (error instanceof ZodError) return fromZod(error);
  if (error instanceof Error && "code" in error)
    return fromFramework(error as FastifyError, bodyLimitBytes);
  return undefined;
}

/** Sends a known error in the API's shape. */
export function sendError(reply: FastifyReply, error: HearthError): FastifyReply {
  if (error.headers) reply.headers(error.headers);
  return reply.code(error.status).send({
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
    },
  });
}

export function errorHandler(logger: Logger, bodyLimitBytes: number) {
  return (error: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const known = normalise(error, bodyLimitBytes);
    if (known) {
      if (known.log)
        logger.info("request refused", { code: known.code, path: pathOf(req), ...known.log });
      return sendError(reply, known);
    }
    logger.error("request failed", {
      method: req.method,
      path: pathOf(req),
      error:
        error instanceof Error
          ? { name: error.name, message: error.message, stack: error.stack }
          : String(error),
    });
    if (reply.sent || reply.raw.headersSent) return;
    return reply
      .code(500)
      .send({ error: { code: "internal", message: "Something went wrong on our side." } });
  };
}

/** Unknown paths outside the API (which answers in its JSON shape). */
export function notFoundHandler(_req: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).type("text/plain; charset=utf-8").send("Not found");
}

/** The request's path, without its query. */
function pathOf(req: FastifyRequest): string {
  const query = req.url.indexOf("?");
  return query === -1 ? req.url : req.url.slice(0, query);
}
