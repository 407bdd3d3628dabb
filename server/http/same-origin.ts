/**
 * Whether a browser request comes from a page of the site Hearth is served on. A request
 * that signs in with the host's own cookies must: a foreign page must not obtain a session
 * with them. Browsers send `Sec-Fetch-Site`, and `Origin` on every POST; a client that is
 * not a browser sends neither and carries no browser cookies.
 */
import type { Request } from "express";

export function isCrossSite(req: Request, publicOrigin: string): boolean {
  const site = req.headers["sec-fetch-site"];
  if (typeof site === "string") return site !== "same-origin" && site !== "none";
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  if (origin === publicOrigin) return false;
  const host = req.headers.host;
  return !(host && origin === `${req.protocol}://${host}`);
}
