/**
 * Hands requests to Fedify from Express: WebFinger, NodeInfo, actors, inboxes, collections
 * and objects, translated to a fetch Request and back. What Fedify does not serve (or
 * serves only as ActivityPub JSON to a browser asking for HTML) falls through to the next
 * route. Fedify reads the raw body itself, so this runs before any body parser.
 */
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import type { Federation } from "@fedify/fedify";
import type { Response as ExpressResponse, RequestHandler } from "express";

/** The request as Fedify takes it, at its public URL: `origin` and the path as the client sent it. */
export function toFetchRequest(
  req: IncomingMessage & { originalUrl?: string },
  origin: URL,
): Request {
  const url = new URL(req.originalUrl ?? req.url ?? "/", origin);
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(key, item);
    else if (typeof value === "string") headers.append(key, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(url, {
    method: req.method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream, duplex: "half" } : {}),
  } as RequestInit);
}

/** Writes Fedify's answer to the Express response. */
export async function sendFetchResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, key) => {
    res.setHeader(key, value);
  });
  res.end(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
}

/** Only these reach Fedify; everything else (the API above all) never has its body touched. */
const FEDERATION_PATHS = /^\/(\.well-known\/(webfinger|nodeinfo|host-meta)|nodeinfo\/|ap\/)/;

/**
 * The middleware. `publicUrl` is Hearth's public URL: IRIs are built from it, not from the
 * Host header, so a proxy in front cannot change them.
 */
export function federationMiddleware<T>(
  federation: Federation<T>,
  publicUrl: string,
  contextData: T,
): RequestHandler {
  const origin = new URL(new URL(publicUrl).origin);
  return (req, res, next) => {
    if (!FEDERATION_PATHS.test(req.path)) return next();
    let fellThrough = false;
    federation
      .fetch(toFetchRequest(req, origin), {
        contextData,
        onNotFound: () => {
          fellThrough = true;
          return new Response("Not found", { status: 404 });
        },
        onNotAcceptable: () => {
          fellThrough = true;
          return new Response("Not acceptable", { status: 406 });
        },
      })
      .then((response) => (fellThrough ? next() : sendFetchResponse(res, response)))
      .catch(next);
  };
}
