/**
 * Builds the identity adapter the configuration names, with the guarded outbound fetch for
 * key sets. Adapters live in plugins/identity/; this is the only place that picks one.
 */
import { createGenericJwtAdapter } from "../plugins/identity/generic-jwt.ts";
import { createGhostAdapter } from "../plugins/identity/ghost.ts";
import { createMemberstackAdapter } from "../plugins/identity/memberstack.ts";
import { createOutsetaAdapter } from "../plugins/identity/outseta.ts";
import type { Config } from "./config.ts";
import { createOutboundFetch } from "./net/outbound.ts";
import type { IdentityAdapter } from "./plugins/identity.ts";

export function createIdentityAdapter(config: Config, now?: () => Date): IdentityAdapter {
  const outbound = createOutboundFetch({
    httpsOnly: config.production,
    allowPrivateHosts: config.outbound.allowPrivateHosts,
    timeoutMs: config.outbound.timeoutMs,
    maxBytes: 256 * 1024,
  });
  const fetch = (url: string, init?: { headers?: Record<string, string> }) =>
    outbound(url, { headers: { accept: "application/json", ...init?.headers } });
  const clock = now ? { now } : {};
  const { identity, sso } = config;
  switch (identity.adapter) {
    case "generic-jwt":
      if (!sso.secret && identity.secrets.length === 0 && !sso.jwksUrl) return refuseMemberTokens();
      return createGenericJwtAdapter({
        secret: sso.secret,
        secrets: identity.secrets,
        jwksUrl: sso.jwksUrl,
        issuer: sso.issuer,
        audience: sso.audience,
        claims: identity.claims,
        trustRoles: identity.trustRoles,
        allowWeakRsa: identity.allowWeakKeys,
        fetch,
        ...clock,
      });
    case "ghost":
      return createGhostAdapter({
        siteUrl: identity.ghostUrl!,
        adminApiKey: identity.ghostAdminApiKey,
        allowWeakRsa: identity.allowWeakKeys,
        fetch,
        ...clock,
      });
    case "memberstack":
      return createMemberstackAdapter({
        appId: identity.memberstackAppId!,
        secretKey: identity.memberstackSecretKey,
        jwksUrl: sso.jwksUrl,
        fetch,
        ...clock,
      });
    case "outseta":
      return createOutsetaAdapter({
        domain: identity.outsetaDomain!,
        jwksUrl: sso.jwksUrl,
        fetch,
        ...clock,
      });
  }
}

/**
 * The adapter of a Hearth whose members come from the host's own session (`getMember`) and
 * that has no member-token settings: it accepts no member token (401 `token_invalid`).
 * `loadConfig` leaves the secret unset only in that case.
 */
function refuseMemberTokens(): IdentityAdapter {
  return {
    name: "host-session",
    async verify() {
      return {
        ok: false,
        reason: "invalid",
        message:
          "This server takes members from the host site's session and accepts no member tokens; set HEARTH_SSO_SECRET or HEARTH_SSO_JWKS_URL to accept them.",
      };
    },
  };
}
