/**
 * Inbound federation. Fedify verifies HTTP signatures before anything here runs (unsigned
 * or badly signed requests get 401); these handlers then apply the activity: follows of
 * the Group, replies that become held comments by remote authors, their edits and
 * deletions, likes as reactions, flags as reports. Activities from suspended instances or
 * actors are dropped without a change. They run at once in the receiving process, or later
 * from the queue (inbound.ts): each waits for the activity to be stored before it changes
 * anything, and tells an activity it already applied from a new one.
 */
import type { Context, Federation } from "@fedify/fedify";
import {
  Accept,
  type Actor,
  Create,
  Delete,
  Flag,
  Follow,
  isActor,
  Like,
  Note,
  Undo,
  Update,
} from "@fedify/vocab";
import { validatePublicUrl } from "@fedify/vocab-runtime";
import {
  addReaction,
  findComment,
  removeReaction,
  reviseComment,
  setCommentStatus,
} from "../../db/queries/comments.ts";
import {
  deleteFollower,
  findObject,
  findRemoteActorByIri,
  insertReport,
  markObjectDeleted,
  upsertFollower,
} from "../../db/queries/federation.ts";
import {
  findReplyContext,
  insertInboundReply,
  type RemoteAuthor,
  type RemoteAuthorProfile,
  type ReplyContext,
  upsertRemoteAuthor,
} from "../../db/queries/federation-inbound.ts";
import { enqueue } from "../../db/queries/moderation.ts";
import type { Comment } from "../../db/schema.ts";
import type { AppContext } from "../context.ts";
import { htmlToText, sanitizeRemoteHtml } from "../services/markdown.ts";
import { storable } from "../services/storable-text.ts";
import type { InboundActivities, InboundRun } from "./inbound.ts";
import { asRecipient, federationRoutes, mountPathOf } from "./objects.ts";
import { isThreadFederated, REMOTE_ISSUER } from "./publishing.ts";

const MAX_BODY = 10_000;

type Ctx = Context<AppContext>;

/**
 * Whether Hearth may deliver to this inbox: never to private, loopback or link-local
 * addresses (a remote actor must not point deliveries into our network), unless
 * `HEARTH_FEDERATION_ALLOW_PRIVATE=1`.
 */
export async function isDeliverable(app: AppContext, inbox: URL | null): Promise<boolean> {
  if (!inbox) return false;
  if (app.config.federation.allowPrivate) return true;
  try {
    await validatePublicUrl(inbox.href);
    return true;
  } catch {
    return false;
  }
}

/** What a comment takes from a Note: sanitized HTML and its text, capped in length. */
export function readNote(note: Note): {
  id: URL;
  inReplyTo: URL | null;
  author: URL | null;
  html: string;
  body: string;
} | null {
  if (!note.id) return null;
  const html = sanitizeRemoteHtml(storable(note.content?.toString() ?? ""));
  return {
    id: note.id,
    inReplyTo: note.replyTargetId,
    author: note.attributionId,
    html,
    body: storable(htmlToText(html).slice(0, MAX_BODY)),
  };
}

function handleOf(actor: Actor, iri: URL): string {
  const username = actor.preferredUsername?.toString() ?? iri.pathname.split("/").pop() ?? "user";
  return storable(`${username}@${iri.host}`.slice(0, 200));
}

/** What the member row standing for a remote author takes from their actor. */
async function remoteProfile(
  ctx: Ctx,
  actor: Actor,
): Promise<Omit<RemoteAuthorProfile, "handle"> & { handles: string[] }> {
  const iri = actor.id!;
  const icon = await actor.getIcon().catch(() => null);
  const avatar = icon?.url instanceof URL ? icon.url.href : null;
  const name = storable(
    (actor.name?.toString() ?? actor.preferredUsername?.toString() ?? iri.host).slice(0, 200),
  );
  // The profile page is linked from their comments: only ever an http(s) address.
  const url =
    actor.url instanceof URL && /^https?:$/.test(actor.url.protocol) ? actor.url.href : null;
  const sharedInbox = actor.endpoints?.sharedInbox ?? null;
  const handle = handleOf(actor, iri);
  return {
    issuer: REMOTE_ISSUER,
    actorIri: iri.href,
    // A new member takes the first of these that is free.
    handles: [handle, ...[2, 3, 4, 5].map((n) => `${handle}-${n}`)],
    name,
    avatar,
    host: iri.host.toLowerCase(),
    inbox: (await isDeliverable(ctx.data, actor.inboxId)) ? actor.inboxId!.href : null,
    sharedInbox: (await isDeliverable(ctx.data, sharedInbox)) ? sharedInbox!.href : null,
    url: url ?? iri.href,
  };
}

