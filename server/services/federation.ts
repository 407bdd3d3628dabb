/**
 * Federation settings people change through the API: instance and actor blocks and follow
 * approvals (moderators), and each member's choice to keep their comments on the site.
 */
import {
  deleteBlock,
  findFollower,
  insertBlock,
  isOptedOut,
  selectBlocks,
  selectFollowers,
  selectReports,
  setFollowerStatus,
  setOptOut,
} from "../../db/queries/federation.ts";
import type { BlockLevel, FederationBlock } from "../../db/schema.ts";
import type { AppContext } from "../context.ts";
import { forbidden, HearthError, notFound, unprocessable } from "../errors.ts";
import { isModerator, type Session } from "./sessions.ts";

function assertModerator(session: Session): void {
  if (!isModerator(session)) throw forbidden("forbidden", "Only moderators may do this.");
}

function serializeBlock(block: FederationBlock) {
  return {
    id: String(block.id),
    kind: block.kind,
    target: block.target,
    level: block.level,
    reason: block.reason,
    createdAt: block.createdAt.toISOString(),
  };
}

/** The blocks, and whether federation is on (blocks may be set up before it is). */
export async function listBlocks(ctx: AppContext, session: Session) {
  assertModerator(session);
  return {
    blocks: (await selectBlocks(ctx.database.db)).map(serializeBlock),
    federation: ctx.config.federation.enabled,
  };
}

export interface BlockInput {
  /** A host (`mastodon.example`) for an instance block, or an actor IRI. */
  target: string;
  kind?: "instance" | "actor" | undefined;
  level: BlockLevel;
  reason?: string | undefined;
}

/**
 * Blocks an instance or an actor. Suspend: nothing goes to it, nothing from it is taken.
 * Silence: its replies are always held for review.
 */
export async function createBlock(ctx: AppContext, session: Session, input: BlockInput) {
  assertModerator(session);
  const raw = input.target.trim();
  let kind = input.kind;
  let target = raw.toLowerCase();
  if (/^https?:\/\//i.test(raw)) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw unprocessable("validation_failed", "The target is not a valid URL.", {
        field: "target",
      });
    }
    kind ??= "actor";
    target = kind === "actor" ? url.href : url.host.toLowerCase();
  } else {
    if (kind === "actor" || !/^[a-z0-9.-]+(:\d{1,5})?$/.test(target)) {
      throw unprocessable(
        "validation_failed",
        "Give an instance's host name (mastodon.example) or an actor's URL.",
        { field: "target" },
      );
    }
    kind = "instance";
  }
  const block = await insertBlock(ctx.database.db, {
    kind,
    target,
    level: input.level,
    reason: input.reason ?? null,
    createdBy: session.memberId,
  });
  return serializeBlock(block);
}

export async function removeBlock(ctx: AppContext, session: Session, id: number) {
  assertModerator(session);
  if (!(await deleteBlock(ctx.database.db, id))) {
    throw notFound("not_found", "There is no such block.");
  }
}

export async function listFollowers(
  ctx: AppContext,
  session: Session,
  status: "accepted" | "pending",
) {
  assertModerator(session);
  return (await selectFollowers(ctx.database.db, status)).map((row) => ({
    actor: row.actorIri,
    handle: row.handle,
    status: row.status,
    createdAt: row.createdAt.toISOString(),
  }));
}

/** Accepts a pending follow request (HEARTH_FEDERATION_APPROVE_FOLLOWS=1). */
export async function approveFollower(ctx: AppContext, session: Session, actorIri: string) {
  assertModerator(session);
  const runtime = ctx.federation;
  if (!runtime) throw new HearthError(409, "conflict", "Federation is turned off.");
  const follower = await findFollower(ctx.database.db, actorIri);
  if (!follower) throw notFound("not_found", "There is no follow request from that actor.");
  if (follower.status !== "accepted") {
    await setFollowerStatus(ctx.database.db, actorIri, "accepted");
    await runtime.accept(follower);
  }
  return { actor: follower.actorIri, handle: follower.handle, status: "accepted" as const };
}

export async function listReports(ctx: AppContext, session: Session) {
  assertModerator(session);
  return (await selectReports(ctx.database.db)).map((row) => ({
    id: String(row.id),
    actor: row.actorIri,
    objects: row.objectIris,
    threadId: row.threadId === null ? null : String(row.threadId),
    commentId: row.commentId === null ? null : String(row.commentId),
    content: row.content,
    createdAt: row.createdAt.toISOString(),
  }));
}

/** Whether the member's comments in federated threads go to the Fediverse. */
export async function getMemberFederation(ctx: AppContext, session: Session) {
  return { federate: !(await isOptedOut(ctx.database.db, session.memberId)) };
}

/** Opting out withdraws (Delete) what already went out and keeps later comments home. */
export async function setMemberFederation(ctx: AppContext, session: Session, federate: boolean) {
  const before = !(await isOptedOut(ctx.database.db, session.memberId));
  await setOptOut(ctx.database.db, session.memberId, !federate);
  if (before && !federate) await ctx.federation?.publisher.withdrawMember(session.memberId);
  return { federate };
}
