/** Members for load generation: host tokens signed with the bench secret, exchanged for sessions. */
import * as jose from "jose";
import type { HttpClient } from "./http.ts";
import { BENCH_SSO_SECRET } from "./server.ts";

export interface BenchMember {
  subject: string;
  name: string;
  /** Hearth session token, sent as `Authorization: Bearer`. */
  token: string;
}

const FIRST = [
  "Ada",
  "Bruno",
  "Chiara",
  "Dmitri",
  "Elif",
  "Farah",
  "Gustavo",
  "Hana",
  "Ivo",
  "Jun",
];
const LAST = ["Okafor", "Lindqvist", "Moreau", "Tanaka", "Novak", "Silva", "Haddad", "Kowalski"];

export function memberName(index: number): string {
  return `${FIRST[index % FIRST.length]} ${LAST[Math.floor(index / FIRST.length) % LAST.length]}`;
}

/** A host member token; with `email`, the member can be sent notification emails. */
export async function signHostToken(
  subject: string,
  name: string,
  email?: string,
): Promise<string> {
  return new jose.SignJWT({ name, roles: ["member"], ...(email ? { email } : {}) })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(subject)
    .setAudience("hearth")
    .setIssuedAt()
    .setExpirationTime("30m")
    .sign(new TextEncoder().encode(BENCH_SSO_SECRET));
}

/** Signs in `count` members (`bench-member-1`…) and returns their sessions. */
export async function openSessions(client: HttpClient, count: number): Promise<BenchMember[]> {
  const members: BenchMember[] = [];
  for (let i = 0; i < count; i++) {
    const subject = `bench-member-${i + 1}`;
    const name = memberName(i);
    const { session } = await client.json<{ session: { token: string } }>("POST", "/api/session", {
      body: { token: await signHostToken(subject, name) },
    });
    members.push({ subject, name, token: session.token });
  }
  return members;
}
