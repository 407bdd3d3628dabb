/**
 * Notification emails: one per notification (immediately, after `HEARTH_EMAIL_DELAY`) or a
 * digest of several, with HTML and text parts in the member's language, a link to the
 * comment and RFC 8058 one-click unsubscribe. Sent through the delivery outbox; each email's
 * Message-ID is derived from its delivery's dedupe key, so a resend after a crash carries
 * the same Message-ID and a receiving server or client can recognise it.
 */
import { createHash } from "node:crypto";
import type { Transporter } from "nodemailer";
import { findMemberById } from "../../db/queries/members.ts";
import {
  findPreferences,
  markDigested,
  type NotificationRow,
  selectDigestable,
  selectFollowedComments,
  selectMembersByIds,
  selectNotificationsByIds,
  selectPreferencesFor,
} from "../../db/queries/notifications.ts";
import {
  type Delivery,
  type EmailMode,
  type Member,
  NOTIFICATION_KINDS,
  type NotificationKind,
} from "../../db/schema.ts";
import type { AppContext } from "../context.ts";
import { commentUrl, excerpt } from "../serializers/notifications.ts";
import { type MailText, mailLocale, mailText } from "./email-text.ts";
import { emailModeFor } from "./notification-preferences.ts";
import { unsubscribeToken, unsubscribeUrl } from "./unsubscribe.ts";

/**
 * The SMTP transport, or none without `HEARTH_SMTP_URL`. Nodemailer (some 4 MB once loaded) is
 * only loaded when there is a mail server to talk to.
 */
export async function createMailer(ctx: AppContext): Promise<Transporter | undefined> {
  const url = ctx.config.notifications.smtpUrl;
  if (!url) return undefined;
  const { default: nodemailer } = await import("nodemailer");
  return nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: 5,
    maxMessages: 1000,
    connectionTimeout: 5000,
    greetingTimeout: 5000,
    socketTimeout: 15_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
}

export function messageIdFor(ctx: AppContext, dedupeKey: string): string {
  const digest = createHash("sha256")
    .update(ctx.sessionKey)
    .update(dedupeKey)
    .digest("hex")
    .slice(0, 32);
  return `<${digest}@${new URL(ctx.config.publicUrl).hostname}>`;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

interface Rendered {
  subject: string;
  text: string;
  html: string;
}

function describe(t: MailText, row: NotificationRow) {
  const kind = row.notification.kind;
  const who = row.actorName ?? t.someone;
  const thread = row.threadTitle ?? t.aThread;
  const outcome =
    kind === "moderation" ? (t.outcome[String(row.notification.payload.outcome)] ?? "") : "";
  const visible = row.commentStatus === "published" || kind === "moderation";
  return {
    subject: t.subject[kind](who, thread),
    line: `${t.line[kind](who, thread)}${outcome ? ` ${outcome}` : ""}`,
    quote: visible ? excerpt(row.commentBody, 600) : null,
    link: commentUrl(row.threadUrl, row.notification.commentId),
  };
}

function renderItems(
  t: MailText,
  rows: NotificationRow[],
  intro: string | undefined,
  unsubscribe: string,
): Omit<Rendered, "subject"> {
  const items = rows.map((row) => describe(t, row));
  const text = [
    ...(intro ? [intro, ""] : []),
    ...items.flatMap((item) => [
      item.line,
      ...(item.quote ? ["", ...item.quote.split("\n").map((l) => `> ${l}`)] : []),
      ...(item.link ? ["", `${t.open}: ${item.link}`] : []),
      "",
    ]),
    "--",
    t.footer,
    `${t.unsubscribe}: ${unsubscribe}`,
  ].join("\n");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2328">
${intro ? `<p>${escapeHtml(intro)}</p>` : ""}
${items
  .map(
    (item) => `<div style="margin:0 0 1.5em">
<p>${escapeHtml(item.line)}</p>
${item.quote ? `<blockquote style="margin:0;padding:0 1em;border-left:3px solid #d0d7de;color:#444">${escapeHtml(item.quote)}</blockquote>` : ""}
${item.link ? `<p><a href="${escapeHtml(item.link)}">${escapeHtml(t.open)}</a></p>` : ""}
</div>`,
  )
  .join("\n")}
<hr><p style="font-size:small;color:#666">${escapeHtml(t.footer)} <a href="${escapeHtml(unsubscribe)}">${escapeHtml(t.unsubscribe)}</a></p>
</body></html>`;
  return { text, html };
}

async function send(
  ctx: AppContext,
  mailer: Transporter,
  delivery: Delivery,
  member: Member,
  rendered: Rendered,
  kinds: NotificationKind[],
) {
  const link = unsubscribeUrl(ctx, unsubscribeToken(ctx, member.id, kinds));
  const locale = mailLocale(member.locale);
  await mailer.sendMail({
    from: ctx.config.notifications.mailFrom,
    to: member.name ? { name: member.name, address: member.email! } : member.email!,
    subject: rendered.subject,
    text: rendered.text.replace("{{unsubscribe}}", link),
    html: rendered.html.replace("{{unsubscribe}}", escapeHtml(link)),
    messageId: messageIdFor(ctx, delivery.dedupeKey),
    headers: {
      "List-Unsubscribe": `<${link}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      "Auto-Submitted": "auto-generated",
      "Content-Language": locale,
    },
  });
}

