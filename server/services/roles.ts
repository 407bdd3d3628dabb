/**
 * Roles: what a member may do. A member's roles add up from three places: the roles their
 * last member token carried (kept only when the owner trusts token roles), the roles
 * granted inside Hearth (by an admin, or by the owner with `hearth admin grant`), and
 * `admin` for the host member ids the owner lists in `HEARTH_ADMINS`. `memberRoles` is the
 * one place that adds them up; a session carries the sum from its exchange on.
 *
 * Grants from the command line name the member by the host's id (the token's `sub`): one
 * for a member who has not signed in yet waits in `pending_role_grants` and becomes a
 * grant at their first sign-in. Every grant and revocation is audited and recorded as a
 * `member.moderated` event in the same transaction; the audit entry of one made from the
 * command line has no actor and `via: "command line"` in its `after`.
 */
import type { Tx } from "../../db/client.ts";
import {
  selectHostMembersBySubjects,
  selectMembersWithTokenRoles,
} from "../../db/queries/members.ts";
import {
  deleteGrant,
  deletePendingGrant,
  insertAudit,
  insertGrant,
  insertPendingGrant,
  selectAllGrants,
  selectAllPendingGrants,
  selectGrantedRoles,
  selectPendingRoles,
  selectRoleGrantState,
  takePendingRoles,
} from "../../db/queries/moderation.ts";
import { type GrantedRole, type Member, REMOTE_ISSUER } from "../../db/schema.ts";
import type { Config } from "../config.ts";
import type { AppContext } from "../context.ts";
import type { Role } from "../plugins/identity.ts";

/** What grants need of the context: the command line builds just this. */
export type GrantContext = Pick<AppContext, "database" | "events" | "config">;

/** Who grants or revokes: an admin's session, or the owner at the command line. */
export type GrantActor = { memberId: string } | "command line";

export const GRANTED_ROLES: readonly GrantedRole[] = ["moderator", "admin"];

/** Whether `HEARTH_ADMINS` names this member: a host member (not a Fediverse author) by id. */
export function isListedAdmin(
  config: Pick<Config, "admins">,
  member: Pick<Member, "issuer" | "subject">,
): boolean {
  return member.issuer !== REMOTE_ISSUER && config.admins.includes(member.subject);
}

/**
 * A member's roles: their token's (as stored at their last sign-in), the ones granted in
 * Hearth, and `admin` when `HEARTH_ADMINS` lists them. `member` comes first.
 */
export function memberRoles(
  config: Pick<Config, "admins">,
  member: Pick<Member, "issuer" | "subject" | "roles">,
  granted: readonly GrantedRole[],
): Role[] {
  const roles = new Set<Role>(["member", ...(member.roles as Role[]), ...granted]);
  if (isListedAdmin(config, member)) roles.add("admin");
  return [...roles];
}

/**
 * The roles granted to a member who has just been created at their first sign-in, with
 * the grants that waited for their host member id moved in first (audited and recorded
 * like the command line's other grants).
 */
export async function grantedAtFirstSignIn(
  ctx: GrantContext,
  member: Member,
): Promise<GrantedRole[]> {
  const state = await selectRoleGrantState(ctx.database.db, member.id);
  if (state.pending.length === 0 || member.issuer === REMOTE_ISSUER) return state.granted;
  return applyPendingGrants(ctx, member);
}

/** Moves the grants waiting for this member's host id into their grants; returns them all. */
async function applyPendingGrants(ctx: GrantContext, member: Member): Promise<GrantedRole[]> {
  const { granted, changed } = await ctx.database.db.transaction(async (tx) => {
    const waiting = await takePendingRoles(tx, member.subject);
    let changed = false;
    for (const role of waiting) {
      changed = (await recordGrant(tx, ctx, "command line", member, role, true)) || changed;
    }
    return { granted: await selectGrantedRoles(tx, member.id), changed };
  });
  if (changed) ctx.events.wake();
  return granted.sort();
}

/**
 * Grants or revokes a role of a member; it takes effect at the member's next session
 * exchange. Answers whether anything changed (doing it again changes and writes nothing).
 */
export async function changeGrant(
  ctx: GrantContext,
  actor: GrantActor,
  member: Member,
  role: GrantedRole,
  grant: boolean,
): Promise<boolean> {
  const changed = await ctx.database.db.transaction((tx) =>
    recordGrant(tx, ctx, actor, member, role, grant),
  );
  if (changed) ctx.events.wake();
  return changed;
}

