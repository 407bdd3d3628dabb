/**
 * Inbound federation. Fedify verifies HTTP signatures before anything here runs (unsigned
 * or badly signed requests get 401); these listeners then apply the activity: follows of
 * the Group, replies that become held comments by remote authors, their edits and
 * deletions, likes as reactions, flags as reports. Activities from suspended instances or
 * actors are dropped without a change.
 */
import type { Federation, InboxContext } from "@fedify/fedify";
import {
  Accept,
  type Activity,
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
  insertComment,
  removeReaction,
  reviseComment,
  setCommentStatus,
} from "../../db/queries/comments.ts";
import {
  deleteFollower,
  findObject,
  findRemoteActorByIri,
  hasPublishedComment,
  insertObject,
  insertReport,
  markObjectDeleted,
  selectBlocks,
  upsertFollower,
  upsertRemoteActor,
} from "../../db/queries/federation.ts";
import { insertMember, updateMemberProfile } from "../../db/queries/members.ts";
import { enqueue } from "../../db/queries/moderation.ts";
import { findThreadById } from "../../db/queries/threads.ts";
import type { Comment, CommentStatus, Member, Thread } from "../../db/schema.ts";
import type { AppContext } from "../context.ts";
import { htmlToText, sanitizeRemoteHtml } from "../services/markdown.ts";
import { asRecipient } from "./objects.ts";
import { blockLevel, isThreadFederated, REMOTE_ISSUER } from "./publishing.ts";

const MAX_BODY = 10_000;

type Ctx = InboxContext<AppContext>;

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
  const html = sanitizeRemoteHtml(note.content?.toString() ?? "");
  return {
    id: note.id,
    inReplyTo: note.replyTargetId,
    author: note.attributionId,
    html,
    body: htmlToText(html).slice(0, MAX_BODY),
  };
}

/** The block on the activity's actor, read fresh for each activity. */
async function blockOf(ctx: Ctx, activity: Activity) {
  const actorId = activity.actorId;
  if (!actorId) return "suspend" as const;
  return blockLevel(await selectBlocks(ctx.data.database.db), actorId.href);
}

function handleOf(actor: Actor, iri: URL): string {
  const username = actor.preferredUsername?.toString() ?? iri.pathname.split("/").pop() ?? "user";
  return `${username}@${iri.host}`.slice(0, 200);
}

/**
 * The member row standing for a remote author, created (`created`) or refreshed from their
 * actor.
 */
async function remoteMember(ctx: Ctx, actor: Actor): Promise<{ member: Member; created: boolean }> {
  const iri = actor.id!;
  const db = ctx.data.database.db;
  const icon = await actor.getIcon().catch(() => null);
  const avatar = icon?.url instanceof URL ? icon.url.href : null;
  const name = (actor.name?.toString() ?? actor.preferredUsername?.toString() ?? iri.host).slice(
    0,
    200,
  );
  const profile = { name, email: null, avatar, roles: [], tiers: [] };
  let member = await updateMemberProfile(db, REMOTE_ISSUER, iri.href, profile);
  const created = !member;
  if (!member) {
    const handle = handleOf(actor, iri);
    for (let attempt = 0; attempt < 5 && !member; attempt++) {
      member = await insertMember(db, {
        issuer: REMOTE_ISSUER,
        subject: iri.href,
        handle: attempt === 0 ? handle : `${handle}-${attempt + 1}`,
        ...profile,
      });
    }
    if (!member) throw new Error(`no handle for ${iri.href}`);
  }
  // The profile page is linked from their comments: only ever an http(s) address.
  const url =
    actor.url instanceof URL && /^https?:$/.test(actor.url.protocol) ? actor.url.href : null;
  const sharedInbox = actor.endpoints?.sharedInbox ?? null;
  await upsertRemoteActor(db, {
    memberId: member.id,
    actorIri: iri.href,
    host: iri.host.toLowerCase(),
    inbox: (await isDeliverable(ctx.data, actor.inboxId)) ? actor.inboxId!.href : null,
    sharedInbox: (await isDeliverable(ctx.data, sharedInbox)) ? sharedInbox!.href : null,
    url: url ?? iri.href,
  });
  return { member, created };
}