/**
 * What the single-notification emails of one claimed batch of deliveries need: recipients,
 * notifications with their context and preferences, read in three queries for the batch
 * rather than three per email.
 */
export interface EmailBatch {
  members: Map<string, Member>;
  rows: Map<number, NotificationRow>;
  preferences: Map<string, Partial<Record<NotificationKind, EmailMode>>>;
}

export async function loadEmailBatch(ctx: AppContext, deliveries: Delivery[]): Promise<EmailBatch> {
  const emails = deliveries.filter((d) => d.kind === "email" && !d.payload.digest && d.memberId);
  const memberIds = [...new Set(emails.map((d) => d.memberId!))];
  const ids = emails
    .map((d) => Number(d.payload.notificationId))
    .filter((id) => Number.isSafeInteger(id));
  const db = ctx.database.db;
  const [members, rows, preferences] = await Promise.all([
    selectMembersByIds(db, memberIds),
    selectNotificationsByIds(db, ids),
    selectPreferencesFor(db, memberIds),
  ]);
  return {
    members: new Map(members.map((m) => [m.id, m])),
    rows: new Map(rows.map((row) => [row.notification.id, row])),
    preferences,
  };
}

/**
 * Sends (or skips) the email of one notification, with what `loadEmailBatch` read for its
 * batch a moment before; returns what it did.
 */
export async function sendNotificationEmail(
  ctx: AppContext,
  mailer: Transporter,
  delivery: Delivery,
  batch: EmailBatch,
): Promise<"sent" | "skipped"> {
  const id = Number(delivery.payload.notificationId);
  const member = delivery.memberId ? batch.members.get(delivery.memberId) : undefined;
  if (!member?.email || member.status === "banned" || member.status === "erased") return "skipped";
  const row = batch.rows.get(id);
  if (!row || row.notification.memberId !== member.id) return "skipped";
  const n = row.notification;
  // Read in the page meanwhile, or the comment is gone or held: nothing to tell.
  if (n.readAt !== null) return "skipped";
  if (n.kind !== "moderation" && row.commentStatus !== "published") return "skipped";
  if (emailModeFor(batch.preferences.get(member.id) ?? {}, n.kind) !== "immediate") {
    return "skipped";
  }
  const t = mailText(mailLocale(member.locale));
  const { subject } = describe(t, row);
  await send(
    ctx,
    mailer,
    delivery,
    member,
    { subject, ...renderItems(t, [row], undefined, "{{unsubscribe}}") },
    [n.kind],
  );
  return "sent";
}

/** At most this many comments of one followed thread in a digest. */
const DIGEST_THREAD_COMMENTS = 20;

/**
 * A followed thread is one unread notification however busy it gets; a digest lists the
 * comments it stands for, from its own on.
 */
async function expandFollowedThreads(
  ctx: AppContext,
  memberId: string,
  rows: NotificationRow[],
): Promise<NotificationRow[]> {
  const items: NotificationRow[] = [];
  for (const row of rows) {
    const { notification } = row;
    if (notification.kind !== "thread") {
      items.push(row);
      continue;
    }
    const followed = await selectFollowedComments(
      ctx.database.db,
      memberId,
      notification.threadId,
      notification.commentId,
      DIGEST_THREAD_COMMENTS,
    );
    if (followed.length === 0) items.push(row);
    for (const comment of followed) {
      items.push({
        ...row,
        notification: { ...notification, commentId: comment.id, actorId: comment.authorId },
        actorName: comment.name,
        actorHandle: comment.handle,
        actorAvatar: comment.avatar,
        commentBody: comment.body,
        commentStatus: comment.status,
      });
    }
  }
  return items;
}

/** Sends one digest of every unread notification whose kind the member gets as a digest. */
export async function sendDigest(
  ctx: AppContext,
  mailer: Transporter,
  delivery: Delivery,
): Promise<"sent" | "skipped"> {
  const db = ctx.database.db;
  const member = delivery.memberId ? await findMemberById(db, delivery.memberId) : undefined;
  if (!member?.email || member.status === "banned" || member.status === "erased") return "skipped";
  const prefs = await findPreferences(db, member.id);
  const kinds = NOTIFICATION_KINDS.filter((kind) => emailModeFor(prefs, kind) === "digest");
  const rows = (await selectDigestable(db, member.id, kinds, 200)).filter(
    (row) => row.notification.kind === "moderation" || row.commentStatus === "published",
  );
  if (rows.length === 0) return "skipped";
  const items = await expandFollowedThreads(ctx, member.id, rows);
  const t = mailText(mailLocale(member.locale));
  await send(
    ctx,
    mailer,
    delivery,
    member,
    {
      subject: t.digestSubject(items.length),
      ...renderItems(t, items, t.digestIntro(items.length), "{{unsubscribe}}"),
    },
    kinds,
  );
  await markDigested(
    db,
    rows.map((r) => r.notification.id),
    ctx.now(),
  );
  return "sent";
}
