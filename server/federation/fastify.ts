/**
 * Hands requests to Fedify from Fastify: WebFinger, NodeInfo, actors, inboxes, collections
 * and objects. What Fedify does not serve (or serves only as ActivityPub JSON to a browser
 * asking for HTML) falls through to the routes. Fedify reads the raw body itself, so this
 * runs as an `onRequest` hook, before any body parser.
 */
import { Readable } from "node:stream";
import type { Federation } from "@fedify/fedify";
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from "fastify";

function toFetchRequest(req: FastifyRequest, origin: URL): Request {
  const url = new URL(req.url, origin);
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(key, item);
    else if (typeof value === "string") headers.append(key, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(url, {
    method: req.method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req.raw) as ReadableStream, duplex: "half" } : {}),
  } as RequestInit);
}

async function send(reply: FastifyReply, response: Response): Promise<void> {
  reply.code(response.status);
  response.headers.forEach((value, key) => {
    reply.header(key, value);
  });
  await reply.send(response.body ? Buffer.from(await response.arrayBuffer()) : undefined);
}

/** Only these reach Fedify; everything else (the API above all) never has its body touched. */
const FEDERATION_PATHS = /^\/(\.well-known\/(webfinger|nodeinfo|host-meta)|nodeinfo\/|ap\/)/;

/**
 * The hook. `origin` is the public URL: IRIs are built from it, not from the Host header,
 * so a proxy in front cannot change them.
 */
export function federationHook<T>(
  federation: Federation<T>,
  origin: string,
  contextData: T,
): onRequestAsyncHookHandler {
  const base = new URL(origin);
  return async (req, reply) => {
    if (!FEDERATION_PATHS.test(req.url)) return;
    let fellThrough = false;
    const response = await federation.fetch(toFetchRequest(req, base), {
      contextData,
      onNotFound: () => {
        fellThrough = true;
        return new Response("Not found", { status: 404 });
      },
      onNotAcceptable: () => {
        fellThrough = true;
        return new Response("Not acceptable", { status: 406 });
      },
    });
    if (fellThrough) return;
    await send(reply, response);
  };
}
