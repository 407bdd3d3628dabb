/**
 * Outseta members. Outseta signs access tokens with RS256 and publishes the keys at
 * `https://<domain>/.well-known/jwks`; `aud` is the Outseta domain and `iss` is the domain
 * with `http://` or `https://`. The member's stable key is the person uid (`sub`); tiers
 * are the plan uid and add-on uids. A single-page host hands the token to the widget
 * through its token getter (`Outseta.getAccessToken()`).
 */
import type { IdentityAdapter, IdentityResult } from "../../server/plugins/identity.ts";
import { stringList } from "./generic-jwt.ts";
import { createJwtVerifier } from "./jwt-verifier.ts";
import { createRemoteKeySet, keySetClock } from "./key-set.ts";

export interface OutsetaOptions {
  /** The Outseta domain, such as `journal.outseta.com`. */
  domain: string;
  /** Key set URL; defaults to `https://<domain>/.well-known/jwks`. */
  jwksUrl?: string | undefined;
  fetch: (url: string) => Promise<Response>;
  now?: () => Date;
}

export function createOutsetaAdapter(options: OutsetaOptions): IdentityAdapter {
  const domain = options.domain.toLowerCase();
  const issuers = [`https://${domain}`, `http://${domain}`];
  const verifier = createJwtVerifier({
    keySet: createRemoteKeySet({
      ...keySetClock(options.now),
      url: options.jwksUrl ?? `https://${domain}/.well-known/jwks`,
      fetch: options.fetch,
    }),
    algorithms: ["RS256"],
    issuer: issuers,
    audience: domain,
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    name: "outseta",
    async verify(token: string): Promise<IdentityResult> {
      const verified = await verifier.verify(token);
      if (!verified.ok) return verified;
      const { payload } = verified;
      if (!payload.sub || payload.sub.length > 200)
        return { ok: false, reason: "invalid", message: "The Outseta token names no person." };
      const plan =
        typeof payload["outseta:planUid"] === "string" ? [payload["outseta:planUid"]] : [];
      const name =
        typeof payload.name === "string" && payload.name.trim() ? payload.name.trim() : "Member";
      return {
        ok: true,
        member: {
          issuer: `https://${domain}`,
          subject: payload.sub,
          name: name.slice(0, 100),
          email: typeof payload.email === "string" ? payload.email : undefined,
          avatar: undefined,
          roles: ["member"],
          tiers: [...plan, ...stringList(payload["outseta:addOnUids"])].slice(0, 50),
          locale: undefined,
        },
      };
    },
  };
}
