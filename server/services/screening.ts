/**
 * Bot screening as the server runs it: builds the signal pipeline from the configuration,
 * gives signals their records (recent signups, first-post fingerprints) from the database,
 * screens a member's first session and their first comments, and answers the host's
 * server-to-server `POST /api/screen/signup`. Verdicts and reasons are stored with the
 * member for moderators; a moderator's verdict overrides them.
 */
import { createHash } from "node:crypto";
import type { Database, DbLike } from "../../db/client.ts";
import {
  claimChallenge,
  countRecentSignups,
  countTextAuthors,
  deleteExpiredChallenges,
  deleteOldSignups,
  enqueue,
  insertSignup,
  insertText,
  type SignupState,
  saveAllowedSignup,
  selectSignupState,
  updateModeration,
} from "../../db/queries/moderation.ts";
import type { Member, MemberModeration } from "../../db/schema.ts";
import {
  createProofOfWork,
  createSignals,
  isLoopback,
  runScreening,
  type ScreeningContext,
  type ScreeningInput,
  type ScreeningResult,
  type ScreeningSignal,
  type ScreeningStore,
  type SolvedChallenge,
  subnetOf,
  textFingerprint,
  VELOCITY_WINDOW_MS,
  type Verdict,
} from "../../plugins/screening/index.ts";
import type { Config } from "../config.ts";
import type { AppContext } from "../context.ts";
import { forbidden } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { createOutboundFetch } from "../net/outbound.ts";

/**
 * Records read ahead of screening (with the member's moderation state, in one statement);
 * the store answers the signals' questions from them when they match exactly. A challenge
 * known to be fresh is recorded as used by the caller, together with the verdict.
 */
export interface KnownRecords {
  signups?: { ip: string; subnet: string; since: Date; counts: { ip: number; subnet: number } };
  challenge?: { signature: string; fresh: boolean };
}

/** The screening pipeline and what it needs, built once per process. */
export interface ScreeningKit {
  signals: readonly ScreeningSignal[];
  /** Issues proof-of-work challenges for `GET /api/screen/challenge`. */
  challenge(now: Date): Promise<unknown>;
  /** The challenge a proof-of-work payload solves, or null. */
  solved(altcha: string, now: Date): SolvedChallenge | null;
  /** Context for signals, on the given database handle. */
  context(db: DbLike, now: Date, known?: KnownRecords): ScreeningContext;
  logger: Logger;
}

export function createScreening(
  config: Config,
  database: Database,
  logger: Logger,
  sessionKey: Uint8Array,
): ScreeningKit {
  const powKey =
    config.screening.powKey ??
    createHash("sha256").update("hearth-pow:").update(sessionKey).digest("base64url");
  const pow = createProofOfWork({ hmacKey: powKey, maxNumber: config.screening.powMaxNumber });
  const external = config.screening.stopForumSpamUrl || config.screening.akismetKey;
  const fetch = external
    ? createOutboundFetch({
        httpsOnly: config.production,
        allowPrivateHosts: config.outbound.allowPrivateHosts,
        timeoutMs: config.screening.externalTimeoutMs,
        maxBytes: 64 * 1024,
      })
    : undefined;
  const signals = createSignals({
    proofOfWork: pow.signal,
    stopForumSpamUrl: config.screening.stopForumSpamUrl,
    akismet: config.screening.akismetKey
      ? {
          apiKey: config.screening.akismetKey,
          url: config.screening.akismetUrl,
          site: config.publicUrl,
        }
      : undefined,
  });
  void database;
  return {
    signals,
    challenge: (now) => pow.challenge(now),
    solved: (altcha, now) => pow.solved(altcha, now),
    context(db, now, known = {}) {
      const store: ScreeningStore = {
        async recentSignups(ip, subnet, since) {
          const read = known.signups;
          if (read && read.ip === ip && read.subnet === subnet && +read.since === +since)
            return read.counts;
          return countRecentSignups(db, ip, subnet, since);
        },
        textAuthors: (hash, memberId, since) => countTextAuthors(db, hash, memberId, since),
        async useChallenge(signature, expiresAt) {
          if (known.challenge?.signature === signature) return known.challenge.fresh;
          return claimChallenge(db, signature, expiresAt);
        },
      };
      return { now, store, fetch };
    },
    logger,
  };
}

function thresholds(ctx: AppContext) {
  return { reviewAt: ctx.config.screening.reviewAt, blockAt: ctx.config.screening.blockAt };
}

async function run(
  ctx: AppContext,
  db: DbLike,
  input: ScreeningInput,
  baseScore = 0,
  known?: { now: Date; records: KnownRecords },
): Promise<ScreeningResult> {
  return runScreening(
    ctx.screening.signals,
    input,
    known
      ? ctx.screening.context(db, known.now, known.records)
      : ctx.screening.context(db, ctx.now()),
    thresholds(ctx),
    {
      baseScore,
      onError: (signal, error) =>
        ctx.logger.error("screening signal failed", { signal, error: String(error) }),
    },
  );
}

