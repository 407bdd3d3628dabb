/**
 * API bodies: JSON objects and arrays (an empty body is no body); other content types are
 * read within the size limit and ignored, so a route sees no body rather than a string.
 * `__proto__` and `constructor.prototype` keys are dropped. Over the limit is 413; a body
 * that stalls is cut off by the server's request timeout (http/server-timeouts.ts).
 */
import type { RequestHandler } from "express";
import secureJson from "secure-json-parse";
import { HearthError, tooLarge } from "../errors.ts";
import { noteBodyText } from "../middleware/storable-text.ts";

const invalidJson = () =>
  new HearthError(400, "invalid_json", "The request body is not valid JSON.");

function isJson(type: string | undefined): boolean {
  if (!type) return false;
  const end = type.indexOf(";");
  const media = (end === -1 ? type : type.slice(0, end)).trim().toLowerCase();
  return media === "application/json";
}

function parse(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  if (trimmed[0] !== "{" && trimmed[0] !== "[") throw invalidJson();
  try {
    return secureJson.parse(trimmed, undefined, { protoAction: "remove" });
  } catch {
    throw invalidJson();
  }
}

const timedOut = () =>
  new HearthError(408, "request_timeout", "The request body took too long to arrive.");

/**
 * Reads the body of requests that may carry one into `req.body`. A client that stops
 * sending it for `timeoutMs` gets 408 and its connection is closed.
 */
export function jsonBody(limitBytes: number, timeoutMs: number): RequestHandler {
  return (req, res, next) => {
    const method = req.method;
    if (method === "GET" || method === "HEAD" || method === "OPTIONS") return next();
    const declared = req.headers["content-length"];
    if (declared === undefined && req.headers["transfer-encoding"] === undefined) return next();
    if (declared !== undefined && Number(declared) > limitBytes) return next(tooLarge(limitBytes));
    const json = isJson(req.headers["content-type"]);
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    const timer = setTimeout(() => {
      if (failed) return;
      failed = true;
      res.setHeader("Connection", "close");
      res.once("finish", () => req.socket.destroy());
      next(timedOut());
    }, timeoutMs);
    timer.unref();
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limitBytes) {
        failed = true;
        clearTimeout(timer);
        req.pause();
        next(tooLarge(limitBytes));
        return;
      }
      if (json) chunks.push(chunk);
    });
    req.on("error", (error) => {
      clearTimeout(timer);
      if (failed) return;
      failed = true;
      next(
        new HearthError(
          400,
          "validation_failed",
          "The request body could not be read.",
          undefined,
          { cause: String(error) },
        ),
      );
    });
    req.on("end", () => {
      clearTimeout(timer);
      if (failed) return;
      if (!json) return next();
      try {
        const text =
          chunks.length === 1
            ? chunks[0]!.toString("utf8")
            : Buffer.concat(chunks).toString("utf8");
        req.body = parse(text);
        noteBodyText(req, text);
      } catch (error) {
        return next(error);
      }
      next();
    });
  };
}