/**
 * The member row standing for a remote author, created (`created`) or refreshed from their
 * actor, with their `federation_remote_actors` row; written once the activity is stored.
 */
async function remoteAuthor(ctx: Ctx, actor: Actor, run: InboundRun): Promise<RemoteAuthor> {
  const { handles, ...profile } = await remoteProfile(ctx, actor);
  await run.stored;
  for (const handle of handles) {
    const author = await upsertRemoteAuthor(ctx.data.database.db, { ...profile, handle });
    if (author) return author;
  }
  throw new Error(`no handle for ${profile.actorIri}`);
}

/** Where a reply lands: the thread (replying to its Article) and the parent comment. */
async function resolveReplyTarget(
  ctx: Ctx,
  target: URL,
  noteIri?: URL,
): Promise<ReplyContext | undefined> {
  const db = ctx.data.database.db;
  const parsed = ctx.parseUri(target);
  if (parsed?.type === "object" && /^\d{1,15}$/.test(parsed.values.id ?? "")) {
    const id = Number(parsed.values.id);
    const ref = parsed.class === Note ? { commentId: id } : { threadId: id };
    return findReplyContext(db, ref, noteIri?.href);
  }
  const context = await findReplyContext(db, { objectIri: target.href }, noteIri?.href);
  return context?.parent ? context : undefined;
}

async function onFollow(ctx: Ctx, follow: Follow, run: InboundRun): Promise<void> {
  if ((await run.block) === "suspend") return;
  const community = ctx.data.config.federation.communityHandle;
  const parsed = ctx.parseUri(follow.objectId);
  if (parsed?.type !== "actor" || parsed.identifier !== community) return;
  const follower = await follow.getActor();
  if (!follower?.id || !(await isDeliverable(ctx.data, follower.inboxId))) return;
  const sharedInbox = follower.endpoints?.sharedInbox ?? null;
  const approve = ctx.data.config.federation.approveFollows;
  const deliverableShared = await isDeliverable(ctx.data, sharedInbox);
  await run.stored;
  const row = await upsertFollower(ctx.data.database.db, {
    actorIri: follower.id.href,
    inbox: follower.inboxId!.href,
    sharedInbox: deliverableShared ? sharedInbox!.href : null,
    handle: handleOf(follower, follower.id),
    followIri: follow.id?.href ?? null,
    status: approve ? "pending" : "accepted",
  });
  if (row.status === "accepted") {
    await ctx.sendActivity(
      { identifier: community },
      follower,
      new Accept({
        id: new URL(`#accepts/${encodeURIComponent(follower.id.href)}`, ctx.getActorUri(community)),
        actor: ctx.getActorUri(community),
        object: follow,
      }),
    );
  }
}

async function onUndo(ctx: Ctx, undo: Undo, run: InboundRun): Promise<void> {
  const object = await undo.getObject();
  const actorId = undo.actorId;
  if (!actorId) return;
  if (object instanceof Follow) {
    if (object.actorId?.href !== actorId.href) return;
    await run.stored;
    await deleteFollower(ctx.data.database.db, actorId.href);
    return;
  }
  if (object instanceof Like) {
    if (object.actorId?.href !== actorId.href || !object.objectId) return;
    const db = ctx.data.database.db;
    const author = await findRemoteActorByIri(db, actorId.href);
    const target = await resolveReplyTarget(ctx, object.objectId);
    if (!author || !target?.parent) return;
    const parent = target.parent;
    await run.stored;
    await db.transaction(async (tx) => {
      await removeReaction(tx, parent, author.memberId, "like");
    });
    ctx.data.caches.pages.invalidate(parent.threadId);
  }
}

/** Thrown by `OFFLINE`: the object is not inside the activity and would be fetched. */
class NotEmbedded extends Error {}

const OFFLINE = (url: string): Promise<never> => Promise.reject(new NotEmbedded(url));

/** The activity's object when it came inside the activity; undefined when it must be fetched. */
async function embeddedObject(ctx: Ctx, activity: Create) {
  try {
    return await activity.getObject({ documentLoader: OFFLINE, contextLoader: ctx.contextLoader });
  } catch (error) {
    if (error instanceof NotEmbedded) return undefined;
    throw error;
  }
}

