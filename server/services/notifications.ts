/**
 * Notifications: the event handler that turns domain events into notifications for the
 * members they concern (replies, mentions, followed threads, reactions, moderation), and
 * the member-facing operations (list, unread count, mark read, follow, mute).
 *
 * The handler runs inside the event dispatch transaction and only writes rows: the
 * notifications, the email and webhook deliveries they call for, and a NOTIFY that carries
 * each new notification to the live streams of every Hearth process once it commits.
 */
import type { Tx } from "../../db/client.ts";
import {
  type NotifiedComment,
  selectCommentStandings,
  selectNotifiedComments,
} from "../../db/queries/comments.ts";
import { insertDeliveries, type NewDelivery } from "../../db/queries/deliveries.ts";
import {
  announce,
  countUnread,
  countUnreadFor,
  followThread,
  followThreads,
  insertNotifications,
  isFollowing,
  lockRecipients,
  markRead,
  muteMember,
  type NotificationRow,
  type Recipient,
  selectActors,
  selectFollowsOf,
  selectHandlesByPrefix,
  selectMembersByHandles,
  selectMutes,
  selectMutesAmong,
  selectNotificationPage,
  selectPreferencesFor,
  selectUnreadThreadNotices,
  unfollowThread,
  unmuteMember,
} from "../../db/queries/notifications.ts";
import { type NotifiedThread, selectNotifiedThreads } from "../../db/queries/threads.ts";
import type { EventRow, NewNotification, Notification, NotificationKind } from "../../db/schema.ts";
import type { AppContext } from "../context.ts";
import { badRequest, notFound } from "../errors.ts";
import { serializeMember } from "../serializers/members.ts";
import {
  groupReactions,
  type NotificationJson,
  serializeNotification,
} from "../serializers/notifications.ts";
import type { EventHandler } from "./events.ts";
import { emailModeFor } from "./notification-preferences.ts";
import type { Session } from "./sessions.ts";
import { assertCanRead, requireThread } from "./threads.ts";
import { webhookDeliveries } from "./webhooks.ts";

/** The channel new notifications are announced on. */
export const NOTIFY_CHANNEL = "hearth_notifications";

/** What travels on the channel: the member and the notification as the stream sends it. */
export interface NotificationSignal {
  memberId: string;
  unread: number;
  notification: NotificationJson;
}

const MENTION = /(?:^|[^\w@/])@([a-z0-9](?:[a-z0-9-]{0,28}[a-z0-9])?)(?![\w-]*@)/gi;

