/**
 * Ghost members. Ghost signs a member's identity token with RS512 and publishes the public
 * keys at `<site>/members/.well-known/jwks.json`; issuer and audience are both
 * `<site>/members/api`. The widget fetches the token from `/members/api/session` on the
 * host page's own origin (Ghost's members cookie is first-party there).
 *
 * Ghost's identity token names the member by email (`sub`), with no name, tiers or stable id.
 * Ghost's entitlement token (`scope: members:entitlements:read`) carries the member's `uuid`,
 * `paid` and `active_tier_ids`; when a token has `member_uuid`, Hearth keys the member by it
 * and takes the tiers from it. Keyed by email, a member who changes their email in Ghost
 * arrives as a new Hearth member (see docs/platforms/ghost.md).
 *
 * With a Ghost Admin API key, the adapter looks the member up by email (through the same
 * guarded fetch, cached for a minute) and takes Ghost's stable `uuid`, name, avatar, status
 * and tiers from there, so members keep their Hearth identity when they change email.
 */
import * as jose from "jose";
import type { HostMember, IdentityAdapter, IdentityResult } from "../../server/plugins/identity.ts";
import { singleUse, stringList } from "./generic-jwt.ts";
import { createJwtVerifier } from "./jwt-verifier.ts";
import { createRemoteKeySet, keySetClock } from "./key-set.ts";

export interface GhostOptions {
  /** The Ghost site's URL, such as https://journal.example (no trailing slash). */
  siteUrl: string;
  /** Accept RSA keys under 2048 bits (Ghost sites created before 2023 may have one). */
  allowWeakRsa?: boolean | undefined;
  /** A Ghost Admin API key (`<id>:<hex secret>`) for names, tiers and stable ids. */
  adminApiKey?: string | undefined;
  /** The guarded outbound fetch. */
  fetch: (url: string, init?: { headers?: Record<string, string> }) => Promise<Response>;
  now?: () => Date;
}

/** A member as Ghost's Admin API describes it (the fields Hearth reads). */
interface GhostAdminMember {
  uuid?: unknown;
  name?: unknown;
  avatar_image?: unknown;
  status?: unknown;
  tiers?: { slug?: unknown }[];
}

type Lookup = { ok: true; member: GhostAdminMember | undefined } | { ok: false; message: string };

/** Looks members up by email in Ghost's Admin API, caching answers for a minute. */
function createAdminLookup(site: string, adminApiKey: string, options: GhostOptions) {
  const [id, secretHex] = adminApiKey.split(":");
  if (!id || !secretHex || !/^[0-9a-f]+$/i.test(secretHex)) {
    throw new Error("The Ghost Admin API key must look like <id>:<hex secret>");
  }
  const secret = Buffer.from(secretHex, "hex");
  const now = options.now ?? (() => new Date());
  const cache = new Map<string, { at: number; member: GhostAdminMember | undefined }>();

  return async (email: string): Promise<Lookup> => {
    const t = now().getTime();
    const hit = cache.get(email);
    if (hit && t - hit.at < 60_000) return { ok: true, member: hit.member };
    const iat = Math.floor(t / 1000);
    const token = await new jose.SignJWT({})
      .setProtectedHeader({ alg: "HS256", kid: id, typ: "JWT" })
      .setIssuedAt(iat)
      .setExpirationTime(iat + 300)
      .setAudience("/admin/")
      .sign(secret);
    const filter = encodeURIComponent(`email:'${email.replace(/'/g, "\\'")}'`);
    try {
      const res = await options.fetch(
        `${site}/ghost/api/admin/members/?filter=${filter}&limit=1&include=tiers`,
        { headers: { authorization: `Ghost ${token}`, "accept-version": "v5.0" } },
      );
      if (!res.ok) return { ok: false, message: `Ghost's Admin API answered ${res.status}.` };
      const body = (await res.json()) as { members?: GhostAdminMember[] };
      const member = body.members?.[0];
      cache.set(email, { at: t, member });
      if (cache.size > 10_000) cache.delete(cache.keys().next().value!);
      return { ok: true, member };
    } catch (error) {
      return {
        ok: false,
        message: `Ghost's Admin API could not be reached: ${error instanceof Error ? error.message : error}.`,
      };
    }
  };
}