async function onCreate(ctx: Ctx, create: Create, run: InboundRun): Promise<void> {
  const replyOf = (object: unknown) => {
    const note = object instanceof Note ? readNote(object) : null;
    return note?.inReplyTo && note.author?.href === create.actorId?.href
      ? { ...note, inReplyTo: note.inReplyTo }
      : undefined;
  };
  // A Note that came inside the Create is read without the network, and where it lands is
  // looked up while the activity is being stored. One that must be fetched is fetched only
  // once its author is known not to be suspended.
  const embedded = await embeddedObject(ctx, create);
  let note = replyOf(embedded);
  let landing = note && resolveReplyTarget(ctx, note.inReplyTo, note.id);
  landing?.catch(() => {}); // awaited below unless the author is suspended
  const block = await run.block;
  if (block === "suspend") return;
  if (embedded === undefined) {
    note = replyOf(await create.getObject());
    landing = note && resolveReplyTarget(ctx, note.inReplyTo, note.id);
  }
  if (!note || !landing) return;
  // The author's actor document (usually from the cache) is loaded while the reply's
  // target is looked up: they do not depend on each other.
  const actorLoaded = create.getActor().catch(() => null);
  const target = await landing;
  if (!target || target.known) return; // nowhere to land, or already received
  if (!isThreadFederated(target.thread)) return;
  const { thread, parent } = target;
  if (parent && (parent.status === "deleted" || parent.status === "removed")) return;
  if (thread.locked) return;
  const actor = await actorLoaded;
  if (!actor?.id) return;
  const { html, body } = note;
  if (!body) return;
  const { handles, ...profile } = await remoteProfile(ctx, actor);
  const queueMessageId = await run.stored;
  // One statement refreshes or makes the author's member row and stores the comment with
  // its moderation item, received object and event, and deletes the activity's queue
  // message: the reply is applied exactly once. It is held for review until the remote
  // author has one approved comment; always held when their instance is silenced, the
  // thread premoderated or the author limited (see insertInboundReply).
  for (const handle of handles) {
    const { authored, comment } = await insertInboundReply(ctx.data.database.db, {
      noteIri: note.id.href,
      threadId: thread.id,
      parent,
      author: { ...profile, handle },
      mayPublish: block !== "silence" && !thread.premoderated,
      body,
      html: html || "<p></p>",
      heldDetails: { actor: profile.actorIri, silenced: block === "silence" },
      queueMessageId,
    });
    if (!authored) continue; // the handle is taken: the next one
    run.acknowledged = true;
    if (!comment) return;
    ctx.data.caches.pages.invalidate(thread.id);
    ctx.data.events.wake();
    return;
  }
  throw new Error(`no handle for ${profile.actorIri}`);
}

/** The comment a remote object became, when `actorIri` is its author. */
async function ownComment(ctx: Ctx, objectIri: URL, actorIri: URL) {
  const db = ctx.data.database.db;
  const object = await findObject(db, objectIri.href);
  if (object?.direction !== "in" || object.commentId === null) return undefined;
  const author = await findRemoteActorByIri(db, actorIri.href);
  const comment = await findComment(db, object.commentId);
  if (!author || !comment || comment.authorId !== author.memberId) return undefined;
  return { object, comment, author };
}

async function onUpdate(ctx: Ctx, update: Update, run: InboundRun): Promise<void> {
  if ((await run.block) === "suspend") return;
  const object = await update.getObject();
  const actorId = update.actorId;
  if (!actorId) return;
  if (isActor(object)) {
    if (
      object.id?.href === actorId.href &&
      (await findRemoteActorByIri(ctx.data.database.db, actorId.href))
    ) {
      await remoteAuthor(ctx, object, run);
    }
    return;
  }
  const note = object instanceof Note ? readNote(object) : null;
  if (!note) return;
  const own = await ownComment(ctx, note.id, actorId);
  if (!own || own.comment.status === "deleted" || own.comment.status === "removed") return;
  const { html, body } = note;
  if (!body || body === own.comment.body) return;
  await run.stored;
  await ctx.data.database.db.transaction(async (tx) => {
    await reviseComment(tx, own.comment, { body, html, editedBy: own.author.memberId });
    await ctx.data.events.record(tx, {
      type: "comment.edited",
      threadId: own.comment.threadId,
      commentId: own.comment.id,
      actorId: own.author.memberId,
      payload: { authorId: own.author.memberId, remote: true },
    });
  });
  ctx.data.caches.pages.invalidate(own.comment.threadId);
  ctx.data.events.wake();
}

async function onDelete(ctx: Ctx, del: Delete, run: InboundRun): Promise<void> {
  const actorId = del.actorId;
  const objectId = del.objectId;
  if (!actorId || !objectId) return;
  const own = await ownComment(ctx, objectId, actorId);
  if (!own) return;
  if (own.comment.status === "deleted" || own.comment.status === "removed") return;
  await run.stored;
  await ctx.data.database.db.transaction(async (tx) => {
    await setCommentStatus(tx, own.comment, "deleted");
    await markObjectDeleted(tx, own.object.iri);
    await ctx.data.events.record(tx, {
      type: "comment.deleted",
      threadId: own.comment.threadId,
      commentId: own.comment.id,
      actorId: own.author.memberId,
      payload: { authorId: own.author.memberId, previousStatus: own.comment.status, remote: true },
    });
  });
  ctx.data.caches.pages.invalidate(own.comment.threadId);
  ctx.data.events.wake();
}

