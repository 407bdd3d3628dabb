/**
 * Outbound federation. The event handler writes a job per thread or comment whose public
 * state may have changed, in the transaction of the event; the publisher claims jobs after
 * commit and brings the Fediverse in line: Create for what became public, Update for an
 * edit, Delete for what must no longer be seen. Fedify's queue does the delivery, with
 * retries. What may leave is decided in one place, `noteFor` and `isThreadFederated`:
 * only published comments by local members who have not opted out, in threads that are
 * public and marked to federate.
 */
import type { Context, Federation } from "@fedify/fedify";
import {
  Announce,
  Create,
  Delete,
  Like,
  type Note,
  PUBLIC_COLLECTION,
  type Recipient,
  Tombstone,
  Update,
} from "@fedify/vocab";
import type { Tx } from "../../db/client.ts";
import { findComment } from "../../db/queries/comments.ts";
import {
  deleteJob,
  findFederatedMember,
  findObjectForComment,
  findRemoteActorByMember,
  insertJob,
  insertObject,
  isOptedOut,
  leaseJobs,
  markObjectDeleted,
  retryJob,
  selectBlocks,
  selectFollowers,
  selectLiveOutboundObjects,
} from "../../db/queries/federation.ts";
import { findMemberById } from "../../db/queries/members.ts";
import { findThreadById } from "../../db/queries/threads.ts";
import type {
  Comment,
  EventRow,
  EventType,
  FederationBlock,
  FederationObject,
  Member,
  Thread,
} from "../../db/schema.ts";
import { REMOTE_ISSUER } from "../../db/schema.ts";
import type { AppContext } from "../context.ts";
import type { EventHandler } from "../services/events.ts";
import { WorkLoop } from "../services/work-loop.ts";
import { asRecipient, commentIri, commentNote, threadArticle, threadIri } from "./objects.ts";

export { REMOTE_ISSUER };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Only a public thread marked to federate ever leaves the server. */
export function isThreadFederated(thread: Pick<Thread, "federate" | "read">): boolean {
  return thread.federate && thread.read === "public";
}

/** A local member who is (or was) an ActivityPub actor, by id or handle. */
export async function findLocalActorMember(
  app: AppContext,
  by: { id: string } | { handle: string },
): Promise<Member | undefined> {
  if ("id" in by && !UUID.test(by.id)) return undefined;
  return findFederatedMember(app.database.db, by, REMOTE_ISSUER);
}

interface ReplyTarget {
  iri: URL;
  /** The remote author of the parent, who should hear about the reply. */
  remote?: Recipient;
}

async function replyTarget(
  app: AppContext,
  ctx: Context<AppContext>,
  comment: Comment,
  thread: Thread,
): Promise<ReplyTarget> {
  if (comment.parentId === null) return { iri: threadIri(ctx, thread.id) };
  const db = app.database.db;
  const object = await findObjectForComment(db, comment.parentId);
  if (object?.direction !== "in") return { iri: commentIri(ctx, comment.parentId) };
  const parent = await findComment(db, comment.parentId);
  const actor = parent ? await findRemoteActorByMember(db, parent.authorId) : undefined;
  return {
    iri: new URL(object.iri),
    ...(actor
      ? {
          remote: asRecipient({
            actorIri: actor.actorIri,
            inbox: actor.inbox,
            sharedInbox: actor.sharedInbox,
          }),
        }
      : {}),
  };
}

/** The Note for a comment, or null when the comment must not leave the server. */
export async function noteFor(
  app: AppContext,
  ctx: Context<AppContext>,
  comment: Comment,
): Promise<Note | null> {
  const built = await buildNote(app, ctx, comment);
  return built?.note ?? null;
}

