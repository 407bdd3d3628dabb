/**
 * Whether a new comment is published at once or held for review, decided in one place:
 * pre-moderated threads, limited members, members whose screening asks for review (until
 * they earn trust or a moderator approves them), word filters, and screening of a member's
 * first comments. Moderators' own comments are never held.
 */
import type { PostingModeration } from "../../db/queries/comments.ts";
import { selectWordFilters } from "../../db/queries/moderation.ts";
import type { Member, QueueReason, Thread, WordFilter } from "../../db/schema.ts";
import type { ScreeningResult } from "../../plugins/screening/index.ts";
import type { AppContext } from "../context.ts";
import { forbidden, unprocessable } from "../errors.ts";
import { PatternRunner } from "./pattern-runner.ts";
import { effectiveVerdict, screenComment } from "./screening.ts";
import { isModerator, type Session } from "./sessions.ts";

export interface HoldDecision {
  status: "published" | "held";
  /** Why it is held (the queue's reason). */
  reason?: QueueReason;
  details?: Record<string, unknown>;
  moderation: PostingModeration | undefined;
  /** Set when the comment was screened (one of the member's first). */
  screening?: ScreeningResult;
}

/** Word filters as this process runs them: words here, regular expressions in a worker. */
interface LoadedFilters {
  at: number;
  words: { filter: WordFilter; test: RegExp }[];
  patterns: WordFilter[];
}

const filterCache = new WeakMap<AppContext, LoadedFilters>();
const runners = new WeakMap<AppContext, PatternRunner>();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A word matches as a whole word, case-insensitively; a pattern is a regular expression. */
export function compileFilter(filter: Pick<WordFilter, "kind" | "pattern">): RegExp {
  return filter.kind === "word"
    ? new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(filter.pattern)}(?![\\p{L}\\p{N}_])`, "iu")
    : new RegExp(filter.pattern, "iu");
}

async function loadFilters(ctx: AppContext): Promise<LoadedFilters> {
  const cached = filterCache.get(ctx);
  const now = Date.now();
  if (cached && now - cached.at < Math.max(ctx.config.cacheMs, 1)) return cached;
  const loaded: LoadedFilters = { at: now, words: [], patterns: [] };
  for (const filter of await selectWordFilters(ctx.database.db)) {
    if (filter.kind === "regex") {
      loaded.patterns.push(filter);
      continue;
    }
    try {
      loaded.words.push({ filter, test: compileFilter(filter) });
    } catch {
      // Stored patterns were validated; a pattern this runtime refuses is skipped.
    }
  }
  filterCache.set(ctx, loaded);
  return loaded;
}

/** Drops this process's copy of the word filters (after an admin changes them). */
export function forgetWordFilters(ctx: AppContext): void {
  filterCache.delete(ctx);
}

export interface FilterMatch {
  /** The filters that match the text, in the order they were made. */
  matched: WordFilter[];
  /** A regular expression that ran out of time on this text (the text is held for it). */
  timedOut?: WordFilter;
}

/**
 * The word filters matching a text. Words are matched here; regular expressions in a worker
 * under `HEARTH_FILTER_TIMEOUT_MS`, so a pattern that backtracks badly holds the comment for
 * review instead of stalling the server.
 */
export async function matchWordFilters(ctx: AppContext, text: string): Promise<FilterMatch> {
  const { words, patterns } = await loadFilters(ctx);
  const matched = words.filter(({ test }) => test.test(text)).map(({ filter }) => filter);
  if (patterns.length === 0) return { matched };
  let runner = runners.get(ctx);
  if (!runner) {
    runner = new PatternRunner(ctx.config.moderation.filterTimeoutMs);
    runners.set(ctx, runner);
  }
  const outcome = await runner.test(
    patterns.map((filter) => filter.pattern),
    text,
  );
  const all = (found: WordFilter[]) => [...matched, ...found].sort((a, b) => a.id - b.id);
  if (outcome.timedOut === undefined) {
    return { matched: all(outcome.matches.map((i) => patterns[i]!)) };
  }
  const timedOut = patterns[Math.max(outcome.timedOut, 0)]!;
  ctx.logger.error("a word filter ran out of time; the comment is held for review", {
    filterId: timedOut.id,
    timeoutMs: ctx.config.moderation.filterTimeoutMs,
  });
  return { matched: all([]), timedOut };
}

/**
 * Decides a new comment's status. Throws 403 `banned` for a member whose account was
 * blocked by screening or rejected by a moderator, and 422 `comment_rejected` when a
 * word filter rejects the text.
 */
export async function decideCommentStatus(
  ctx: AppContext,
  input: {
    session: Session;
    member: Member;
    thread: Thread;
    body: string;
    /** The member's moderation record, as the caller read it just now. */
    moderation: PostingModeration | undefined;
  },
): Promise<HoldDecision> {
  const { session, member, thread, body, moderation } = input;
  if (isModerator(session)) return { status: "published", moderation: undefined };
  const verdict = effectiveVerdict(moderation);
  if (verdict === "block") throw forbidden("banned", "You can no longer post here.");

  const filters = await matchWordFilters(ctx, body);
  if (filters.matched.some((filter) => filter.action === "reject")) {
    throw unprocessable(
      "comment_rejected",
      "This comment contains words that are not allowed here.",
      { field: "body" },
    );
  }
  const held = filters.matched.find((filter) => filter.action === "hold") ?? filters.timedOut;

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
      details: {
        filterId: String(held.id),
        pattern: held.pattern,
        ...(held === filters.timedOut ? { timedOut: true } : {}),
      },
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
  const filters = await matchWordFilters(ctx, input.body);
  const matched = filters.matched[0] ?? filters.timedOut;
  if (matched) {
    return {
      reason: "word_filter",
      details: { filterId: String(matched.id), pattern: matched.pattern },
    };
  }
  return undefined;
}