const IDENTITY_SCOPE = "members:identity";
const ENTITLEMENT_SCOPE = "members:entitlements:read";

export function createGhostAdapter(options: GhostOptions): IdentityAdapter {
  const site = options.siteUrl.replace(/\/+$/, "");
  const issuer = `${site}/members/api`;
  const keySet = createRemoteKeySet({
    ...keySetClock(options.now),
    url: `${site}/members/.well-known/jwks.json`,
    fetch: options.fetch,
  });
  const verifier = createJwtVerifier({
    keySet,
    algorithms: ["RS512"],
    issuer,
    audience: issuer,
    allowWeakRsa: options.allowWeakRsa,
    ...(options.now ? { now: options.now } : {}),
  });
  const lookup = options.adminApiKey
    ? createAdminLookup(site, options.adminApiKey, options)
    : undefined;

  return {
    name: "ghost",
    async verify(token: string): Promise<IdentityResult> {
      const verified = await verifier.verify(token);
      if (!verified.ok) return verified;
      const { payload } = verified;
      const scope = payload.scope;
      if (scope !== undefined && scope !== IDENTITY_SCOPE && scope !== ENTITLEMENT_SCOPE) {
        return {
          ok: false,
          reason: "invalid",
          message: `A Ghost token with scope "${scope}" is not a member token.`,
        };
      }
      const email = typeof payload.sub === "string" ? payload.sub.trim().toLowerCase() : "";
      const uuid = typeof payload.member_uuid === "string" ? payload.member_uuid : undefined;
      if (!uuid && !email)
        return { ok: false, reason: "invalid", message: "The Ghost token names no member." };
      if (lookup && email) {
        const found = await lookup(email);
        if (!found.ok) return { ok: false, reason: "jwks_unreachable", message: found.message };
        if (!found.member || typeof found.member.uuid !== "string") {
          return { ok: false, reason: "invalid", message: "Ghost does not know this member." };
        }
        return {
          ok: true,
          member: fromAdminMember(
            issuer,
            email,
            found.member as GhostAdminMember & { uuid: string },
          ),
          singleUse: singleUse(payload),
        };
      }
      const tiers = stringList(payload.active_tier_ids).slice(0, 49);
      if (payload.paid === true) tiers.push("paid");
      return {
        ok: true,
        member: {
          issuer,
          subject: uuid ? `uuid:${uuid}` : `email:${email}`,
          name:
            typeof payload.name === "string" && payload.name
              ? payload.name.slice(0, 100)
              : "Member",
          email: email || undefined,
          avatar: undefined,
          roles: ["member"],
          tiers,
          locale: undefined,
        },
        singleUse: singleUse(payload),
      };
    },
  };
}

/** The member from Ghost's Admin API: stable uuid, name, avatar, tier slugs and `paid`. */
function fromAdminMember(
  issuer: string,
  email: string,
  member: GhostAdminMember & { uuid: string },
): HostMember {
  const tiers = (member.tiers ?? [])
    .map((tier) => tier.slug)
    .filter((slug): slug is string => typeof slug === "string" && slug.length > 0)
    .slice(0, 49);
  if (member.status === "paid" || member.status === "comped") tiers.push("paid");
  return {
    issuer,
    subject: `uuid:${member.uuid}`,
    name:
      typeof member.name === "string" && member.name.trim()
        ? member.name.trim().slice(0, 100)
        : "Member",
    email,
    avatar: typeof member.avatar_image === "string" ? member.avatar_image : undefined,
    roles: ["member"],
    tiers,
    locale: undefined,
  };
}