/** Remembers a signup's address for the velocity signal (loopback is never counted). */
async function recordSignup(ctx: AppContext, db: DbLike, ip: string | undefined) {
  if (!ip || isLoopback(ip)) return;
  await insertSignup(db, ip, subnetOf(ip), ctx.now());
}

/** How often a process clears screening records nobody will ask for again. */
const PRUNE_EVERY_MS = 10 * 60_000;
const lastPruned = new WeakMap<AppContext, number>();

/**
 * After screening wrote its records: at most every ten minutes per process, deletes signups
 * and first-post fingerprints older than a day and proof-of-work challenges that expired.
 */
async function pruneRecords(ctx: AppContext): Promise<void> {
  const now = ctx.now().getTime();
  if (now - (lastPruned.get(ctx) ?? Number.NEGATIVE_INFINITY) < PRUNE_EVERY_MS) return;
  lastPruned.set(ctx, now);
  const db = ctx.database.db;
  await deleteOldSignups(db, new Date(now - 24 * 3600_000));
  await deleteExpiredChallenges(db, new Date(now));
}

/** Screens a signup from the host's own form: scored and remembered, not stored per member. */
export async function screenHostSignup(
  ctx: AppContext,
  input: Omit<ScreeningInput, "kind">,
): Promise<ScreeningResult> {
  const db = ctx.database.db;
  const result = await run(ctx, db, { ...input, kind: "signup" });
  await recordSignup(ctx, db, input.ip);
  await pruneRecords(ctx);
  return result;
}

function defaultModeration(memberId: string): MemberModeration {
  return {
    memberId,
    bannedUntil: null,
    banReason: null,
    screeningVerdict: null,
    screeningScore: null,
    screeningReasons: [],
    screenedAt: null,
    screenedComments: 0,
    moderatorVerdict: null,
    moderatorVerdictBy: null,
    moderatorVerdictAt: null,
    approvedComments: 0,
    signupIp: null,
    updatedAt: new Date(),
  };
}

/**
 * Stores a first session's screening: an allowed signup in one statement (the common case),
 * others in a transaction that also queues an account for review. With a challenge to record
 * as used, undefined when it had been used meanwhile (nothing is stored then).
 */
async function saveVerdict(
  ctx: AppContext,
  member: Member,
  result: ScreeningResult,
  now: Date,
  clientIp: string | undefined,
  challenge: SolvedChallenge | undefined,
): Promise<Partial<MemberModeration> | undefined> {
  const db = ctx.database.db;
  const fields = {
    screeningVerdict: result.verdict,
    screeningScore: result.score,
    screeningReasons: result.reasons,
    screenedAt: now,
    signupIp: clientIp ?? null,
  };
  const ip = clientIp && !isLoopback(clientIp) ? clientIp : undefined;
  if (result.verdict === "allow") {
    const saved = await saveAllowedSignup(
      db,
      member.id,
      fields,
      ip ? { ip, subnet: subnetOf(ip) } : undefined,
      challenge,
    );
    return saved ? fields : undefined;
  }
  return db.transaction(async (tx) => {
    if (challenge && !(await claimChallenge(tx, challenge.signature, challenge.expiresAt)))
      return undefined;
    const row = await updateModeration(tx, member.id, fields);
    await recordSignup(ctx, tx, clientIp);
    if (result.verdict === "review") {
      await enqueue(tx, {
        kind: "member",
        reason: "signup",
        memberId: member.id,
        details: { score: result.score },
      });
    }
    return row;
  });
}

/** The verdict that applies to a member: a moderator's verdict wins over screening. */
export function effectiveVerdict(
  moderation: Pick<MemberModeration, "moderatorVerdict" | "screeningVerdict"> | undefined,
): Verdict {
  if (moderation?.moderatorVerdict === "approved") return "allow";
  if (moderation?.moderatorVerdict === "rejected") return "block";
  return moderation?.screeningVerdict ?? "allow";
}

export interface SignupScreening {
  honeypot?: string | undefined;
  elapsedMs?: number | undefined;
  altcha?: string | undefined;
}

/** What a first session's screening reads before it decides (see `readSignup`). */
export interface SignupRead {
  now: Date;
  signups: { ip: string; subnet: string; since: Date } | undefined;
  challenge: SolvedChallenge | null | undefined;
  state: SignupState;
}

type Client = { ip?: string | undefined; userAgent?: string | undefined };

/**
 * Reads a member's moderation state and, for a first session, the velocity counts and
 * whether their proof-of-work challenge was used, in one statement that writes nothing, so
 * the session exchange can run it alongside its own reads.
 */
export async function readSignup(
  ctx: AppContext,
  memberId: string,
  screening: SignupScreening | undefined,
  client: Client,
): Promise<SignupRead> {
  const now = ctx.now();
  const ip = client.ip && !isLoopback(client.ip) ? client.ip : undefined;
  const signups = ip
    ? { ip, subnet: subnetOf(ip), since: new Date(now.getTime() - VELOCITY_WINDOW_MS) }
    : undefined;
  const challenge = screening?.altcha ? ctx.screening.solved(screening.altcha, now) : undefined;
  const state = await selectSignupState(ctx.database.db, memberId, {
    signups,
    challenge: challenge ?? undefined,
  });
  return { now, signups, challenge, state };
}

