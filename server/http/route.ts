/**
 * One declaration per route: the method and path, who may call it, and zod schemas for its
 * params, query and body, side by side. The handler receives typed, validated values and the
 * caller's session as its access rule guarantees it; what it returns is sent as JSON.
 *
 * Failures are thrown, never sent here: the error middleware (middleware/errors.ts) writes
 * every error reply. A param that does not parse is the route's `notFound` (a path naming
 * something that cannot exist is an unknown resource); a query or body that does not parse
 * is 400 `validation_failed` naming the field.
 */
import type { NextFunction, Request, Response, Router } from "express";
import type { z } from "zod";
import type { AppContext } from "../context.ts";
import { forbidden, type HearthError, notFound, unauthenticated } from "../errors.ts";
import { hasApiKey } from "../middleware/api-key.ts";
import { optionalSession, requireSession } from "../middleware/auth.ts";
import { refuseUnstorableText } from "../middleware/storable-text.ts";
import { isAdmin, isModerator, type Session } from "../services/sessions.ts";
import { sendJson, sendJsonText } from "./reply.ts";

/**
 * Who may call a route:
 * - `anyone`: no session needed; a session sent is verified (a bad one is still 401).
 * - `member`: a session (401 without).
 * - `moderator`, `admin`: a session with the role (401 without a session, 403 without the role).
 * - `admin-or-api-key`: the host's `HEARTH_API_KEY` as Bearer, or an admin session.
 * - `api-key`: the host's `HEARTH_API_KEY` as Bearer only.
 */
export type Access = "anyone" | "member" | "moderator" | "admin" | "admin-or-api-key" | "api-key";

/** The session each access rule hands the handler. */
type SessionFor<A extends Access> = A extends "anyone" | "admin-or-api-key"
  ? Session | undefined
  : A extends "api-key"
    ? undefined
    : Session;

type Method = "get" | "post" | "put" | "patch" | "delete";

// biome-ignore lint/suspicious/noExplicitAny: schemas of any input shape
type Schema = z.ZodType<any, any>;
type Out<S> = S extends z.ZodType<infer O> ? O : undefined;

export interface RouteInput<A extends Access, P, Q, B> {
  params: P;
  query: Q;
  body: B;
  session: SessionFor<A>;
  req: Request;
  res: Response;
}

/** A reply other than 200 with the returned value as JSON. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
    readonly headers?: Readonly<Record<string, string>>,
  ) {}
}

/** A JSON text already written (a thread page), sent as it is. */
export class JsonText {
  constructor(readonly text: string) {}
}

/** Returned by a handler that has written the response itself (the notification stream). */
export const HANDLED: unique symbol = Symbol("handled");

export interface RouteSpec<
  A extends Access,
  PS extends Schema | undefined,
  QS extends Schema | undefined,
  BS extends Schema | undefined,
> {
  method: Method;
  path: string;
  access: A;
  params?: PS;
  query?: QS;
  body?: BS;
  /** The error for params that do not parse (default: 404 `not_found`). */
  badParams?: () => HearthError;
  /** What the API-key or admin rule says to a caller with neither. */
  forbidden?: string;
  handler(
    input: RouteInput<A, Out<PS>, Out<QS>, Out<BS>>,
  ): Promise<unknown> | unknown | typeof HANDLED;
}

const unknownResource = () => notFound("not_found", "No such endpoint.");

async function sessionFor(
  ctx: AppContext,
  access: Access,
  req: Request,
  refusal: string | undefined,
): Promise<Session | undefined> {
  switch (access) {
    case "anyone":
      return optionalSession(ctx, req);
    case "member":
      return requireSession(ctx, req);
    case "moderator": {
      const session = await requireSession(ctx, req);
      if (!isModerator(session)) throw forbidden("forbidden", "This is for moderators.");
      return session;
    }
    case "admin": {
      const session = await requireSession(ctx, req);
      if (!isAdmin(session)) throw forbidden("forbidden", "This is for admins.");
      return session;
    }
    case "admin-or-api-key": {
      if (hasApiKey(ctx, req)) return undefined;
      const session = await requireSession(ctx, req).catch(() => {
        throw unauthenticated("unauthenticated", "Send the host's API key or an admin session.");
      });
      if (!isAdmin(session)) throw forbidden("forbidden", refusal ?? "This is for admins.");
      return session;
    }
    case "api-key":
      if (!hasApiKey(ctx, req))
        throw unauthenticated(
          "unauthenticated",
          "Send the host's API key as Authorization: Bearer.",
        );
      return undefined;
  }
}

/**
 * Where routes are registered: a router, or a router and a path prefix (the API's `/api`),
 * so the API's routes sit in the same router as the rest instead of one nested in it: each
 * router a request passes through costs it a dispatch.
 */
export type RouteTarget = Router | { router: Router; prefix: string };

/** Registers one declared route on `target`. */
export function route<
  A extends Access,
  PS extends Schema | undefined = undefined,
  QS extends Schema | undefined = undefined,
  BS extends Schema | undefined = undefined,
>(target: RouteTarget, ctx: AppContext, spec: RouteSpec<A, PS, QS, BS>): void {
  const [router, prefix] = "prefix" in target ? [target.router, target.prefix] : [target, ""];
  const { params: paramsSchema, query: querySchema, body: bodySchema } = spec;
  const missing = spec.badParams ?? unknownResource;
  const handle = async (req: Request, res: Response) => {
    refuseUnstorableText(req);
    const session = await sessionFor(ctx, spec.access, req, spec.forbidden);
    let params: unknown;
    if (paramsSchema) {
      const parsed = paramsSchema.safeParse(req.params);
      if (!parsed.success) throw missing();
      params = parsed.data;
    }
    const query = querySchema ? querySchema.parse(req.query) : undefined;
    const body = bodySchema ? bodySchema.parse(req.body ?? {}) : undefined;
    const result = await spec.handler({
      params,
      query,
      body,
      session,
      req,
      res,
    } as RouteInput<A, Out<PS>, Out<QS>, Out<BS>>);
    if (result === HANDLED) return;
    if (result instanceof JsonText) return sendJsonText(res, 200, result.text);
    if (result instanceof Reply) {
      if (result.headers) for (const [k, v] of Object.entries(result.headers)) res.setHeader(k, v);
      if (result.body === undefined) {
        res.statusCode = result.status;
        res.end();
      } else sendJson(res, result.status, result.body);
      return;
    }
    sendJson(res, 200, result);
  };
  router[spec.method](prefix + spec.path, (req: Request, res: Response, next: NextFunction) => {
    handle(req, res).catch(next);
  });
}
