/**
 * Whether a new comment is published at once or held for review, decided in one place:
 * pre-moderated threads, limited members, members whose screening asks for review (until
 * they earn trust or a moderator approves them), word filters, and screening of a member's
 * first comments. Moderators' own comments are never held.
 */
import { findModeration, selectWordFilters } from "../../db/queries/moderation.ts";
import type { Member, MemberModeration, QueueReason, Thread, WordFilter } from "../../db/schema.ts";
import type { ScreeningResult } from "../../plugins/screening/index.ts";
import type { AppContext } from "../context.ts";
import { forbidden, unprocessable } from "../errors.ts";
import { effectiveVerdict, screenComment } from "./screening.ts";
import { isModerator, type Session } from "./sessions.ts";

export interface HoldDecision {
  status: "published" | "held";
  /** Why it is held (the queue's reason). */
  reason?: QueueReason;
  details?: Record<string, unknown>;
  moderation: MemberModeration | undefined;
  /** Set when the comment was screened (one of the member's first). */
  screening?: ScreeningResult;
}

interface CompiledFilter {
  filter: WordFilter;
  test: RegExp;
}

const filterCache = new WeakMap<AppContext, { at: number; filters: CompiledFilter[] }>();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A word matches as a whole word, case-insensitively; a pattern is a regular expression. */
export function compileFilter(filter: Pick<WordFilter, "kind" | "pattern">): RegExp {
  return filter.kind === "word"
    ? new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(filter.pattern)}(?![\\p{L}\\p{N}_])`, "iu")
    : new RegExp(filter.pattern, "iu");
}

async function wordFilters(ctx: AppContext): Promise<CompiledFilter[]> {
  const cached = filterCache.get(ctx);
  const now = Date.now();
  if (cached && now - cached.at < Math.max(ctx.config.cacheMs, 1)) return cached.filters;
  const filters: CompiledFilter[] = [];
  for (const filter of await selectWordFilters(ctx.database.db)) {
    try {
      filters.push({ filter, test: compileFilter(filter) });
    } catch {
      // Stored patterns were validated; a pattern this runtime refuses is skipped.
    }
  }
  filterCache.set(ctx, { at: now, filters });
  return filters;
}

/** Drops this process's copy of the word filters (after an admin changes them). */
export function forgetWordFilters(ctx: AppContext): void {
  filterCache.delete(ctx);
}

/**
 * Decides a new comment's status. Throws 403 `banned` for a member whose account was
 * blocked by screening or rejected by a moderator, and 422 `comment_rejected` when a
 * word filter rejects the text.
 */
export async function decideCommentStatus(
  ctx: AppContext,
  input: { session: Session; member: Member; thread: Thread; body: string },
): Promise<HoldDecision> {
  const { session, member, thread, body } = input;
  if (isModerator(session)) return { status: "published", moderation: undefined };
  const moderation = await findModeration(ctx.database.db, member.id);
  const verdict = effectiveVerdict(moderation);
  if (verdict === "block") throw forbidden("banned", "You can no longer post here.");

  for (const { filter, test } of await wordFilters(ctx)) {
    if (!test.test(body)) continue;
    if (filter.action === "reject") {
      throw unprocessable(
        "comment_rejected",
        "This comment contains words that are not allowed here.",
        { field: "body" },
      );
    }
  }
  const held = (await wordFilters(ctx)).find(
    ({ filter, test }) => filter.action === "hold" && test.test(body),
  );

  const screening = await screenComment(ctx, member, moderation, body);
  const base = { moderation, ...(screening ? { screening } : {}) };
  if (screening?.verdict === "block") {
    return {
      ...base,
      status: "held",
      reason: "screening",
      details: { score: screening.score, verdict: "block" },
    };
  }
  if (thread.premoderated) return { ...base, status: "held", reason: "premoderation" };
  if (member.status === "limited") return { ...base, status: "held", reason: "limited" };
  const trusted =
    moderation?.moderatorVerdict === "approved" ||
    (moderation?.approvedComments ?? 0) >= ctx.config.moderation.trustAfter;
  if (!trusted && (verdict === "review" || screening?.verdict === "review")) {
    return {
      ...base,
      status: "held",
      reason: "screening",
      details: { score: screening?.score ?? moderation?.screeningScore ?? 0, verdict: "review" },
    };
  }
  if (held) {
    return {
      ...base,
      status: "held",
      reason: "word_filter",
      details: { filterId: String(held.filter.id), pattern: held.filter.pattern },
    };
  }
  return { ...base, status: "published" };
}

/**
 * When a moderator approves a screened account, its comments held for review are released,
 * unless another reason would hold them now: the thread is pre-moderated, the member is
 * limited, or a word filter matches. Undefined: nothing else holds the comment.
 */
export async function otherHoldReason(
  ctx: AppContext,
  input: { premoderated: boolean; memberStatus: Member["status"]; body: string },
): Promise<{ reason: QueueReason; details: Record<string, unknown> } | undefined> {
  if (input.premoderated) return { reason: "premoderation", details: {} };
  if (input.memberStatus === "limited") return { reason: "limited", details: {} };
  const matched = (await wordFilters(ctx)).find(({ test }) => test.test(input.body));
  if (matched) {
    return {
      reason: "word_filter",
      details: { filterId: String(matched.filter.id), pattern: matched.filter.pattern },
    };
  }
  return undefined;
}