/** Where a reply lands: the thread (replying to its Article) and the parent comment. */
async function resolveReplyTarget(
  ctx: Ctx,
  target: URL,
): Promise<{ thread: Thread; parent: Comment | undefined } | undefined> {
  const db = ctx.data.database.db;
  const parsed = ctx.parseUri(target);
  if (parsed?.type === "object" && /^\d{1,15}$/.test(parsed.values.id ?? "")) {
    const id = Number(parsed.values.id);
    if (parsed.class === Note) {
      const parent = await findComment(db, id);
      const thread = parent ? await findThreadById(db, parent.threadId) : undefined;
      return parent && thread ? { thread, parent } : undefined;
    }
    const thread = await findThreadById(db, id);
    return thread ? { thread, parent: undefined } : undefined;
  }
  const object = await findObject(db, target.href);
  if (!object || object.commentId === null) return undefined;
  const parent = await findComment(db, object.commentId);
  const thread = parent ? await findThreadById(db, parent.threadId) : undefined;
  return parent && thread ? { thread, parent } : undefined;
}

async function onFollow(ctx: Ctx, follow: Follow): Promise<void> {
  if ((await blockOf(ctx, follow)) === "suspend") return;
  const community = ctx.data.config.federation.communityHandle;
  const parsed = ctx.parseUri(follow.objectId);
  if (parsed?.type !== "actor" || parsed.identifier !== community) return;
  const follower = await follow.getActor();
  if (!follower?.id || !(await isDeliverable(ctx.data, follower.inboxId))) return;
  const sharedInbox = follower.endpoints?.sharedInbox ?? null;
  const approve = ctx.data.config.federation.approveFollows;
  const row = await upsertFollower(ctx.data.database.db, {
    actorIri: follower.id.href,
    inbox: follower.inboxId!.href,
    sharedInbox: (await isDeliverable(ctx.data, sharedInbox)) ? sharedInbox!.href : null,
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

async function onUndo(ctx: Ctx, undo: Undo): Promise<void> {
  const object = await undo.getObject();
  const actorId = undo.actorId;
  if (!actorId) return;
  if (object instanceof Follow) {
    if (object.actorId?.href !== actorId.href) return;
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
    await db.transaction(async (tx) => {
      await removeReaction(tx, parent, author.memberId, "like");
    });
    ctx.data.caches.pages.invalidate(parent.threadId);
  }
}

async function onCreate(ctx: Ctx, create: Create): Promise<void> {
  const block = await blockOf(ctx, create);
  if (block === "suspend") return;
  const object = await create.getObject();
  const note = object instanceof Note ? readNote(object) : null;
  if (!note?.inReplyTo || note.author?.href !== create.actorId?.href) return;
  const db = ctx.data.database.db;
  // The author's actor document (usually from the cache) is loaded while the reply's
  // target is looked up: they do not depend on each other.
  const actorLoaded = create.getActor().catch(() => null);
  const [known, target] = await Promise.all([
    findObject(db, note.id.href),
    resolveReplyTarget(ctx, note.inReplyTo),
  ]);
  if (known) return; // already received
  if (!target || !isThreadFederated(target.thread)) return;
  const { thread, parent } = target;
  if (parent && (parent.status === "deleted" || parent.status === "removed")) return;
  if (thread.locked) return;
  const actor = await actorLoaded;
  if (!actor?.id) return;
  const { member: author, created } = await remoteMember(ctx, actor);
  if (author.status === "banned") return;
  const { html, body } = note;
  if (!body) return;
  // Held for review until the remote author has one approved comment; always held when
  // their instance is silenced, the thread premoderated or the author limited.
  const trusted =
    block !== "silence" &&
    !thread.premoderated &&
    author.status === "active" &&
    !created &&
    (await hasPublishedComment(db, author.id));
  const status: CommentStatus = trusted ? "published" : "held";
  await db.transaction(async (tx) => {
    const row = await insertComment(tx, {
      threadId: thread.id,
      parentId: parent?.id ?? null,
      rootId: parent ? (parent.rootId ?? parent.id) : null,
      path: parent ? [...parent.path, parent.id] : [],
      authorId: author.id,
      body,
      html: html || "<p></p>",
      status,
    });
    if (!row) return;
    if (row.status === "held") {
      await enqueue(tx, {
        kind: "comment",
        reason: "federation",
        memberId: author.id,
        threadId: thread.id,
        commentId: row.id,
        details: { actor: actor.id?.href, silenced: block === "silence" },
      });
    }
    await insertObject(tx, {
      iri: note.id.href,
      direction: "in",
      threadId: thread.id,
      commentId: row.id,
    });
    await ctx.data.events.record(tx, {
      type: "comment.created",
      threadId: thread.id,
      commentId: row.id,
      actorId: author.id,
      payload: { parentId: row.parentId, status: row.status, remote: true },
    });
  });
  ctx.data.caches.pages.invalidate(thread.id);
  ctx.data.events.wake();
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

async function onUpdate(ctx: Ctx, update: Update): Promise<void> {
  if ((await blockOf(ctx, update)) === "suspend") return;
  const object = await update.getObject();
  const actorId = update.actorId;
  if (!actorId) return;
  if (isActor(object)) {
    if (
      object.id?.href === actorId.href &&
      (await findRemoteActorByIri(ctx.data.database.db, actorId.href))
    ) {
      await remoteMember(ctx, object);
    }
    return;
  }
  const note = object instanceof Note ? readNote(object) : null;
  if (!note) return;
  const own = await ownComment(ctx, note.id, actorId);
  if (!own || own.comment.status === "deleted" || own.comment.status === "removed") return;
  const { html, body } = note;
  if (!body || body === own.comment.body) return;
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

async function onDelete(ctx: Ctx, del: Delete): Promise<void> {
  const actorId = del.actorId;
  const objectId = del.objectId;
  if (!actorId || !objectId) return;
  const own = await ownComment(ctx, objectId, actorId);
  if (!own) return;
  if (own.comment.status === "deleted" || own.comment.status === "removed") return;
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

async function onLike(ctx: Ctx, like: Like): Promise<void> {
  if ((await blockOf(ctx, like)) === "suspend") return;
  if (!ctx.data.config.reactions.includes("like") || !like.objectId) return;
  const target = await resolveReplyTarget(ctx, like.objectId);
  const parent = target?.parent;
  if (!target || !parent || parent.status !== "published" || !isThreadFederated(target.thread))
    return;
  const actor = await like.getActor();
  if (!actor?.id) return;
  const { member: author } = await remoteMember(ctx, actor);
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

async function onFlag(ctx: Ctx, flag: Flag): Promise<void> {
  if ((await blockOf(ctx, flag)) === "suspend" || !flag.actorId) return;
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
  const content = flag.content?.toString().slice(0, 2000) ?? null;
  const actorIri = flag.actorId.href;
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

export function registerInbox(federation: Federation<AppContext>, app: AppContext): void {
  federation
    .setInboxListeners("/ap/actors/{identifier}/inbox", "/ap/inbox")
    .on(Follow, onFollow)
    .on(Undo, onUndo)
    .on(Create, onCreate)
    .on(Update, onUpdate)
    .on(Delete, onDelete)
    .on(Like, onLike)
    .on(Flag, onFlag)
    .onError((_ctx, error) => {
      app.logger.error("federation inbox: activity failed", { error: String(error) });
    });
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