async function onLike(ctx: Ctx, like: Like, run: InboundRun): Promise<void> {
  if ((await run.block) === "suspend") return;
  if (!ctx.data.config.reactions.includes("like") || !like.objectId) return;
  const target = await resolveReplyTarget(ctx, like.objectId);
  const parent = target?.parent;
  if (!target || !parent || parent.status !== "published" || !isThreadFederated(target.thread))
    return;
  const actor = await like.getActor();
  if (!actor?.id) return;
  const author = await remoteAuthor(ctx, actor, run);
  await ctx.data.database.db.transaction(async (tx) => {
    const counts = await addReaction(tx, parent, author.id, "like");
    if (!counts) return;
    await ctx.data.events.record(tx, {
      type: "reaction.added",
      threadId: parent.threadId,
      commentId: parent.id,
      actorId: author.id,
      payload: { kind: "like", authorId: parent.authorId, remote: true },
    });
  });
  ctx.data.caches.pages.invalidate(parent.threadId);
  ctx.data.events.wake();
}

async function onFlag(ctx: Ctx, flag: Flag, run: InboundRun): Promise<void> {
  if ((await run.block) === "suspend" || !flag.actorId) return;
  const objectIris = flag.objectIds.map((iri) => iri.href).slice(0, 50);
  let threadId: number | null = null;
  let reported: Comment | undefined;
  for (const iri of flag.objectIds) {
    const target = await resolveReplyTarget(ctx, iri);
    if (target) {
      threadId = target.thread.id;
      reported = target.parent;
      break;
    }
  }
  const content = flag.content ? storable(flag.content.toString().slice(0, 2000)) : null;
  const actorIri = flag.actorId.href;
  await run.stored;
  await ctx.data.database.db.transaction(async (tx) => {
    await insertReport(tx, {
      actorIri,
      activityIri: flag.id?.href ?? null,
      objectIris,
      threadId,
      commentId: reported?.id ?? null,
      content,
    });
    // A reported comment goes into the moderators' queue like a member's flag.
    if (reported) {
      await enqueue(tx, {
        kind: "comment",
        reason: "flags",
        memberId: reported.authorId,
        threadId: reported.threadId,
        commentId: reported.id,
        details: { fediverse: { actor: actorIri, content } },
      });
    }
  });
}

/**
 * Registers the handlers with Fedify, which runs them right after verifying an activity,
 * and with the queue for later runs. Fedify keeps its own record of activities it passed
 * on (for a day) and answers a second delivery without calling a handler; replies skip it:
 * the received Note itself tells a reply seen before.
 */
export function registerInbox(
  federation: Federation<AppContext>,
  app: AppContext,
  inbound: InboundActivities,
): void {
  const routes = federationRoutes(mountPathOf(app.config.publicUrl));
  const listeners = federation
    .setInboxListeners(routes.inbox, routes.sharedInbox)
    .withIdempotency((ctx, activity) =>
      activity instanceof Create || !activity.id ? null : `${ctx.origin}\n${activity.id.href}`,
    )
    .onError((_ctx, error) => {
      app.logger.error("federation inbox: activity not stored", { error: String(error) });
    });
  inbound
    .on(listeners, Follow, onFollow)
    .on(listeners, Undo, onUndo)
    .on(listeners, Create, onCreate)
    .on(listeners, Update, onUpdate)
    .on(listeners, Delete, onDelete)
    .on(listeners, Like, onLike)
    .on(listeners, Flag, onFlag);
}

/** Sends Accept for a follow request a moderator approved. */
export async function acceptFollower(
  federation: Federation<AppContext>,
  app: AppContext,
  follower: {
    actorIri: string;
    inbox: string;
    sharedInbox: string | null;
    followIri: string | null;
  },
): Promise<void> {
  const ctx = federation.createContext(new URL(app.config.publicUrl), app);
  const community = app.config.federation.communityHandle;
  const groupUri = ctx.getActorUri(community);
  await ctx.sendActivity(
    { identifier: community },
    asRecipient(follower),
    new Accept({
      id: new URL(`#accepts/${encodeURIComponent(follower.actorIri)}`, groupUri),
      actor: groupUri,
      object: new Follow({
        id: follower.followIri ? new URL(follower.followIri) : null,
        actor: new URL(follower.actorIri),
        object: groupUri,
      }),
    }),
  );
}
