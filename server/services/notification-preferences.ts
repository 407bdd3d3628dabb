/**
 * Email preferences per member and notification kind: immediately, in a digest, or off.
 */
import type { DbLike } from "../../db/client.ts";
import { findPreferences, upsertPreferences } from "../../db/queries/notifications.ts";
import { type EmailMode, NOTIFICATION_KINDS, type NotificationKind } from "../../db/schema.ts";
import type { AppContext } from "../context.ts";
import { unprocessable } from "../errors.ts";
import type { Session } from "./sessions.ts";

export const EMAIL_MODES: readonly EmailMode[] = ["immediate", "digest", "off"];

export const DEFAULT_EMAIL: Readonly<Record<NotificationKind, EmailMode>> = Object.freeze({
  reply: "immediate",
  mention: "immediate",
  thread: "digest",
  reaction: "off",
  moderation: "immediate",
});

export function emailModeFor(
  stored: Partial<Record<NotificationKind, EmailMode>>,
  kind: NotificationKind,
): EmailMode {
  return stored[kind] ?? DEFAULT_EMAIL[kind];
}

function complete(stored: Partial<Record<NotificationKind, EmailMode>>) {
  return Object.fromEntries(
    NOTIFICATION_KINDS.map((kind) => [kind, emailModeFor(stored, kind)]),
  ) as Record<NotificationKind, EmailMode>;
}

export async function getPreferences(ctx: AppContext, session: Session) {
  const stored = await findPreferences(ctx.database.db, session.memberId);
  return { email: complete(stored), defaults: DEFAULT_EMAIL };
}

/**
 * Replaces some or all email preferences: `{ email: { reply: "digest" } }`. Unknown kinds
 * or modes are a 422 naming each, and nothing is saved.
 */
export async function putPreferences(ctx: AppContext, session: Session, body: unknown) {
  const problems: Record<string, string> = {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw unprocessable("invalid_preferences", "Send { email: { kind: mode } }.");
  }
  for (const key of Object.keys(body)) {
    if (key !== "email") problems[key] = "unknown setting";
  }
  const email = (body as { email?: unknown }).email;
  const update: Partial<Record<NotificationKind, EmailMode>> = {};
  if (email !== undefined) {
    if (typeof email !== "object" || email === null || Array.isArray(email)) {
      problems.email = "must be an object of kind: mode";
    } else {
      for (const [kind, mode] of Object.entries(email)) {
        if (!(NOTIFICATION_KINDS as readonly string[]).includes(kind)) {
          problems[`email.${kind}`] = `unknown kind; use ${NOTIFICATION_KINDS.join(", ")}`;
        } else if (!EMAIL_MODES.includes(mode as EmailMode)) {
          problems[`email.${kind}`] = `unknown mode; use ${EMAIL_MODES.join(", ")}`;
        } else update[kind as NotificationKind] = mode as EmailMode;
      }
    }
  }
  if (Object.keys(problems).length > 0) {
    throw unprocessable("invalid_preferences", "Some preferences are not valid.", { problems });
  }
  const stored = await findPreferences(ctx.database.db, session.memberId);
  const merged = { ...stored, ...update };
  await upsertPreferences(ctx.database.db, session.memberId, merged);
  return { email: complete(merged), defaults: DEFAULT_EMAIL };
}

/** Turns email off for the given kinds (the unsubscribe link). */
export async function turnOffEmail(
  db: DbLike,
  memberId: string,
  kinds: NotificationKind[],
): Promise<void> {
  const stored = await findPreferences(db, memberId);
  for (const kind of kinds) stored[kind] = "off";
  await upsertPreferences(db, memberId, stored);
}
