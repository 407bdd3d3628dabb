import { and, arrayOverlaps, asc, eq, inArray, ne, sql } from "drizzle-orm";
import type { DbLike } from "../client.ts";
import {
  type GrantedRole,
  type Member,
  type MemberModeration,
  memberModeration,
  members,
  type NewMember,
  REMOTE_ISSUER,
  roleGrants,
} from "../schema.ts";
import { preparedPerDatabase } from "./prepared.ts";

export type MemberProfile = Pick<
  NewMember,
  "name" | "email" | "avatar" | "locale" | "roles" | "tiers"
>;

export async function findMemberById(db: DbLike, id: string): Promise<Member | undefined> {
  const [row] = await memberByIdQuery(db).execute({ id });
  return row;
}

/** Posting reads the author this way whenever this process's copy has expired. */
const memberByIdQuery = preparedPerDatabase((db) =>
  db
    .select()
    .from(members)
    .where(eq(members.id, sql.placeholder("id")))
    .prepare("member_by_id"),
);

export async function findMemberByIssuerSubject(
  db: DbLike,
  issuer: string,
  subject: string,
): Promise<Member | undefined> {
  const [row] = await db
    .select()
    .from(members)
    .where(and(eq(members.issuer, issuer), eq(members.subject, subject)));
  return row;
}

/**
 * Members of the host site (not authors from the Fediverse) with these host member ids,
 * oldest first; erased accounts no longer carry their id. One id may have several rows when
 * tokens came with different issuers.
 */
export async function selectHostMembersBySubjects(
  db: DbLike,
  subjects: readonly string[],
): Promise<Member[]> {
  if (subjects.length === 0) return [];
  return db
    .select()
    .from(members)
    .where(and(inArray(members.subject, [...subjects]), ne(members.issuer, REMOTE_ISSUER)))
    .orderBy(asc(members.createdAt), asc(members.id));
}

/** Members whose last member token carried `moderator` or `admin` (trusted token roles). */
export async function selectMembersWithTokenRoles(db: DbLike): Promise<Member[]> {
  return db
    .select()
    .from(members)
    .where(
      and(
        arrayOverlaps(members.roles, ["moderator", "admin"]),
        ne(members.issuer, REMOTE_ISSUER),
        ne(members.status, "erased"),
      ),
    )
    .orderBy(asc(members.createdAt), asc(members.id));
}

/** What a session exchange needs to know of a returning member, read in one statement. */
export interface MemberSessionState {
  member: Member;
  /** Roles an admin granted inside Hearth. */
  granted: GrantedRole[];
  moderation: MemberModeration | undefined;
}

/** The statement behind `findMemberSessionState`: it runs at every session exchange. */
const sessionStateQuery = preparedPerDatabase((db) =>
  db
    .select({
      member: members,
      moderation: memberModeration,
      granted: sql<
        GrantedRole[]
      >`coalesce((select array_agg(${roleGrants.role} order by ${roleGrants.role})
        from ${roleGrants} where ${roleGrants.memberId} = ${members.id}), '{}')`,
    })
    .from(members)
    .leftJoin(memberModeration, eq(memberModeration.memberId, members.id))
    .where(
      and(
        eq(members.issuer, sql.placeholder("issuer")),
        eq(members.subject, sql.placeholder("subject")),
      ),
    )
    .prepare("member_session_state"),
);

export async function findMemberSessionState(
  db: DbLike,
  issuer: string,
  subject: string,
): Promise<MemberSessionState | undefined> {
  const [row] = await sessionStateQuery(db).execute({ issuer, subject });
  if (!row) return undefined;
  return { member: row.member, granted: row.granted, moderation: row.moderation ?? undefined };
}

/** Updates the profile of the member known by issuer and subject; undefined when new. */
export async function updateMemberProfile(
  db: DbLike,
  issuer: string,
  subject: string,
  profile: MemberProfile,
): Promise<Member | undefined> {
  const [row] = await db
    .update(members)
    .set({ ...profile, updatedAt: sql`now()` })
    .where(and(eq(members.issuer, issuer), eq(members.subject, subject)))
    .returning();
  return row;
}

/**
 * Inserts a member; returns undefined when the handle is taken (the caller tries another).
 * A concurrent insert of the same issuer and subject yields the existing row.
 */
export async function insertMember(db: DbLike, member: NewMember): Promise<Member | undefined> {
  const [row] = await db.insert(members).values(member).onConflictDoNothing().returning();
  if (row) return row;
  const [existing] = await db
    .select()
    .from(members)
    .where(and(eq(members.issuer, member.issuer), eq(members.subject, member.subject)));
  return existing;
}