/**
 * Screens a member at their first session (moderators and admins are not screened). The
 * verdict is stored with its reasons; `review` puts the account in the moderation queue;
 * `block` (or a moderator's rejection) refuses the session with 403 `signup_blocked`.
 * `read` is what the caller read already: what `readSignup` gave, or the member's
 * moderation row (a returning member's, read with their session state).
 */
export async function screenFirstSession(
  ctx: AppContext,
  member: Member,
  screening: SignupScreening | undefined,
  client: Client,
  read?: SignupRead | { moderation: MemberModeration | undefined },
): Promise<void> {
  let moderation = read && "state" in read ? read.state.moderation : read?.moderation;
  if (!moderation?.screenedAt) {
    const signup =
      read && "state" in read ? read : await readSignup(ctx, member.id, screening, client);
    moderation = signup.state.moderation;
    if (!moderation?.screenedAt) {
      const saved = await screenSignup(ctx, member, screening, client, signup);
      moderation = { ...(moderation ?? defaultModeration(member.id)), ...saved };
      await pruneRecords(ctx);
    }
  }
  if (effectiveVerdict(moderation) === "block") {
    throw forbidden(
      "signup_blocked",
      "This account cannot join the discussion. If you think this is a mistake, contact the site.",
    );
  }
}

/** Runs the signals on a first session and stores the verdict; returns what was stored. */
async function screenSignup(
  ctx: AppContext,
  member: Member,
  screening: SignupScreening | undefined,
  client: Client,
  { now, signups, challenge, state }: SignupRead,
): Promise<Partial<MemberModeration>> {
  const records: KnownRecords = {
    ...(signups && state.recentSignups
      ? { signups: { ...signups, counts: state.recentSignups } }
      : {}),
    ...(challenge && state.challengeUsed !== undefined
      ? { challenge: { signature: challenge.signature, fresh: !state.challengeUsed } }
      : {}),
  };
  const input: ScreeningInput = {
    kind: "signup",
    email: member.email ?? undefined,
    name: member.name,
    username: member.handle,
    ip: client.ip,
    userAgent: client.userAgent,
    honeypot: screening?.honeypot,
    elapsedMs: screening?.elapsedMs,
    altcha: screening?.altcha,
    fromWidget: screening !== undefined,
  };
  // The challenge's use is recorded with the verdict. Should another signup have used it
  // in between, nothing is stored and the member is screened again knowing that.
  for (;;) {
    const result = await run(ctx, ctx.database.db, input, 0, { now, records });
    const claim =
      challenge && records.challenge?.fresh
        ? { signature: challenge.signature, expiresAt: challenge.expiresAt }
        : undefined;
    const saved = await saveVerdict(ctx, member, result, now, client.ip, claim);
    if (saved) return saved;
    records.challenge = { signature: challenge!.signature, fresh: false };
  }
}

/**
 * Screens one of a member's first comments (`HEARTH_SCREEN_FIRST_COMMENTS`) on top of their
 * signup score. Undefined when the comment is not screened (later comments, trusted or
 * approved members).
 */
export async function screenComment(
  ctx: AppContext,
  member: Member,
  moderation:
    | Pick<
        MemberModeration,
        "moderatorVerdict" | "screenedComments" | "approvedComments" | "screeningScore"
      >
    | undefined,
  body: string,
): Promise<ScreeningResult | undefined> {
  if (moderation?.moderatorVerdict === "approved") return undefined;
  if ((moderation?.screenedComments ?? 0) >= ctx.config.screening.firstComments) return undefined;
  if ((moderation?.approvedComments ?? 0) >= ctx.config.moderation.trustAfter) return undefined;
  return run(
    ctx,
    ctx.database.db,
    {
      kind: "comment",
      body,
      memberId: member.id,
      name: member.name,
      email: member.email ?? undefined,
    },
    moderation?.screeningScore ?? 0,
  );
}

/** After a screened comment is stored: count it and remember its fingerprint. */
export async function recordScreenedComment(
  ctx: AppContext,
  tx: DbLike,
  member: Member,
  moderation:
    | Pick<
        MemberModeration,
        "screeningVerdict" | "screenedComments" | "screeningReasons" | "screenedAt"
      >
    | undefined,
  body: string,
  result: ScreeningResult,
): Promise<void> {
  const hash = textFingerprint(body);
  if (hash) await insertText(tx, hash, member.id, ctx.now());
  const raised =
    result.verdict !== "allow" &&
    rank(result.verdict) > rank(moderation?.screeningVerdict ?? "allow");
  await updateModeration(tx, member.id, {
    screenedComments: (moderation?.screenedComments ?? 0) + 1,
    ...(raised
      ? {
          screeningVerdict: result.verdict,
          screeningScore: result.score,
          screeningReasons: [...(moderation?.screeningReasons ?? []), ...result.reasons],
          screenedAt: moderation?.screenedAt ?? ctx.now(),
        }
      : {}),
  });
}

function rank(verdict: Verdict): number {
  return verdict === "block" ? 2 : verdict === "review" ? 1 : 0;
}
