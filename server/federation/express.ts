/**
 * Hands requests to Fedify from Express 5: WebFinger, NodeInfo, actors, inboxes,
 * collections and objects. What Fedify does not serve (or serves only as ActivityPub JSON
 * to a browser asking for HTML) falls through to the next route. Fedify reads the raw body
 * itself, so this runs before any body parser.
 */
import { Readable } from "node:stream";
import type { Federation } from "@fedify/fedify";
import type {
  Request as ExpressRequest,
  Response as ExpressResponse,
  RequestHandler,
} from "express";

function toFetchRequest(req: ExpressRequest, origin: URL): Request {
  const url = new URL(req.originalUrl, origin);
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

async function send(res: ExpressResponse, response: Response): Promise<void> {
  res.status(response.status);
  response.headers.forEach((value, key) => {
    res.setHeader(key, value);
  });
  if (!response.body) {
    res.end();
    return;
  }
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** Only these reach Fedify; everything else (the API above all) never has its body touched. */
const FEDERATION_PATHS = /^\/(\.well-known\/(webfinger|nodeinfo|host-meta)|nodeinfo\/|ap\/)/;

/**
 * The middleware. `origin` is the public URL: IRIs are built from it, not from the Host
 * header, so a proxy in front cannot change them.
 */
export function federationMiddleware<T>(
  federation: Federation<T>,
  origin: string,
  contextData: T,
): RequestHandler {
  const base = new URL(origin);
  return (req, res, next) => {
    if (!FEDERATION_PATHS.test(req.path)) {
      next();
      return;
    }
    let fellThrough = false;
    const request = toFetchRequest(req, base);
    federation
      .fetch(request, {
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
      .then(async (response) => {
        if (fellThrough) {
          next();
          return;
        }
        await send(res, response);
      })
      .catch(next);
  };
}