/** The grant or revocation with its audit entry and event, inside the caller's transaction. */
async function recordGrant(
  tx: Tx,
  ctx: GrantContext,
  actor: GrantActor,
  member: Member,
  role: GrantedRole,
  grant: boolean,
): Promise<boolean> {
  const actorId = actor === "command line" ? null : actor.memberId;
  const before = await selectGrantedRoles(tx, member.id);
  const changed = grant
    ? await insertGrant(tx, { memberId: member.id, role, grantedBy: actorId })
    : await deleteGrant(tx, member.id, role);
  if (!changed) return false;
  const after = await selectGrantedRoles(tx, member.id);
  await insertAudit(tx, {
    actorId,
    action: grant ? "role.grant" : "role.revoke",
    targetType: "member",
    targetId: member.id,
    before: { grantedRoles: before.sort() },
    after: {
      grantedRoles: after.sort(),
      ...(actor === "command line" ? { via: "command line" } : {}),
    },
  });
  await ctx.events.record(tx, {
    type: "member.moderated",
    actorId,
    payload: { memberId: member.id, action: grant ? "grant_role" : "revoke_role", role },
  });
  return true;
}

/** A member as the command line reports them. */
export interface MemberLine {
  id: string;
  handle: string;
  name: string;
}

const memberLine = (member: Member): MemberLine => ({
  id: member.id,
  handle: member.handle,
  name: member.name,
});

/** What `hearth admin grant|revoke` did for one host member id. */
export type HostIdGrantResult =
  /** Members with this host id have signed in: each one's outcome and roles after it. */
  | { kind: "members"; members: { member: MemberLine; changed: boolean; roles: Role[] }[] }
  /** Nobody has signed in with this host id: the grant waits for (or was withdrawn from) them. */
  | { kind: "pending"; changed: boolean; roles: GrantedRole[] }
  /** A revocation for a host id nobody has signed in with and no grant waits for. */
  | { kind: "unknown" };

/**
 * Grants or revokes a role by the host's member id, from the command line. A member who
 * has not signed in yet gets the grant at their first sign-in; revoking for them withdraws
 * a grant that waits. Several member rows may share a host id (tokens from different
 * issuers): each gets the change.
 */
export async function setGrantByHostId(
  ctx: GrantContext,
  subject: string,
  role: GrantedRole,
  grant: boolean,
): Promise<HostIdGrantResult> {
  const db = ctx.database.db;
  const found = await selectHostMembersBySubjects(db, [subject]);
  if (found.length > 0) {
    const members = [];
    for (const member of found) {
      const changed = await changeGrant(ctx, "command line", member, role, grant);
      const roles = memberRoles(ctx.config, member, await selectGrantedRoles(db, member.id));
      members.push({ member: memberLine(member), changed, roles });
    }
    return { kind: "members", members };
  }
  if (!grant) {
    const changed = await deletePendingGrant(db, subject, role);
    if (!changed) return { kind: "unknown" };
    return { kind: "pending", changed, roles: await selectPendingRoles(db, subject) };
  }
  const changed = await insertPendingGrant(db, subject, role);
  // The member may have signed in meanwhile, past the moment their sign-in looked for it.
  const [arrived] = await selectHostMembersBySubjects(db, [subject]);
  if (arrived) {
    const granted = await applyPendingGrants(ctx, arrived);
    return {
      kind: "members",
      members: [
        {
          member: memberLine(arrived),
          changed,
          roles: memberRoles(ctx.config, arrived, granted),
        },
      ],
    };
  }
  return { kind: "pending", changed, roles: await selectPendingRoles(db, subject) };
}

/** Everyone with a role above member, as `hearth admin list` shows them. */
export interface RoleHolders {
  /** Granted inside Hearth (by an admin or from the command line). */
  granted: { subject: string; member: MemberLine; role: GrantedRole; createdAt: string }[];
  /** Granted from the command line to host ids nobody has signed in with yet. */
  pending: { subject: string; role: GrantedRole; createdAt: string }[];
  /** `HEARTH_ADMINS`, with the members who signed in with each id. */
  listed: { subject: string; members: MemberLine[] }[];
  /** Roles from the member's last token (kept only with trusted token roles). */
  fromToken: { subject: string; member: MemberLine; roles: Role[] }[];
}

export async function listRoleHolders(ctx: GrantContext): Promise<RoleHolders> {
  const db = ctx.database.db;
  const [grants, pending, listedMembers, tokenMembers] = await Promise.all([
    selectAllGrants(db),
    selectAllPendingGrants(db),
    selectHostMembersBySubjects(db, ctx.config.admins),
    selectMembersWithTokenRoles(db),
  ]);
  return {
    granted: grants.map((grant) => ({
      subject: grant.subject,
      member: { id: grant.memberId, handle: grant.handle, name: grant.name },
      role: grant.role,
      createdAt: grant.createdAt.toISOString(),
    })),
    pending: pending.map((grant) => ({
      subject: grant.subject,
      role: grant.role,
      createdAt: grant.createdAt.toISOString(),
    })),
    listed: ctx.config.admins.map((subject) => ({
      subject,
      members: listedMembers.filter((member) => member.subject === subject).map(memberLine),
    })),
    fromToken: tokenMembers.map((member) => ({
      subject: member.subject,
      member: memberLine(member),
      roles: (member.roles as Role[]).filter((role) => role !== "member"),
    })),
  };
}
