/**
 * The one error type services throw. `message` and `details` reach the client; `log`
 * never does. Routes do not catch: the error middleware turns a `HearthError` into
 * `{ error: { code, message, details? } }` with its status.
 */

export type ErrorCode =
  | "invalid_json"
  | "validation_failed"
  | "invalid_thread_key"
  | "unauthenticated"
  | "token_invalid"
  | "token_expired"
  | "forbidden"
  | "edit_window_closed"
  | "thread_locked"
  | "banned"
  | "tier_required"
  | "not_found"
  | "thread_not_found"
  | "comment_not_found"
  | "conflict"
  | "payload_too_large"
  | "comment_empty"
  | "comment_too_long"
  | "invalid_parent"
  | "invalid_reaction"
  | "invalid_settings"
  | "rate_limited"
  | "internal"
  | "unavailable"
  | "request_timeout"
  | "headers_too_large"
  | "cross_site"
  // moderation and screening
  | "comment_rejected"
  | "signup_blocked"
  | "invalid_filter"
  | "unsafe_filter"
  // identity: what the site owner fixes when a member token is refused
  | "unknown_key"
  | "jwks_unreachable"
  | "weak_key"
  | "issuer_mismatch"
  | "token_replayed"
  // notifications
  | "invalid_preferences"
  | "ticket_invalid"
  | "ticket_expired";

export class HearthError extends Error {
  override name = "HearthError";
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Private context for the server log; never sent to the client. */
    readonly log?: Record<string, unknown>,
    /** Extra response headers, such as Retry-After. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (code: ErrorCode, message: string, details?: Record<string, unknown>) =>
  new HearthError(400, code, message, details);

export const unauthenticated = (
  code:
    | "unauthenticated"
    | "token_invalid"
    | "token_expired"
    | "unknown_key"
    | "jwks_unreachable"
    | "weak_key"
    | "issuer_mismatch"
    | "token_replayed"
    | "ticket_invalid"
    | "ticket_expired",
  message: string,
  log?: Record<string, unknown>,
) => new HearthError(401, code, message, undefined, log);

export const forbidden = (code: ErrorCode = "forbidden", message = "You may not do that.") =>
  new HearthError(403, code, message);

export const notFound = (code: ErrorCode = "not_found", message = "Not found.") =>
  new HearthError(404, code, message);

export const unprocessable = (
  code: ErrorCode,
  message: string,
  details?: Record<string, unknown>,
) => new HearthError(422, code, message, details);

export const tooLarge = (limitBytes: number) =>
  new HearthError(
    413,
    "payload_too_large",
    `The request body is larger than ${limitBytes} bytes.`,
    {
      limitBytes,
    },
  );

export const rateLimited = (retryAfterSeconds: number) =>
  new HearthError(
    429,
    "rate_limited",
    `Too many requests. Try again in ${retryAfterSeconds} seconds.`,
    { retryAfterSeconds },
    undefined,
    { "Retry-After": String(retryAfterSeconds) },
  );

/** The database cannot be reached: the client may try again shortly. */
export const unavailable = (retryAfterSeconds = 5) =>
  new HearthError(
    503,
    "unavailable",
    "The service is briefly unavailable. Try again in a few seconds.",
    { retryAfterSeconds },
    undefined,
    { "Retry-After": String(retryAfterSeconds) },
  );
