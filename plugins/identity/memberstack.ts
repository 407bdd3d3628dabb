/**
 * Memberstack members. Memberstack 2.0 signs member tokens with RS256; the keys are published
 * as a JWKS, the issuer is `https://api.memberstack.com` and the audience is the app id
 * (`app_…`). The member's stable key is its id (`mem_…`). A single-page host hands the token
 * to the widget through its token getter (`el.getToken = () => …`).
 *
 * Memberstack's token carries the member id only: no name, email or plans. With the app's
 * secret key, the adapter reads the member from Memberstack's Admin REST API (cached for a
 * minute): email, name (custom fields `name`, or `first-name` and `last-name`), profile
 * image, and the plan ids of ACTIVE plan connections as tiers. Without it, members appear as
 * "Member" and without tiers.
 */
import type { IdentityAdapter, IdentityResult } from "../../server/plugins/identity.ts";
import { stringList } from "./generic-jwt.ts";
import { createJwtVerifier } from "./jwt-verifier.ts";
import { createRemoteKeySet, keySetClock } from "./key-set.ts";

export const MEMBERSTACK_JWKS_URL = "https://auth.memberstack.com/jwks";
export const MEMBERSTACK_ISSUER = "https://api.memberstack.com";
export const MEMBERSTACK_ADMIN_URL = "https://admin.memberstack.com";

export interface MemberstackOptions {
  /** The Memberstack app id, `app_…`: the tokens' audience. */
  appId: string;
  /** Where Memberstack publishes its keys; defaults to MEMBERSTACK_JWKS_URL. */
  jwksUrl?: string | undefined;
  /** Expected issuer; defaults to MEMBERSTACK_ISSUER. */
  issuer?: string | undefined;
  /** The app's secret key (`sk_…`), for names, emails and plans from the Admin REST API. */
  secretKey?: string | undefined;
  /** Base URL of the Admin REST API; defaults to MEMBERSTACK_ADMIN_URL. */
  adminUrl?: string | undefined;
  fetch: (url: string, init?: { headers?: Record<string, string> }) => Promise<Response>;
  now?: () => Date;
}

interface MemberstackAdminMember {
  auth?: { email?: unknown };
  customFields?: Record<string, unknown>;
  profileImage?: unknown;
  planConnections?: { planId?: unknown; status?: unknown }[];
}

type AdminLookup = { ok: true; member: MemberstackAdminMember } | { ok: false; message: string };

function createAdminLookup(options: MemberstackOptions & { secretKey: string }) {
  const base = (options.adminUrl ?? MEMBERSTACK_ADMIN_URL).replace(/\/+$/, "");
  const now = options.now ?? (() => new Date());
  const cache = new Map<string, { at: number; member: MemberstackAdminMember }>();
  return async (id: string): Promise<AdminLookup> => {
    const t = now().getTime();
    const hit = cache.get(id);
    if (hit && t - hit.at < 60_000) return { ok: true, member: hit.member };
    try {
      const res = await options.fetch(`${base}/members/${encodeURIComponent(id)}`, {
        headers: { "x-api-key": options.secretKey },
      });
      if (!res.ok) return { ok: false, message: `Memberstack's Admin API answered ${res.status}.` };
      const body = (await res.json()) as { data?: MemberstackAdminMember };
      if (!body.data) return { ok: false, message: "Memberstack's Admin API sent no member." };
      cache.set(id, { at: t, member: body.data });
      if (cache.size > 10_000) cache.delete(cache.keys().next().value!);
      return { ok: true, member: body.data };
    } catch (error) {
      return {
        ok: false,
        message: `Memberstack's Admin API could not be reached: ${error instanceof Error ? error.message : error}.`,
      };
    }
  };
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
}

/** Name, email, picture and active plans of a member from the Admin REST API. */
function profileFrom(member: MemberstackAdminMember) {
  const fields = member.customFields ?? {};
  const fullName = [text(fields["first-name"]), text(fields["last-name"])]
    .filter(Boolean)
    .join(" ");
  return {
    name: (text(fields.name) ?? (fullName || "Member")).slice(0, 100),
    email: text(member.auth?.email),
    avatar: text(member.profileImage),
    tiers: (member.planConnections ?? [])
      .filter((plan) => plan.status === "ACTIVE" && typeof plan.planId === "string")
      .map((plan) => plan.planId as string)
      .slice(0, 50),
  };
}

export function createMemberstackAdapter(options: MemberstackOptions): IdentityAdapter {
  const issuer = options.issuer ?? MEMBERSTACK_ISSUER;
  const verifier = createJwtVerifier({
    keySet: createRemoteKeySet({
      ...keySetClock(options.now),
      url: options.jwksUrl ?? MEMBERSTACK_JWKS_URL,
      fetch: options.fetch,
    }),
    algorithms: ["RS256"],
    issuer,
    audience: options.appId,
    ...(options.now ? { now: options.now } : {}),
  });
  const lookup = options.secretKey
    ? createAdminLookup({ ...options, secretKey: options.secretKey })
    : undefined;
  return {
    name: "memberstack",
    async verify(token: string): Promise<IdentityResult> {
      const verified = await verifier.verify(token);
      if (!verified.ok) return verified;
      const { payload } = verified;
      const id = typeof payload.id === "string" ? payload.id : payload.sub;
      if (!id || id.length > 200)
        return {
          ok: false,
          reason: "invalid",
          message: "The Memberstack token names no member id.",
        };
      if (payload.type !== undefined && payload.type !== "member")
        return {
          ok: false,
          reason: "invalid",
          message: "The Memberstack token is not a member token.",
        };
      if (lookup) {
        const found = await lookup(id);
        if (!found.ok) return { ok: false, reason: "jwks_unreachable", message: found.message };
        return {
          ok: true,
          member: {
            issuer,
            subject: id,
            roles: ["member"],
            locale: undefined,
            ...profileFrom(found.member),
          },
        };
      }
      return {
        ok: true,
        member: {
          issuer,
          subject: id,
          name:
            typeof payload.name === "string" && payload.name
              ? payload.name.slice(0, 100)
              : "Member",
          email: typeof payload.email === "string" ? payload.email : undefined,
          avatar: undefined,
          roles: ["member"],
          tiers: stringList(payload.plans).slice(0, 50),
          locale: undefined,
        },
      };
    },
  };
}
