/**
 * Moderator and admin actions: the queue, decisions on comments, members and threads,
 * word filters and role grants. Every action is idempotent (doing it again changes nothing
 * and writes nothing) and every change is written to the audit log with the state before
 * and after, and recorded as a domain event, in the same transaction.
 */
import type { Tx } from "../../db/client.ts";
import { findCommentForUpdate, setCommentStatus } from "../../db/queries/comments.ts";
import { findMemberById } from "../../db/queries/members.ts";
import {
  deleteWordFilter,
  findModeration,
  incrementApprovedComments,
  insertAudit,
  insertWordFilter,
  lockModeration,
  removeMemberComments,
  requeueItem,
  resolveCommentItems,
  resolveMemberItems,
  selectAllGrants,
  selectAudit,
  selectGrantedRoles,
  selectHistories,
  selectQueue,
  selectRecentComments,
  selectScreeningHolds,
  selectWordFilters,
  setCommentPinned,
  setMemberStatus,
  updateModeration,
  updateWordFilter,
} from "../../db/queries/moderation.ts";
import { findThreadByKey, upsertThread } from "../../db/queries/threads.ts";
import type {
  Comment,
  GrantedRole,
  Member,
  MemberModeration,
  QueueReason,
  WordFilterAction,
  WordFilterKind,
} from "../../db/schema.ts";
import type { AppContext } from "../context.ts";
import { badRequest, forbidden, HearthError, notFound, unprocessable } from "../errors.ts";
import { serializeAuditEntry, serializeQueueRow } from "../serializers/moderation.ts";
import { parseCommentId } from "./comments.ts";
import { compileFilter, forgetWordFilters, otherHoldReason } from "./holding.ts";
import { checkRegexFilter } from "./regex-safety.ts";
import { changeGrant, memberRoles } from "./roles.ts";
import { isAdmin, type Session } from "./sessions.ts";
import { assertThreadKey } from "./threads.ts";

function encodeCursor(id: number): string {
  return Buffer.from(String(id)).toString("base64url");
}

function decodeCursor(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  const text = Buffer.from(raw, "base64url").toString("utf8");
  const value = Number(text);
  if (!/^\d{1,16}$/.test(text) || !Number.isSafeInteger(value))
    throw badRequest("validation_failed", "The cursor is not valid.", { field: "cursor" });
  return value;
}

async function audit(
  tx: Tx,
  session: Session,
  action: string,
  target: { type: "comment" | "member" | "thread" | "filter"; id: string },
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
) {
  await insertAudit(tx, {
    actorId: session.memberId,
    action,
    targetType: target.type,
    targetId: target.id,
    before,
    after,
  });
}

// --- the queue -----------------------------------------------------------------------------