async function buildNote(app: AppContext, ctx: Context<AppContext>, comment: Comment) {
  const db = app.database.db;
  if (comment.status !== "published") return null;
  const thread = await findThreadById(db, comment.threadId);
  if (!thread || !isThreadFederated(thread)) return null;
  const author = await findMemberById(db, comment.authorId);
  if (!author || author.issuer === REMOTE_ISSUER || author.status === "banned") return null;
  if (await isOptedOut(db, author.id)) return null;
  const target = await replyTarget(app, ctx, comment, thread);
  const alsoTo = target.remote?.id ? [target.remote.id] : [];
  return {
    note: commentNote(ctx, app.config.federation, thread, comment, target.iri, alsoTo),
    thread,
    remote: target.remote,
  };
}

const JOB_EVENTS = new Set<EventType>([
  "comment.created",
  "comment.edited",
  "comment.deleted",
  "comment.removed",
  "comment.restored",
  "comment.approved",
  "reaction.added",
  "thread.updated",
]);

/** Ways a job ends: done, or try again later. */
const MAX_JOB_ATTEMPTS = 8;
const backoff = (attempts: number) => Math.min(1000 * 2 ** Math.max(0, attempts - 1), 3_600_000);

export class FederationPublisher {
  readonly #app: AppContext;
  readonly #federation: Federation<AppContext>;
  readonly #loop: WorkLoop;
  #unsubscribe: (() => void) | undefined;
  /** Set when the handler wrote a job: the next dispatch wakes the publisher. */
  #jobsWritten = false;

  constructor(app: AppContext, federation: Federation<AppContext>, pollMs = 1000) {
    this.#app = app;
    this.#federation = federation;
    this.#loop = new WorkLoop("federation publishing", () => this.drain(), app.logger, pollMs);
  }

  /** Turns events into jobs, inside the event's dispatch transaction (only `tx` is used). */
  readonly handler: EventHandler = {
    name: "federation",
    handle: async (tx: Tx, event: EventRow) => {
      if (!JOB_EVENTS.has(event.type) || event.threadId === null) return;
      // What remote actors do to their own comments, or as reactions, is theirs to publish.
      if (event.payload.remote === true) return;
      const thread = await findThreadById(tx, event.threadId);
      if (!thread) return;
      if (!isThreadFederated(thread)) {
        const live = await selectLiveOutboundObjects(tx, { threadId: thread.id });
        if (live.length === 0) return;
      }
      await insertJob(tx, {
        threadId: thread.id,
        commentId: event.commentId,
        reason: event.type,
        payload:
          event.type === "reaction.added"
            ? { memberId: event.actorId, kind: event.payload.kind ?? null }
            : {},
      });
      this.#jobsWritten = true;
    },
  };

  start(): void {
    if (!this.#loop.stopped) return;
    this.#unsubscribe = this.#app.events.onDispatched(() => {
      if (!this.#jobsWritten) return;
      this.#jobsWritten = false;
      this.wake();
    });
    this.#loop.start();
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    await this.#loop.stop();
  }

  wake(): void {
    this.#loop.wake();
  }

