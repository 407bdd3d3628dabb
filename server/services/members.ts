/**
 * Members as Hearth knows them: created or refreshed from the host's token at each
 * session exchange, with a unique handle derived from their name.
 */
import type { DbLike } from "../../db/client.ts";
import {
  findMemberByIssuerSubject,
  insertMember,
  type MemberProfile,
  updateMemberProfile,
} from "../../db/queries/members.ts";
import type { Member } from "../../db/schema.ts";
import type { HostMember } from "../plugins/identity.ts";
import { storable } from "./storable-text.ts";

/** `Anna Müller` → `anna-muller`; at most 30 characters, never empty. */
export function handleFromName(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 30)
    .replace(/-+$/, "");
  return base || "member";
}

/** The profile the host's token states, without characters the database cannot hold. */
function profileOf(host: HostMember): Required<MemberProfile> {
  const optional = (text: string | undefined) => (text === undefined ? null : storable(text));
  return {
    name: storable(host.name),
    email: optional(host.email),
    avatar: optional(host.avatar),
    locale: optional(host.locale),
    roles: host.roles,
    tiers: host.tiers.map(storable),
  };
}

/** Whether the host's token says nothing new about a member Hearth has stored. */
export function profileUnchanged(member: Member, host: HostMember): boolean {
  return sameProfile(member, profileOf(host));
}

function sameProfile(member: Member, profile: Required<MemberProfile>): boolean {
  const sameList = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((value, i) => value === b[i]);
  return (
    member.name === profile.name &&
    member.email === profile.email &&
    member.avatar === profile.avatar &&
    member.locale === profile.locale &&
    sameList(member.roles, profile.roles) &&
    sameList(member.tiers, profile.tiers)
  );
}

/**
 * Creates the member on their first sign-in, refreshes their profile when the host's token
 * says something new, and otherwise only reads: most sign-ins write nothing.
 */
export async function upsertHostMember(
  db: DbLike,
  host: HostMember,
  /** The member as already read by issuer and subject (null: not there); read when absent. */
  read?: Member | null,
): Promise<Member> {
  const profile = profileOf(host);
  const known =
    read === undefined ? await findMemberByIssuerSubject(db, host.issuer, host.subject) : read;
  if (known && sameProfile(known, profile)) return known;
  const updated = await updateMemberProfile(db, host.issuer, host.subject, profile);
  if (updated) return updated;
  const base = handleFromName(host.name);
  for (let attempt = 0; attempt < 20; attempt++) {
    const suffix =
      attempt === 0 ? "" : attempt < 10 ? `${attempt + 1}` : Math.random().toString(36).slice(2, 7);
    const handle = `${base}${suffix ? `-${suffix}` : ""}`;
    const member = await insertMember(db, {
      issuer: host.issuer,
      subject: host.subject,
      handle,
      ...profile,
    });
    if (member) return member;
  }
  throw new Error(`no free handle for ${base}`);
}
