/**
 * Writes JSON replies straight to the response: the API's replies need no content
 * negotiation, ETag or freshness check, which Express's `res.json` computes on every call.
 */
import type { ServerResponse } from "node:http";

const JSON_TYPE = "application/json; charset=utf-8";

/** Sends `text`, already JSON, with `status`. */
export function sendJsonText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader("Content-Type", JSON_TYPE);
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(text);
}

/** Sends `value` as JSON with `status`. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  sendJsonText(res, status, JSON.stringify(value) ?? "null");
}
