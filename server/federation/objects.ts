/**
 * Hearth rows as ActivityStreams objects: the community as a Group, members as Persons,
 * threads as Articles pointing at the host page, comments as Notes. ActivityPub names
 * live only in server/federation/.
 */
import type { Context } from "@fedify/fedify";
import {
  Article,
  Endpoints,
  Group,
  Image,
  Note,
  Person,
  PUBLIC_COLLECTION,
  type Recipient,
} from "@fedify/vocab";
import { Temporal } from "@js-temporal/polyfill";
import type { Member, Thread } from "../../db/schema.ts";
import type { FederationConfig } from "../config.ts";

/**
 * Fedify's routes under `prefix`, the path Hearth is mounted at (`HEARTH_PUBLIC_URL`'s path,
 * "" on its own server). WebFinger and `/.well-known/nodeinfo` stay at the site's root.
 */
export function federationRoutes(prefix: string) {
  return {
    actor: `${prefix}/ap/actors/{identifier}`,
    inbox: `${prefix}/ap/actors/{identifier}/inbox`,
    sharedInbox: `${prefix}/ap/inbox`,
    outbox: `${prefix}/ap/actors/{identifier}/outbox`,
    followers: `${prefix}/ap/actors/{identifier}/followers`,
    thread: `${prefix}/ap/threads/{id}`,
    comment: `${prefix}/ap/comments/{id}`,
    nodeinfo: `${prefix}/nodeinfo/2.1`,
  } as const;
}

/** The path of a public URL, without a trailing slash ("" for a site's root). */
export const mountPathOf = (publicUrl: string) => new URL(publicUrl).pathname.replace(/\/+$/, "");

export const instant = (date: Date) => Temporal.Instant.fromEpochMilliseconds(date.getTime());

export function groupActor(
  ctx: Context<unknown>,
  config: FederationConfig,
  keys: { cryptographicKey: unknown; multikey: unknown }[],
): Group {
  const id = config.communityHandle;
  return new Group({
    id: ctx.getActorUri(id),
    preferredUsername: id,
    name: config.communityName,
    summary: config.communitySummary || null,
    icon: config.communityIcon ? new Image({ url: new URL(config.communityIcon) }) : null,
    url: new URL("/", ctx.origin),
    inbox: ctx.getInboxUri(id),
    outbox: ctx.getOutboxUri(id),
    followers: ctx.getFollowersUri(id),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    manuallyApprovesFollowers: config.approveFollows,
    discoverable: true,
    // biome-ignore lint/suspicious/noExplicitAny: Fedify's key pair shapes
    publicKey: keys[0]?.cryptographicKey as any,
    // biome-ignore lint/suspicious/noExplicitAny: Fedify's key pair shapes
    assertionMethods: keys.map((key) => key.multikey) as any,
  });
}

/** A member as a Person: handle and display name only, never the email. */
export function personActor(
  ctx: Context<unknown>,
  member: Member,
  keys: { cryptographicKey: unknown; multikey: unknown }[],
): Person {
  return new Person({
    id: ctx.getActorUri(member.id),
    preferredUsername: member.handle,
    name: member.name,
    icon: member.avatar ? new Image({ url: new URL(member.avatar) }) : null,
    inbox: ctx.getInboxUri(member.id),
    outbox: ctx.getOutboxUri(member.id),
    followers: ctx.getFollowersUri(member.id),
    endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
    // biome-ignore lint/suspicious/noExplicitAny: Fedify's key pair shapes
    publicKey: keys[0]?.cryptographicKey as any,
    // biome-ignore lint/suspicious/noExplicitAny: Fedify's key pair shapes
    assertionMethods: keys.map((key) => key.multikey) as any,
  });
}

export const threadIri = (ctx: Context<unknown>, threadId: number) =>
  ctx.getObjectUri(Article, { id: String(threadId) });

export const commentIri = (ctx: Context<unknown>, commentId: number) =>
  ctx.getObjectUri(Note, { id: String(commentId) });

/** A thread as an Article by the Group, with the host page's URL. */
export function threadArticle(ctx: Context<unknown>, config: FederationConfig, thread: Thread) {
  const title = thread.title ?? thread.key;
  const link = thread.url ? new URL(thread.url) : null;
  const escaped = title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return new Article({
    id: threadIri(ctx, thread.id),
    attribution: ctx.getActorUri(config.communityHandle),
    name: title,
    content: link ? `<p><a href="${link.href}">${escaped}</a></p>` : `<p>${escaped}</p>`,
    url: link,
    to: PUBLIC_COLLECTION,
    cc: ctx.getFollowersUri(config.communityHandle),
    published: instant(thread.createdAt),
  });
}

export interface NoteInput {
  id: number;
  authorId: string;
  html: string;
  createdAt: Date;
  editedAt: Date | null;
}

/** A comment as a Note replying to its parent (or the thread's Article). */
export function commentNote(
  ctx: Context<unknown>,
  config: FederationConfig,
  thread: Thread,
  comment: NoteInput,
  inReplyTo: URL,
  alsoTo: URL[] = [],
) {
  return new Note({
    id: commentIri(ctx, comment.id),
    attribution: ctx.getActorUri(comment.authorId),
    content: comment.html,
    replyTarget: inReplyTo,
    contexts: [threadIri(ctx, thread.id)],
    url: thread.url ? new URL(`#comment-${comment.id}`, thread.url) : null,
    to: PUBLIC_COLLECTION,
    ccs: [ctx.getFollowersUri(config.communityHandle), ...alsoTo],
    published: instant(comment.createdAt),
    updated: comment.editedAt ? instant(comment.editedAt) : null,
  });
}

/** Followers as Fedify recipients, shared inboxes included. */
export function asRecipient(row: {
  actorIri: string;
  inbox: string | null;
  sharedInbox: string | null;
}): Recipient {
  return {
    id: new URL(row.actorIri),
    inboxId: row.inbox ? new URL(row.inbox) : null,
    endpoints: row.sharedInbox ? { sharedInbox: new URL(row.sharedInbox) } : null,
  };
}
