/**
 * `hearth admin …`: the owner's role grants from the command line. Members are named by
 * their id on the host site (the `sub` of their member token, as stored on the member). The commands open the database the server
 * uses (from the same environment), apply pending migrations, and go through the same
 * grant service as the admins' API, so every change is audited.
 */
import { type Database, DatabaseInUseError, openDatabase } from "../../db/client.ts";
import type { GrantedRole } from "../../db/schema.ts";
import { ConfigError, loadConfig } from "../config.ts";
import { createLogger } from "../logger.ts";
import { EventBus } from "../services/events.ts";
import {
  GRANTED_ROLES,
  type GrantContext,
  type HostIdGrantResult,
  listRoleHolders,
  type MemberLine,
  type RoleHolders,
  setGrantByHostId,
} from "../services/roles.ts";
import { isStorable } from "../services/storable-text.ts";

/** Where the command writes: stdout and stderr in a real process. */
export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

/** Exit codes: done, could not run (configuration, database), wrong use or unknown member. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export const ADMIN_USAGE = [
  "hearth admin grant <sub> admin|moderator",
  "hearth admin revoke <sub> admin|moderator",
  "hearth admin list",
];

class UsageError extends Error {}

type AdminCommand =
  | { action: "grant" | "revoke"; subject: string; role: GrantedRole }
  | { action: "list" };

function parseAdmin(args: readonly string[]): AdminCommand {
  const [action, ...rest] = args;
  if (action === "list") {
    if (rest.length > 0) throw new UsageError("hearth admin list takes no arguments.");
    return { action };
  }
  if (action === "grant" || action === "revoke") {
    if (rest.length !== 2) {
      throw new UsageError(
        `hearth admin ${action} needs a member's sub and a role: hearth admin ${action} <sub> admin|moderator`,
      );
    }
    const [subject, role] = rest as [string, string];
    if (subject === "" || !isStorable(subject)) {
      throw new UsageError(
        "The sub must be the member's id on your site, as their member token's sub says it.",
      );
    }
    if (!(GRANTED_ROLES as readonly string[]).includes(role)) {
      throw new UsageError(`Unknown role "${role}": use admin or moderator.`);
    }
    return { action, subject, role: role as GrantedRole };
  }
  throw new UsageError(
    action === undefined
      ? `hearth admin needs a command:\n  ${ADMIN_USAGE.join("\n  ")}`
      : `Unknown command "hearth admin ${action}". Use:\n  ${ADMIN_USAGE.join("\n  ")}`,
  );
}

/** Runs `hearth admin <args>` against the database `env` names; resolves to the exit code. */
export async function runAdmin(
  args: readonly string[],
  env: Record<string, string | undefined>,
  output: CommandOutput,
): Promise<number> {
  let command: AdminCommand;
  try {
    command = parseAdmin(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(error.message);
    return EXIT.usage;
  }
  let config: ReturnType<typeof loadConfig>;
  let database: Database;
  try {
    config = loadConfig(env);
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DatabaseInUseError) {
      output.err(`hearth: ${error.message}`);
      return EXIT.failed;
    }
    throw error;
  }
  // Events recorded here are dispatched by the running servers (or at the next start).
  const ctx: GrantContext = {
    database,
    config,
    events: new EventBus(database, createLogger("silent")),
  };
  try {
    if (command.action === "list") {
      for (const line of formatRoleHolders(await listRoleHolders(ctx))) output.out(line);
      return EXIT.ok;
    }
    const { subject, role } = command;
    const grant = command.action === "grant";
    const result = await setGrantByHostId(ctx, subject, role, grant);
    if (result.kind === "unknown") {
      output.err(
        `No member has signed in with the sub ${subject}, and no ${role} grant waits for them: nothing to revoke.`,
      );
      return EXIT.usage;
    }
    for (const line of describeGrant(result, subject, role, grant, config)) output.out(line);
    return EXIT.ok;
  } finally {
    await database.close();
  }
}

const label = (member: MemberLine, subject: string) =>
  `@${member.handle} (${member.name}, sub ${subject})`;

/** One clear line (or two) per member for a grant or revocation. */
function describeGrant(
  result: Exclude<HostIdGrantResult, { kind: "unknown" }>,
  subject: string,
  role: GrantedRole,
  grant: boolean,
  config: ReturnType<typeof loadConfig>,
): string[] {
  if (result.kind === "pending") {
    if (!grant) return [`Withdrew the ${role} grant waiting for sub ${subject}.`];
    return result.changed
      ? [
          `Nobody has signed in with the sub ${subject} yet: they will be ${role} from their first sign-in.`,
        ]
      : [`A ${role} grant already waits for the first sign-in of sub ${subject}: nothing changed.`];
  }
  const lines: string[] = [];
  for (const { member, changed, roles } of result.members) {
    const who = label(member, subject);
    if (grant) {
      lines.push(
        changed
          ? `Granted ${role} to ${who}: it applies from their next sign-in.`
          : `${who} already has the ${role} grant: nothing changed.`,
      );
      continue;
    }
    lines.push(
      changed
        ? `Revoked the ${role} grant of ${who}: it applies from their next sign-in.`
        : `${who} has no ${role} grant: nothing changed.`,
    );
    if (roles.includes(role)) {
      lines.push(
        role === "admin" && config.admins.includes(subject)
          ? `They are still admin: HEARTH_ADMINS lists ${subject}.`
          : `They are still ${role}: their member token says so (HEARTH_SSO_TRUST_ROLES=1).`,
      );
    }
  }
  return lines;
}

const ROLE_ORDER = { admin: 0, moderator: 1, member: 2 } as const;

/** `hearth admin list`: one row per role and sub, admins first. */
export function formatRoleHolders(holders: RoleHolders): string[] {
  const rows: [role: string, subject: string, who: string, source: string][] = [];
  const notYet = "(not signed in yet)";
  for (const grant of holders.granted) {
    rows.push([
      grant.role,
      grant.subject,
      `@${grant.member.handle} (${grant.member.name})`,
      `granted ${grant.createdAt.slice(0, 10)}`,
    ]);
  }
  for (const grant of holders.pending) {
    rows.push([
      grant.role,
      grant.subject,
      notYet,
      `granted ${grant.createdAt.slice(0, 10)}, applies at first sign-in`,
    ]);
  }
  for (const listed of holders.listed) {
    const who = listed.members.map((m) => `@${m.handle} (${m.name})`).join(", ") || notYet;
    rows.push(["admin", listed.subject, who, "HEARTH_ADMINS"]);
  }
  for (const holder of holders.fromToken) {
    for (const role of holder.roles) {
      rows.push([
        role,
        holder.subject,
        `@${holder.member.handle} (${holder.member.name})`,
        "member token",
      ]);
    }
  }
  if (rows.length === 0) {
    return [
      "Nobody is an admin or a moderator yet. Make someone one with: hearth admin grant <sub> admin",
    ];
  }
  rows.sort(
    (a, b) =>
      ROLE_ORDER[a[0] as keyof typeof ROLE_ORDER] - ROLE_ORDER[b[0] as keyof typeof ROLE_ORDER] ||
      a[1].localeCompare(b[1]),
  );
  const table = [["role", "sub", "member", "from"], ...rows];
  const widths = [0, 1, 2].map((column) => Math.max(...table.map((row) => row[column]!.length)));
  return table.map((row) =>
    row
      .map((cell, column) => (column < 3 ? cell.padEnd(widths[column]!) : cell))
      .join("  ")
      .trimEnd(),
  );
}