/** Handles mentioned in a comment body, lowercased, at most 20. */
export function mentionedHandles(body: string): string[] {
  const stripped = body.replace(/```[\s\S]*?```/g, " ").replace(/`[^`]*`/g, " ");
  const found = new Set<string>();
  for (const match of stripped.matchAll(MENTION)) {
    found.add(match[1]!.toLowerCase());
    if (found.size >= 20) break;
  }
  return [...found];
}

function canRead(thread: Pick<NotifiedThread, "read">, member: Recipient): boolean {
  if (member.status === "banned" || member.status === "erased") return false;
  if (member.roles.includes("moderator") || member.roles.includes("admin")) return true;
  if (thread.read === "public" || thread.read === "members") return true;
  return thread.read.some((tier) => member.tiers.includes(tier));
}

interface Planned {
  memberId: string;
  kind: NotificationKind;
  payload?: Record<string, unknown>;
  /** Moderation outcomes reach the author even from a member they muted. */
  ignoreMute?: boolean;
}

/** One event with its comment and who it may notify. */
interface Plan {
  event: EventRow;
  comment: NotifiedComment;
  planned: Planned[];
}

/**
 * Builds the event handler that writes notifications, deliveries and webhooks. A batch of
 * events is handled set-wise: a busy thread's batch costs a dozen statements in all, not a
 * dozen per comment.
 */
export function notificationHandler(ctx: AppContext): EventHandler {
  const handleBatch = async (tx: Tx, events: EventRow[]) => {
    await notifyFor(ctx, tx, events);
    const hooks: NewDelivery[] = [];
    for (const event of events) hooks.push(...(await webhookDeliveries(ctx, tx, event)));
    await queueDeliveries(ctx, tx, hooks);
  };
  return {
    name: "notifications",
    handle: (tx, event) => handleBatch(tx, [event]),
    handleBatch,
  };
}

async function notifyFor(ctx: AppContext, tx: Tx, events: EventRow[]): Promise<void> {
  const ids = events.flatMap((event) =>
    event.commentId !== null && event.threadId !== null ? [event.commentId] : [],
  );
  const comments = new Map((await selectNotifiedComments(tx, ids)).map((c) => [c.id, c]));
  const commentOf = (event: EventRow) => {
    const comment = event.commentId === null ? undefined : comments.get(event.commentId);
    return comment && comment.threadId === event.threadId ? comment : undefined;
  };
  // Posting follows the thread from the comment's time.
  await followThreads(
    tx,
    events.flatMap((event) => {
      const comment = commentOf(event);
      return event.type === "comment.created" && event.actorId && comment
        ? [{ memberId: event.actorId, threadId: comment.threadId, since: comment.createdAt }]
        : [];
    }),
  );
  const plans: Plan[] = [];
  const fanOuts: { plan: Plan; visibleAt: Date }[] = [];
  for (const event of events) {
    const comment = commentOf(event);
    if (!comment) continue;
    const plan: Plan = { event, comment, planned: [] };
    if (planFor(plan)) plans.push(plan);
    if (event.type === "comment.created" && comment.status === "published")
      fanOuts.push({ plan, visibleAt: comment.createdAt });
    if (event.type === "comment.approved" && comment.status === "published")
      fanOuts.push({ plan, visibleAt: event.createdAt });
  }
  await fanOut(tx, fanOuts);
  await writeNotifications(ctx, tx, plans);
}

/** The direct notifications an event calls for; false when it calls for none at all. */
function planFor({ event, comment, planned }: Plan): boolean {
  const payload = event.payload as Record<string, unknown>;
  switch (event.type) {
    case "comment.created":
      return comment.status === "published";
    case "comment.approved":
      if (comment.status !== "published") return false;
      planned.push({
        memberId: comment.authorId,
        kind: "moderation",
        payload: { outcome: "approved" },
        ignoreMute: true,
      });
      return true;
    case "comment.removed":
    case "comment.restored":
      // An author removing their own comment is no moderation outcome.
      if (
        event.type === "comment.removed" &&
        payload.by !== undefined &&
        payload.by !== "moderator"
      )
        return false;
      planned.push({
        memberId: comment.authorId,
        kind: "moderation",
        payload: {
          outcome: event.type === "comment.removed" ? "removed" : "restored",
          ...(typeof payload.reason === "string" ? { reason: payload.reason } : {}),
        },
        ignoreMute: true,
      });
      return true;
    case "member.moderated":
      if (typeof payload.memberId !== "string" || typeof payload.action !== "string") return false;
      planned.push({
        memberId: payload.memberId,
        kind: "moderation",
        payload: { outcome: payload.action },
        ignoreMute: true,
      });
      return true;
    case "reaction.added":
      if (comment.status !== "published") return false;
      planned.push({
        memberId: comment.authorId,
        kind: "reaction",
        payload: { kind: String(payload.kind ?? "") },
      });
      return true;
    default:
      return false;
  }
}

/**
 * Who hears of a comment that became visible at `visibleAt`: the parent's author, those
 * mentioned, and those who followed the thread before then. Processes dispatch events
 * concurrently, so a later reply may have made its author a follower by the time this
 * comment's event is handled; following dates from the comment that started it, which
 * keeps a member from hearing of comments made before they joined.
 */
async function fanOut(tx: Tx, items: { plan: Plan; visibleAt: Date }[]): Promise<void> {
  if (items.length === 0) return;
  const mentions = items.map(({ plan }) => mentionedHandles(plan.comment.body));
  const [parents, mentioned, follows] = await Promise.all([
    selectCommentStandings(
      tx,
      items.flatMap(({ plan }) => (plan.comment.parentId === null ? [] : [plan.comment.parentId])),
    ),
    selectMembersByHandles(tx, [...new Set(mentions.flat())]),
    selectFollowsOf(tx, [...new Set(items.map(({ plan }) => plan.comment.threadId))]),
  ]);
  const parentById = new Map(parents.map((parent) => [parent.id, parent]));
  const memberByHandle = new Map(mentioned.map((member) => [member.handle, member]));
  for (const [i, { plan, visibleAt }] of items.entries()) {
    const { comment, planned } = plan;
    const parent = comment.parentId === null ? undefined : parentById.get(comment.parentId);
    if (parent && parent.threadId === comment.threadId && parent.status === "published")
      planned.push({ memberId: parent.authorId, kind: "reply" });
    for (const handle of mentions[i]!) {
      const member = memberByHandle.get(handle);
      if (member) planned.push({ memberId: member.id, kind: "mention" });
    }
    for (const follow of follows) {
      if (follow.threadId === comment.threadId && follow.createdAt < visibleAt)
        planned.push({ memberId: follow.memberId, kind: "thread" });
    }
  }
}

async function writeNotifications(ctx: AppContext, tx: Tx, plans: Plan[]): Promise<void> {
  // One notification per member and event: the first reason wins (reply, mention, thread).
  const chosen = plans.map(({ event, planned }) => {
    const byMember = new Map<string, Planned>();
    for (const plan of planned) {
      if (plan.memberId === event.actorId && !plan.ignoreMute) continue;
      if (!byMember.has(plan.memberId)) byMember.set(plan.memberId, plan);
    }
    return byMember;
  });
  const memberIds = [...new Set(chosen.flatMap((byMember) => [...byMember.keys()]))];
  if (memberIds.length === 0) return;
  const threadIds = [...new Set(plans.map((plan) => plan.comment.threadId))];
  const actorIds = [
    ...new Set(plans.flatMap(({ event }) => (event.actorId ? [event.actorId] : []))),
  ];
  const [threadRows, recipientRows, actorRows, mutes, unreadThreads] = await Promise.all([
    selectNotifiedThreads(tx, threadIds),
    lockRecipients(tx, memberIds),
    selectActors(tx, actorIds),
    selectMutesAmong(tx, actorIds, memberIds),
    selectUnreadThreadNotices(tx, memberIds, threadIds),
  ]);
  const recipients = new Map(recipientRows.map((member) => [member.id, member]));
  const actors = new Map(actorRows.map((member) => [member.id, member]));
  const threads = new Map(threadRows.map((thread) => [thread.id, thread]));

  const now = ctx.now();
  const rows: NewNotification[] = [];
  const allowed = new Map<string, Recipient>();
  for (const [i, { event, comment }] of plans.entries()) {
    const thread = threads.get(comment.threadId);
    if (!thread) continue;
    for (const [memberId, plan] of chosen[i]!) {
      const member = recipients.get(memberId);
      if (!member || member.status === "erased") continue;
      if (member.id === event.actorId && plan.kind !== "moderation") continue;
      if (!plan.ignoreMute && event.actorId && mutes.has(`${member.id}|${event.actorId}`)) continue;
      // Held content is seen only by its author (moderation outcomes go to the author).
      if (comment.status === "held" && member.id !== comment.authorId) continue;
      if (!canRead(thread, member)) continue;
      if (plan.kind === "thread") {
        // A followed thread stays one unread notification until the member reads it.
        const key = `${member.id}|${thread.id}`;
        if (unreadThreads.has(key)) continue;
        unreadThreads.add(key);
      }
      allowed.set(member.id, member);
      rows.push({
        memberId: member.id,
        kind: plan.kind,
        eventId: event.id,
        threadId: comment.threadId,
        commentId: comment.id,
        actorId: event.actorId,
        payload: plan.payload ?? {},
        createdAt: now,
      });
    }
  }
  const written = await insertNotifications(tx, rows);
  if (written.length === 0) return;
  await queueEmails(ctx, tx, written, [...allowed.values()]);
  const unread = await countUnreadFor(tx, [...new Set(written.map((n) => n.memberId))]);
  const planByEvent = new Map(plans.map((plan) => [plan.event.id, plan]));
  const signals = written.map((notification) => {
    const { event, comment } = planByEvent.get(notification.eventId)!;
    const thread = threads.get(comment.threadId)!;
    const actor = event.actorId ? actors.get(event.actorId) : undefined;
    const row: NotificationRow = {
      notification,
      actorName: actor?.name ?? null,
      actorHandle: actor?.handle ?? null,
      actorAvatar: actor?.avatar ?? null,
      threadKey: thread.key,
      threadTitle: thread.title,
      threadUrl: thread.url,
      commentBody: comment.body,
      commentStatus: comment.status,
    };
    const signal: NotificationSignal = {
      memberId: notification.memberId,
      unread: unread.get(notification.memberId) ?? 1,
      notification: serializeNotification(row),
    };
    return JSON.stringify(signal);
  });
  await announce(tx, NOTIFY_CHANNEL, signals);
}

/** Queues the emails the recipients' preferences ask for (only members with an email). */
async function queueEmails(
  ctx: AppContext,
  tx: Tx,
  written: Notification[],
  recipients: Recipient[],
): Promise<void> {
  if (!ctx.config.notifications.smtpUrl) return;
  const withEmail = new Map(recipients.filter((m) => m.email).map((m) => [m.id, m]));
  if (withEmail.size === 0) return;
  const prefs = await selectPreferencesFor(tx, [...withEmail.keys()]);
  const now = ctx.now().getTime();
  const { emailDelaySeconds, digestIntervalSeconds } = ctx.config.notifications;
  const deliveries: NewDelivery[] = [];
  for (const notification of written) {
    if (!withEmail.has(notification.memberId)) continue;
    const mode = emailModeFor(prefs.get(notification.memberId) ?? {}, notification.kind);
    if (mode === "immediate") {
      deliveries.push({
        kind: "email",
        dedupeKey: `email:${notification.id}`,
        memberId: notification.memberId,
        payload: { notificationId: notification.id },
        nextAttemptAt: new Date(now + emailDelaySeconds * 1000),
      });
    } else if (mode === "digest") {
      const interval = digestIntervalSeconds * 1000;
      const window = Math.floor(now / interval);
      deliveries.push({
        kind: "email",
        dedupeKey: `digest:${notification.memberId}:${window}`,
        memberId: notification.memberId,
        payload: { digest: true },
        nextAttemptAt: new Date((window + 1) * interval),
      });
    }
  }
  await queueDeliveries(ctx, tx, deliveries);
}

/**
 * Queues deliveries in the dispatch transaction. When one is due at once, the delivery worker
 * runs as soon as the batch commits; later ones wait for its next poll.
 */
async function queueDeliveries(ctx: AppContext, tx: Tx, rows: NewDelivery[]): Promise<void> {
  if ((await insertDeliveries(tx, rows)) === 0) return;
  const now = ctx.now().getTime();
  if (rows.some((row) => row.nextAttemptAt.getTime() <= now)) {
    ctx.notifications.deliveries.dueAfterCommit();
  }
}

// ---- member-facing operations ----

export const MAX_NOTIFICATION_PAGE = 100;

export async function listNotifications(
  ctx: AppContext,
  session: Session,
  options: { cursor?: string | undefined; limit: number; unread?: boolean },
) {
  const before = options.cursor === undefined ? undefined : parseId(options.cursor, "cursor");
  const db = ctx.database.db;
  const [rows, unread] = await Promise.all([
    selectNotificationPage(db, session.memberId, {
      before,
      limit: options.limit + 1,
      unread: options.unread ?? false,
    }),
    countUnread(db, session.memberId),
  ]);
  const page = rows.slice(0, options.limit);
  const last = page[page.length - 1];
  return {
    notifications: groupReactions(page.map(serializeNotification)),
    unread,
    nextCursor: rows.length > options.limit && last ? String(last.notification.id) : null,
  };
}

/** Notifications after `afterId`, oldest first (stream resume). */
export async function notificationsAfter(ctx: AppContext, memberId: string, afterId: number) {
  const rows = await selectNotificationPage(ctx.database.db, memberId, {
    after: afterId,
    limit: 500,
  });
  return rows.map(serializeNotification);
}

export async function unreadCount(ctx: AppContext, session: Session): Promise<number> {
  return countUnread(ctx.database.db, session.memberId);
}

export function parseId(raw: unknown, field: string): number {
  if (typeof raw === "string" && /^[1-9]\d{0,15}$/.test(raw)) return Number(raw);
  if (typeof raw === "number" && Number.isSafeInteger(raw) && raw > 0) return raw;
  throw badRequest("validation_failed", `${field} is not a valid id.`, { field });
}

export async function markNotificationsRead(
  ctx: AppContext,
  session: Session,
  ids: number[] | undefined,
) {
  const changed = await markRead(ctx.database.db, session.memberId, ctx.now(), ids);
  return { marked: changed, unread: await countUnread(ctx.database.db, session.memberId) };
}

export async function setFollowing(
  ctx: AppContext,
  session: Session,
  key: string,
  follow: boolean,
) {
  const thread = await requireThread(ctx, key);
  assertCanRead(thread, session);
  const db = ctx.database.db;
  if (follow) await followThread(db, session.memberId, thread.id);
  else await unfollowThread(db, session.memberId, thread.id);
  return { following: follow };
}

export async function getFollowing(ctx: AppContext, session: Session, key: string) {
  const thread = await requireThread(ctx, key);
  return { following: await isFollowing(ctx.database.db, session.memberId, thread.id) };
}

export async function setMuted(ctx: AppContext, session: Session, handle: string, mute: boolean) {
  const [member] = await selectMembersByHandles(ctx.database.db, [handle.toLowerCase()]);
  if (!member) throw notFound("not_found", "There is no member with that handle.");
  if (member.id === session.memberId)
    throw badRequest("validation_failed", "You cannot mute yourself.", { field: "handle" });
  if (mute) await muteMember(ctx.database.db, session.memberId, member.id);
  else await unmuteMember(ctx.database.db, session.memberId, member.id);
  return { muted: mute, member: serializeMember(member) };
}

export async function listMutes(ctx: AppContext, session: Session) {
  const rows = await selectMutes(ctx.database.db, session.memberId);
  return { muted: rows };
}

/** Handle suggestions for the composer's @mention. */
export async function suggestHandles(ctx: AppContext, prefix: string) {
  const clean = prefix.replace(/^@/, "").toLowerCase();
  if (!/^[a-z0-9-]{0,30}$/.test(clean)) {
    throw badRequest("validation_failed", "prefix may hold letters, digits and hyphens.", {
      field: "prefix",
    });
  }
  if (clean.length === 0) return { members: [] };
  const rows = await selectHandlesByPrefix(ctx.database.db, clean, 8);
  return { members: rows };
}