export interface QueueOptions {
  reason?: QueueReason | undefined;
  thread?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

/** Held comments and screened accounts, oldest first, with their context. */
export async function getQueue(ctx: AppContext, options: QueueOptions) {
  if (options.thread !== undefined) assertThreadKey(options.thread);
  const rows = await selectQueue(ctx.database.db, {
    ...(options.reason ? { reason: options.reason } : {}),
    ...(options.thread !== undefined ? { threadKey: options.thread } : {}),
    ...(options.cursor ? { afterId: decodeCursor(options.cursor)! } : {}),
    limit: options.limit + 1,
  });
  const page = rows.slice(0, options.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(serializeQueueRow),
    nextCursor: rows.length > options.limit && last ? encodeCursor(last.item.id) : null,
  };
}

// --- comments ------------------------------------------------------------------------------

type CommentAction = "approve" | "remove" | "restore" | "pin" | "unpin";

export interface CommentActionResult {
  id: string;
  status: Comment["status"];
  pinned: boolean;
  /** False when the comment was already in that state (nothing was written). */
  changed: boolean;
}

/**
 * Approves, removes (with a reason for the author), restores, pins or unpins a comment.
 * Approving a comment that is not held, removing one already removed and the like change
 * nothing and answer `changed: false`.
 */
export async function moderateComment(
  ctx: AppContext,
  session: Session,
  id: number,
  action: CommentAction,
  options: { reason?: string | undefined } = {},
): Promise<CommentActionResult> {
  const result = await ctx.database.db.transaction(async (tx) => {
    const comment = await findCommentForUpdate(tx, id);
    if (!comment) throw notFound("comment_not_found", "There is no such comment.");
    const before = { status: comment.status, pinned: comment.pinnedAt !== null };
    const target = { type: "comment" as const, id: String(comment.id) };
    const event = { threadId: comment.threadId, commentId: comment.id, actorId: session.memberId };
    let updated: Comment = comment;
    switch (action) {
      case "approve": {
        if (comment.status !== "held") {
          if (comment.status === "published") return { comment, changed: false };
          throw new HearthError(
            409,
            "conflict",
            "A removed or deleted comment cannot be approved; restore it instead.",
          );
        }
        updated = await setCommentStatus(tx, comment, "published");
        await resolveCommentItems(tx, comment.id);
        await incrementApprovedComments(tx, comment.authorId);
        await ctx.events.record(tx, {
          type: "comment.approved",
          ...event,
          payload: { authorId: comment.authorId, by: "moderator" },
        });
        break;
      }
      case "remove": {
        if (comment.status === "removed" || comment.status === "deleted") {
          await resolveCommentItems(tx, comment.id);
          return { comment, changed: false };
        }
        updated = await setCommentStatus(tx, comment, "removed");
        await resolveCommentItems(tx, comment.id);
        await ctx.events.record(tx, {
          type: "comment.removed",
          ...event,
          payload: {
            authorId: comment.authorId,
            previousStatus: comment.status,
            reason: options.reason ?? null,
            by: "moderator",
          },
        });
        break;
      }
      case "restore": {
        if (comment.status !== "removed") {
          if (comment.status === "deleted")
            throw new HearthError(
              409,
              "conflict",
              "Its author deleted this comment; it cannot be restored.",
            );
          return { comment, changed: false };
        }
        updated = await setCommentStatus(tx, comment, "published");
        await ctx.events.record(tx, {
          type: "comment.restored",
          ...event,
          payload: { authorId: comment.authorId, by: "moderator" },
        });
        break;
      }
      case "pin":
      case "unpin": {
        const pin = action === "pin";
        if ((comment.pinnedAt !== null) === pin) return { comment, changed: false };
        if (pin && comment.status !== "published")
          throw new HearthError(409, "conflict", "Only a published comment can be pinned.");
        updated = await setCommentPinned(tx, comment, pin);
        await ctx.events.record(tx, {
          type: pin ? "comment.pinned" : "comment.unpinned",
          ...event,
          payload: { authorId: comment.authorId },
        });
        break;
      }
    }
    const after = { status: updated.status, pinned: updated.pinnedAt !== null };
    await audit(
      tx,
      session,
      `comment.${action}`,
      target,
      before,
      action === "remove" ? { ...after, reason: options.reason ?? null } : after,
    );
    return { comment: updated, changed: true };
  });
  if (result.changed) {
    ctx.caches.pages.invalidate(result.comment.threadId);
    ctx.events.wake();
  }
  return {
    id: String(result.comment.id),
    status: result.comment.status,
    pinned: result.comment.pinnedAt !== null,
    changed: result.changed,
  };
}

/** Approves or removes up to 100 comments; each result says what happened to it. */
export async function moderateComments(
  ctx: AppContext,
  session: Session,
  ids: string[],
  action: "approve" | "remove",
  options: { reason?: string | undefined } = {},
) {
  const results: (
    | CommentActionResult
    | { id: string; error: { code: string; message: string } }
  )[] = [];
  for (const id of ids) {
    try {
      results.push(await moderateComment(ctx, session, parseCommentId(id), action, options));
    } catch (error) {
      if (!(error instanceof HearthError)) throw error;
      results.push({ id, error: { code: error.code, message: error.message } });
    }
  }
  return results;
}

// --- members -------------------------------------------------------------------------------

async function targetMember(ctx: AppContext, id: string): Promise<Member> {
  const member = await findMemberById(ctx.database.db, id);
  if (!member) throw notFound("not_found", "There is no such member.");
  return member;
}

async function targetIsAdmin(ctx: AppContext, member: Member): Promise<boolean> {
  if (memberRoles(ctx.config, member, []).includes("admin")) return true;
  return (await selectGrantedRoles(ctx.database.db, member.id)).includes("admin");
}

function memberState(member: Pick<Member, "status">, moderation: MemberModeration) {
  return {
    status: member.status,
    bannedUntil: moderation.bannedUntil?.toISOString() ?? null,
    moderatorVerdict: moderation.moderatorVerdict,
  };
}

export type MemberAction = "ban" | "unban" | "limit" | "unlimit" | "approve" | "reject";

export interface BanOptions {
  /** Ban until this time; without it (and without `durationSeconds`) the ban is for good. */
  until?: Date | undefined;
  durationSeconds?: number | undefined;
  /** Remove all of the member's comments too. */
  removeContent?: boolean | undefined;
  reason?: string | undefined;
}

/**
 * Bans (for a time or for good, optionally removing all their comments), unbans, limits
 * (their new comments are held), unlimits, approves or rejects a screened account.
 * Moderators may not act on admins (403); nobody may act on themselves.
 */
export async function moderateMember(
  ctx: AppContext,
  session: Session,
  memberId: string,
  action: MemberAction,
  options: BanOptions = {},
) {
  const member = await targetMember(ctx, memberId);
  if (member.id === session.memberId)
    throw forbidden("forbidden", "You cannot moderate your own account.");
  if (!isAdmin(session) && (await targetIsAdmin(ctx, member)))
    throw forbidden("forbidden", "Moderators cannot act on admins.");
  const now = ctx.now();
  let until: Date | null = null;
  if (action === "ban") {
    if (options.until) until = options.until;
    else if (options.durationSeconds)
      until = new Date(now.getTime() + options.durationSeconds * 1000);
    if (until && until <= now)
      throw unprocessable("validation_failed", "A ban must end in the future.", { field: "until" });
  }
  const result = await ctx.database.db.transaction(async (tx) => {
    const moderation = await lockModeration(tx, member.id);
    const current = (await findMemberById(tx, member.id))!;
    const before = memberState(current, moderation);
    let status = current.status;
    let fields: Partial<MemberModeration> = {};
    switch (action) {
      case "ban":
        status = "banned";
        fields = { bannedUntil: until, banReason: options.reason ?? null };
        break;
      case "unban":
        status = current.status === "banned" ? "active" : current.status;
        fields = {
          bannedUntil: null,
          banReason: null,
          ...(moderation.moderatorVerdict === "rejected" ? { moderatorVerdict: null } : {}),
        };
        break;
      case "limit":
        if (current.status === "banned")
          throw new HearthError(409, "conflict", "This member is banned; unban them first.");
        status = "limited";
        break;
      case "unlimit":
        status = current.status === "limited" ? "active" : current.status;
        break;
      case "approve":
        fields = {
          moderatorVerdict: "approved",
          moderatorVerdictBy: session.memberId,
          moderatorVerdictAt: now,
        };
        if (current.status === "banned" && moderation.moderatorVerdict === "rejected")
          status = "active";
        break;
      case "reject":
        fields = {
          moderatorVerdict: "rejected",
          moderatorVerdictBy: session.memberId,
          moderatorVerdictAt: now,
        };
        status = "banned";
        break;
    }
    const next = { ...moderation, ...fields };
    const after = memberState({ status }, next as MemberModeration);
    const removed =
      action === "ban" && options.removeContent ? await removeMemberComments(tx, member.id) : [];
    // A banned member's comments stay held until they are unbanned and approved.
    const held =
      action === "approve" && status !== "banned" ? await selectScreeningHolds(tx, member.id) : [];
    if (action === "approve" || action === "reject") await resolveMemberItems(tx, member.id);
    const same =
      after.status === before.status &&
      after.bannedUntil === before.bannedUntil &&
      after.moderatorVerdict === before.moderatorVerdict;
    if (same && removed.length === 0 && held.length === 0)
      return { changed: false, state: before, removed, published: [] };
    if (status !== current.status) await setMemberStatus(tx, member.id, status);
    if (Object.keys(fields).length > 0) await updateModeration(tx, member.id, fields);
    const released = await releaseScreeningHolds(ctx, tx, session, held, status);
    for (const comment of removed) {
      await resolveCommentItems(tx, comment.id);
      await ctx.events.record(tx, {
        type: "comment.removed",
        threadId: comment.threadId,
        commentId: comment.id,
        actorId: session.memberId,
        payload: { authorId: member.id, reason: options.reason ?? null, by: "moderator" },
      });
    }
    await ctx.events.record(tx, {
      type: "member.moderated",
      actorId: session.memberId,
      payload: {
        memberId: member.id,
        action,
        ...(action === "ban"
          ? { until: until?.toISOString() ?? null, reason: options.reason ?? null }
          : {}),
        ...(removed.length ? { removedComments: removed.length } : {}),
        ...(released.published.length ? { publishedComments: released.published.length } : {}),
      },
    });
    await audit(tx, session, `member.${action}`, { type: "member", id: member.id }, before, {
      ...after,
      ...(removed.length ? { removedComments: removed.length } : {}),
      ...(released.published.length
        ? { publishedComments: released.published.map((c) => String(c.id)) }
        : {}),
      ...(released.kept.length ? { stillHeld: released.kept } : {}),
      ...(options.reason ? { reason: options.reason } : {}),
    });
    return { changed: true, state: after, removed, published: released.published };
  });
  if (result.changed) {
    ctx.caches.members.invalidate(member.id);
    for (const threadId of new Set([...result.removed, ...result.published].map((c) => c.threadId)))
      ctx.caches.pages.invalidate(threadId);
    ctx.events.wake();
  }
  return {
    member: { id: member.id, handle: member.handle, name: member.name, ...result.state },
    changed: result.changed,
    ...(action === "approve"
      ? { publishedComments: result.published.map((c) => String(c.id)) }
      : {}),
  };
}

/**
 * Approving a screened account releases the comments its review held: each is published
 * (approved, audited and recorded like a moderator's approval of that comment) unless another
 * reason holds it now (pre-moderation, a limit, a word filter); then its queue item keeps it
 * held for that reason. Comments whose own screening said block stay in the queue.
 */
async function releaseScreeningHolds(
  ctx: AppContext,
  tx: Tx,
  session: Session,
  held: Awaited<ReturnType<typeof selectScreeningHolds>>,
  memberStatus: Member["status"],
) {
  const published: Comment[] = [];
  const kept: { id: string; reason: QueueReason }[] = [];
  for (const { itemId, details, comment, premoderated } of held) {
    const other = await otherHoldReason(ctx, { premoderated, memberStatus, body: comment.body });
    if (other) {
      await requeueItem(tx, itemId, other.reason, { ...details, ...other.details });
      kept.push({ id: String(comment.id), reason: other.reason });
      continue;
    }
    const updated = await setCommentStatus(tx, comment, "published");
    await resolveCommentItems(tx, comment.id);
    await ctx.events.record(tx, {
      type: "comment.approved",
      threadId: comment.threadId,
      commentId: comment.id,
      actorId: session.memberId,
      payload: { authorId: comment.authorId, by: "moderator", accountApproved: true },
    });
    await audit(
      tx,
      session,
      "comment.approve",
      { type: "comment", id: String(comment.id) },
      { status: "held", pinned: comment.pinnedAt !== null },
      { status: "published", pinned: updated.pinnedAt !== null, accountApproved: true },
    );
    published.push(updated);
  }
  if (published.length > 0)
    await incrementApprovedComments(tx, published[0]!.authorId, published.length);
  return { published, kept };
}

/** A member's profile, moderation state, history and screening, for moderators. */
export async function getMemberForModerator(ctx: AppContext, memberId: string) {
  const db = ctx.database.db;
  const member = await targetMember(ctx, memberId);
  const [moderation, histories, recent, granted, auditRows] = await Promise.all([
    findModeration(db, member.id),
    selectHistories(db, [member.id]),
    selectRecentComments(db, member.id, 20),
    selectGrantedRoles(db, member.id),
    selectAudit(db, { limit: 20, targetType: "member", targetId: member.id }),
  ]);
  const history = histories.get(member.id)!;
  return {
    member: {
      id: member.id,
      handle: member.handle,
      name: member.name,
      avatar: member.avatar,
      emailDomain: member.email?.split("@")[1] ?? null,
      roles: memberRoles(ctx.config, member, granted),
      grantedRoles: granted,
      status: member.status,
      createdAt: member.createdAt.toISOString(),
    },
    moderation: {
      bannedUntil: moderation?.bannedUntil?.toISOString() ?? null,
      banReason: moderation?.banReason ?? null,
      approvedComments: moderation?.approvedComments ?? 0,
      trusted:
        moderation?.moderatorVerdict === "approved" ||
        (moderation?.approvedComments ?? 0) >= ctx.config.moderation.trustAfter,
      moderatorVerdict: moderation?.moderatorVerdict ?? null,
      screening: {
        verdict: moderation?.screeningVerdict ?? null,
        score: moderation?.screeningScore ?? null,
        reasons: moderation?.screeningReasons ?? [],
        screenedAt: moderation?.screenedAt?.toISOString() ?? null,
      },
    },
    history: {
      comments: history.comments,
      flagsReceived: history.flagsReceived,
      firstCommentAt: history.firstCommentAt?.toISOString() ?? null,
    },
    recentComments: recent.map((c) => ({
      id: String(c.id),
      threadKey: c.threadKey,
      parentId: c.parentId === null ? null : String(c.parentId),
      html: c.status === "removed" || c.status === "deleted" ? c.html : c.html,
      status: c.status,
      createdAt: c.createdAt.toISOString(),
    })),
    audit: auditRows.map(serializeAuditEntry),
  };
}

// --- threads -------------------------------------------------------------------------------

export type ThreadAction = "lock" | "unlock" | "premoderate" | "unpremoderate";

/** Locks or unlocks a thread, or turns pre-moderation on or off. */
export async function moderateThread(
  ctx: AppContext,
  session: Session,
  key: string,
  action: ThreadAction,
) {
  assertThreadKey(key);
  const field = action === "lock" || action === "unlock" ? "locked" : "premoderated";
  const value = action === "lock" || action === "premoderate";
  const result = await ctx.database.db.transaction(async (tx) => {
    const thread = await findThreadByKey(tx, key);
    if (!thread) throw notFound("thread_not_found", "There is no thread under that key yet.");
    const before = { locked: thread.locked, premoderated: thread.premoderated };
    if (thread[field] === value) return { thread, changed: false };
    const updated = await upsertThread(tx, { key, [field]: value });
    const after = { locked: updated.locked, premoderated: updated.premoderated };
    await ctx.events.record(tx, {
      type: "thread.updated",
      threadId: thread.id,
      actorId: session.memberId,
      payload: { [field]: value, by: "moderator" },
    });
    await audit(tx, session, `thread.${action}`, { type: "thread", id: key }, before, after);
    return { thread: updated, changed: true };
  });
  if (result.changed) {
    ctx.caches.threads.invalidate(key);
    ctx.caches.pages.invalidate(result.thread.id);
    ctx.events.wake();
  }
  return {
    thread: { key, locked: result.thread.locked, premoderated: result.thread.premoderated },
    changed: result.changed,
  };
}

// --- audit ---------------------------------------------------------------------------------

/** The audit log, newest first. */
export async function getAudit(
  ctx: AppContext,
  options: { cursor?: string | undefined; limit: number },
) {
  const beforeId = decodeCursor(options.cursor);
  const rows = await selectAudit(ctx.database.db, {
    ...(beforeId !== undefined ? { beforeId } : {}),
    limit: options.limit + 1,
  });
  const page = rows.slice(0, options.limit);
  const last = page[page.length - 1];
  return {
    entries: page.map(serializeAuditEntry),
    nextCursor: rows.length > options.limit && last ? encodeCursor(last.id) : null,
  };
}

// --- word filters (admins) -----------------------------------------------------------------

export interface FilterInput {
  kind: WordFilterKind;
  pattern: string;
  action: WordFilterAction;
}

function serializeFilter(filter: {
  id: number;
  kind: string;
  pattern: string;
  action: string;
  createdAt: Date;
}) {
  return {
    id: String(filter.id),
    kind: filter.kind,
    pattern: filter.pattern,
    action: filter.action,
    createdAt: filter.createdAt.toISOString(),
  };
}

/**
 * A word is matched literally; a regular expression must compile and be safe to run on every
 * comment (422 `invalid_filter` or `unsafe_filter`, with a rewrite when one is known).
 */
async function assertFilter(input: Pick<FilterInput, "kind" | "pattern">) {
  if (input.kind === "word") {
    compileFilter(input);
    return;
  }
  const check = await checkRegexFilter(input.pattern);
  if (!check.ok) {
    throw unprocessable(check.code, check.message, {
      field: "pattern",
      ...(check.suggestion ? { suggestion: check.suggestion } : {}),
    });
  }
}

export async function listFilters(ctx: AppContext) {
  return (await selectWordFilters(ctx.database.db)).map(serializeFilter);
}

export async function createFilter(ctx: AppContext, session: Session, input: FilterInput) {
  await assertFilter(input);
  const filter = await ctx.database.db.transaction(async (tx) => {
    const row = await insertWordFilter(tx, { ...input, createdBy: session.memberId });
    await audit(tx, session, "filter.create", { type: "filter", id: String(row.id) }, null, {
      kind: row.kind,
      pattern: row.pattern,
      action: row.action,
    });
    return row;
  });
  forgetWordFilters(ctx);
  return serializeFilter(filter);
}

export async function changeFilter(
  ctx: AppContext,
  session: Session,
  id: number,
  input: Partial<FilterInput>,
) {
  const filter = await ctx.database.db.transaction(async (tx) => {
    const [existing] = (await selectWordFilters(tx)).filter((f) => f.id === id);
    if (!existing) throw notFound("not_found", "There is no such filter.");
    const next = {
      kind: input.kind ?? existing.kind,
      pattern: input.pattern ?? existing.pattern,
      action: input.action ?? existing.action,
    };
    await assertFilter(next);
    const before = { kind: existing.kind, pattern: existing.pattern, action: existing.action };
    if (
      before.kind === next.kind &&
      before.pattern === next.pattern &&
      before.action === next.action
    )
      return existing;
    const row = (await updateWordFilter(tx, id, next))!;
    await audit(tx, session, "filter.update", { type: "filter", id: String(id) }, before, next);
    return row;
  });
  forgetWordFilters(ctx);
  return serializeFilter(filter);
}

export async function removeFilter(ctx: AppContext, session: Session, id: number) {
  await ctx.database.db.transaction(async (tx) => {
    const row = await deleteWordFilter(tx, id);
    if (!row) throw notFound("not_found", "There is no such filter.");
    await audit(
      tx,
      session,
      "filter.delete",
      { type: "filter", id: String(id) },
      {
        kind: row.kind,
        pattern: row.pattern,
        action: row.action,
      },
      null,
    );
  });
  forgetWordFilters(ctx);
}

// --- role grants (admins) ------------------------------------------------------------------

export async function listGrants(ctx: AppContext) {
  return (await selectAllGrants(ctx.database.db)).map((grant) => ({
    member: { id: grant.memberId, handle: grant.handle, name: grant.name },
    role: grant.role,
    grantedBy: grant.grantedBy,
    createdAt: grant.createdAt.toISOString(),
  }));
}

/** Grants or revokes a role; it takes effect at the member's next session exchange. */
export async function setGrant(
  ctx: AppContext,
  session: Session,
  memberId: string,
  role: GrantedRole,
  grant: boolean,
) {
  const member = await targetMember(ctx, memberId);
  const changed = await changeGrant(ctx, { memberId: session.memberId }, member, role, grant);
  const granted = await selectGrantedRoles(ctx.database.db, member.id);
  return {
    member: {
      id: member.id,
      handle: member.handle,
      roles: memberRoles(ctx.config, member, granted),
      grantedRoles: granted,
    },
    changed,
  };
}