  /** Works every due job; resolves when none is left that this process can claim. */
  async drain(): Promise<number> {
    const db = this.#app.database.db;
    let total = 0;
    for (;;) {
      const jobs = await db.transaction((tx) => leaseJobs(tx, 20, 120_000));
      if (jobs.length === 0) return total;
      for (const job of jobs) {
        try {
          await this.#process(job);
          await deleteJob(db, job.id);
        } catch (error) {
          this.#app.logger.error("federation job failed", {
            job: job.id,
            reason: job.reason,
            attempts: job.attempts,
            error: String(error),
          });
          if (job.attempts >= MAX_JOB_ATTEMPTS) await deleteJob(db, job.id);
          else await retryJob(db, job.id, backoff(job.attempts));
        }
      }
      total += jobs.length;
    }
  }

  /** Records a job outside the event flow (a member opting out) and wakes the publisher. */
  async withdrawMember(memberId: string): Promise<void> {
    await insertJob(this.#app.database.db, {
      threadId: 0,
      commentId: null,
      reason: "member.opted_out",
      payload: { memberId },
    });
    this.wake();
  }

  #context(): Context<AppContext> {
    return this.#federation.createContext(new URL(this.#app.config.publicUrl), this.#app);
  }

  async #process(job: {
    threadId: number;
    commentId: number | null;
    reason: string;
    payload: Record<string, unknown>;
  }): Promise<void> {
    const db = this.#app.database.db;
    const ctx = this.#context();
    if (job.reason === "member.opted_out") {
      const memberId = String(job.payload.memberId);
      for (const object of await selectLiveOutboundObjects(db, { authorId: memberId })) {
        await this.#sendDelete(ctx, object, memberId);
      }
      return;
    }
    const thread = await findThreadById(db, job.threadId);
    if (!thread) return;
    if (!isThreadFederated(thread)) return this.#withdrawThread(ctx, thread);
    if (job.commentId === null) {
      await this.#ensureArticle(ctx, thread);
      return;
    }
    const comment = await findComment(db, job.commentId);
    if (!comment) return;
    if (job.reason === "reaction.added") return this.#like(ctx, comment, job.payload);
    const object = await findObjectForComment(db, comment.id);
    if (object?.direction === "in") return; // a remote author's comment is theirs to publish
    const live = object !== undefined && object.deletedAt === null;
    const built = await buildNote(this.#app, ctx, comment);
    if (!built) {
      if (live) await this.#sendDelete(ctx, object, comment.authorId);
      return;
    }
    await this.#ensureArticle(ctx, thread);
    const recipients = await this.#recipients(built.remote ? [built.remote] : []);
    const sender = { identifier: comment.authorId };
    const iri = commentIri(ctx, comment.id);
    if (!live) {
      await insertObject(db, {
        iri: iri.href,
        direction: "out",
        threadId: thread.id,
        commentId: comment.id,
      });
      const create = new Create({
        id: new URL(`${iri.href}#create`),
        actor: ctx.getActorUri(comment.authorId),
        object: built.note,
        tos: [PUBLIC_COLLECTION],
        ccs: built.note.ccIds,
        published: built.note.published,
      });
      await this.#send(ctx, sender, recipients, create);
      const community = this.#app.config.federation.communityHandle;
      await this.#send(
        ctx,
        { identifier: community },
        recipients,
        new Announce({
          id: new URL(`${iri.href}#announce`),
          actor: ctx.getActorUri(community),
          object: iri,
          to: PUBLIC_COLLECTION,
          cc: ctx.getFollowersUri(community),
        }),
      );
    } else if (job.reason === "comment.edited") {
      await this.#send(
        ctx,
        sender,
        recipients,
        new Update({
          id: new URL(`${iri.href}#update-${Date.now()}`),
          actor: ctx.getActorUri(comment.authorId),
          object: built.note,
          to: PUBLIC_COLLECTION,
        }),
      );
    }
  }

  async #ensureArticle(ctx: Context<AppContext>, thread: Thread): Promise<void> {
    const db = this.#app.database.db;
    const iri = threadIri(ctx, thread.id);
    const existing = await selectLiveOutboundObjects(db, { threadId: thread.id });
    if (existing.some((object) => object.iri === iri.href)) return;
    await insertObject(db, {
      iri: iri.href,
      direction: "out",
      threadId: thread.id,
      commentId: null,
    });
    const community = this.#app.config.federation.communityHandle;
    const article = threadArticle(ctx, this.#app.config.federation, thread);
    await this.#send(
      ctx,
      { identifier: community },
      await this.#recipients([]),
      new Create({
        id: new URL(`${iri.href}#create`),
        actor: ctx.getActorUri(community),
        object: article,
        to: PUBLIC_COLLECTION,
        cc: ctx.getFollowersUri(community),
        published: article.published,
      }),
    );
  }

  /** Deletes everything of the thread that went out: comments first, then the Article. */
  async #withdrawThread(ctx: Context<AppContext>, thread: Thread): Promise<void> {
    const db = this.#app.database.db;
    const objects = await selectLiveOutboundObjects(db, { threadId: thread.id });
    for (const object of objects) {
      await this.#sendDelete(
        ctx,
        object,
        object.commentId === null ? this.#app.config.federation.communityHandle : object.authorId!,
      );
    }
  }

  async #sendDelete(
    ctx: Context<AppContext>,
    object: FederationObject,
    senderIdentifier: string,
  ): Promise<void> {
    await markObjectDeleted(this.#app.database.db, object.iri);
    await this.#send(
      ctx,
      { identifier: senderIdentifier },
      await this.#recipients([]),
      new Delete({
        id: new URL(`${object.iri}#delete-${Date.now()}`),
        actor: ctx.getActorUri(senderIdentifier),
        object: new Tombstone({ id: new URL(object.iri) }),
        to: PUBLIC_COLLECTION,
      }),
    );
  }

  /** A member's reaction as a Like, when the member and the comment are federated. */
  async #like(
    ctx: Context<AppContext>,
    comment: Comment,
    payload: Record<string, unknown>,
  ): Promise<void> {
    const memberId = typeof payload.memberId === "string" ? payload.memberId : undefined;
    if (!memberId) return;
    const db = this.#app.database.db;
    const member = await findLocalActorMember(this.#app, { id: memberId });
    if (!member || (await isOptedOut(db, member.id))) return;
    const object = await findObjectForComment(db, comment.id);
    if (!object || object.deletedAt !== null) return;
    const extra: Recipient[] = [];
    if (object.direction === "in") {
      const actor = await findRemoteActorByMember(db, comment.authorId);
      if (actor) extra.push(asRecipient(actor));
    }
    await this.#send(
      ctx,
      { identifier: member.id },
      await this.#recipients(extra),
      new Like({
        id: new URL(`${ctx.getActorUri(member.id).href}#likes/${comment.id}`),
        actor: ctx.getActorUri(member.id),
        object: new URL(object.iri),
      }),
    );
  }

  /** The Group's accepted followers and any extra recipients, minus suspended ones. */
  async #recipients(extra: Recipient[]): Promise<Recipient[]> {
    const db = this.#app.database.db;
    const [followers, blocks] = await Promise.all([selectFollowers(db), selectBlocks(db)]);
    const all = [...followers.map(asRecipient), ...extra];
    const seen = new Set<string>();
    return all.filter((recipient) => {
      const id = recipient.id?.href;
      if (!id || seen.has(id)) return false;
      seen.add(id);
      return !isSuspended(blocks, id);
    });
  }

  async #send(
    ctx: Context<AppContext>,
    sender: { identifier: string },
    recipients: Recipient[],
    activity: Create | Update | Delete | Announce | Like,
  ): Promise<void> {
    if (recipients.length === 0) return;
    await ctx.sendActivity(sender, recipients, activity, { preferSharedInbox: true });
  }
}

/** Whether an actor (or its instance) is suspended: nothing goes to it or comes from it. */
export function isSuspended(blocks: readonly FederationBlock[], actorIri: string): boolean {
  return blockLevel(blocks, actorIri) === "suspend";
}

export function blockLevel(
  blocks: readonly FederationBlock[],
  actorIri: string,
): "suspend" | "silence" | undefined {
  let url: URL;
  try {
    url = new URL(actorIri);
  } catch {
    return "suspend";
  }
  const hosts = [url.host.toLowerCase(), url.hostname.toLowerCase()];
  const matching = blocks.filter((block) =>
    block.kind === "actor" ? block.target === actorIri : hosts.includes(block.target),
  );
  if (matching.some((block) => block.level === "suspend")) return "suspend";
  return matching[0]?.level;
}
