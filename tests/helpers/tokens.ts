/** Host member tokens as a host site would sign them. */
import * as jose from "jose";

export const TEST_SSO_SECRET = "test-secret-for-hearth-member-tokens-0123456789";

export interface HostTokenOptions {
  sub?: string;
  name?: string;
  email?: string;
  locale?: string;
  roles?: string[];
  tiers?: string[];
  audience?: string;
  issuer?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  /** Seconds ago the token was issued. */
  issuedAgo?: number;
  secret?: string;
}

let counter = 0;

/** Signs an HS256 member token; every call without `sub` names a new member. */
export async function signHostToken(options: HostTokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const iat = now - (options.issuedAgo ?? 0);
  const jwt = new jose.SignJWT({
    name: options.name ?? "Test Member",
    ...(options.email ? { email: options.email } : {}),
    ...(options.locale ? { locale: options.locale } : {}),
    roles: options.roles ?? ["member"],
    ...(options.tiers ? { tiers: options.tiers } : {}),
  })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(
      options.sub ?? `member-${process.pid}-${++counter}-${Math.random().toString(36).slice(2)}`,
    )
    .setAudience(options.audience ?? "hearth")
    .setIssuedAt(iat)
    .setExpirationTime(now + (options.expiresIn ?? 600));
  if (options.issuer) jwt.setIssuer(options.issuer);
  return jwt.sign(new TextEncoder().encode(options.secret ?? TEST_SSO_SECRET));
}

/** An unsigned token (`alg: none`), which must always be refused. */
export function unsignedToken(sub = "mallory"): string {
  const now = Math.floor(Date.now() / 1000);
  return new jose.UnsecuredJWT({ name: "Mallory", roles: ["admin"] })
    .setSubject(sub)
    .setAudience("hearth")
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .encode();
}
