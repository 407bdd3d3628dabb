/**
 * SQL for inbound activities from the Fediverse, in as few statements as the rules allow:
 * storing the activity (with the block on its actor), where a reply lands (and whether it
 * arrived before), the remote author's member row, and the comment with everything that
 * goes with it (moderation item, received object, event, and the acknowledgement of the
 * activity's queue message) in one statement.
 */
import { eq, type SQL, sql } from "drizzle-orm";
import type { DbLike } from "../client.ts";
import {
  type BlockLevel,
  type Comment,
  type CommentStatus,
  comments,
  federationObjects,
  type MemberStatus,
  type Thread,
  threads,
} from "../schema.ts";

function rowsOf(result: unknown): Record<string, unknown>[] {
  return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<
    string,
    unknown
  >[];
}

/**
 * Stores an inbound activity as a queue message already leased to the caller for `leaseMs`
 * (its first attempt: the caller applies it at once). The insert commits durably: this is
 * what makes an answered activity survive a crash.
 */
export async function storeInboundActivity(
  db: DbLike,
  message: unknown,
  leaseMs: number,
): Promise<number> {
  const [row] = rowsOf(
    await db.execute(sql`
      insert into federation_queue (message, leased_until, attempts)
      values (${JSON.stringify(message)}::jsonb,
        now() + ${`${Math.round(leaseMs)} milliseconds`}::interval, 1)
      returning id`),
  );
  if (!row) throw new Error("queue insert returned nothing");
  return Number(row.id);
}

/**
 * The strongest block on an actor (by IRI) or their instance (by host: `hosts` are the
 * IRI's host and hostname, lowercase): suspend over silence; undefined when there is none.
 */
export async function findBlockLevel(
  db: DbLike,
  actor: { iri: string; hosts: readonly string[] },
): Promise<BlockLevel | undefined> {
  const [host, hostname] = [actor.hosts[0] ?? "", actor.hosts[1] ?? actor.hosts[0] ?? ""];
  const [row] = rowsOf(
    await db.execute(sql`
      select level from federation_blocks
      where (kind = 'actor' and target = ${actor.iri})
        or (kind = 'instance' and target in (${host}, ${hostname}))
      order by level = 'suspend' desc
      limit 1`),
  );
  return (row?.level as BlockLevel | undefined) ?? undefined;
}

/** What a reply is to: a local comment or thread (by id), or a remote object we received. */
export type ReplyTargetRef = { commentId: number } | { threadId: number } | { objectIri: string };

export interface ReplyContext {
  thread: Thread;
  parent: Comment | undefined;
  /** Whether the reply's Note was received before (false when none was asked about). */
  known: boolean;
}

/**
 * The thread and parent comment a reply (or like, or report) to `target` is about, and
 * whether the Note `noteIri` is known already, in one statement; undefined when the target
 * is not (or no longer) here.
 */
export async function findReplyContext(
  db: DbLike,
  target: ReplyTargetRef,
  noteIri?: string,
): Promise<ReplyContext | undefined> {
  const known =
    noteIri === undefined
      ? sql<boolean>`false`
      : sql<boolean>`exists (select 1 from ${federationObjects} where ${federationObjects.iri} = ${noteIri})`;
  if ("threadId" in target) {
    const [row] = await db
      .select({ thread: threads, known })
      .from(threads)
      .where(eq(threads.id, target.threadId));
    return row ? { thread: row.thread, parent: undefined, known: Boolean(row.known) } : undefined;
  }
  const query = db
    .select({ thread: threads, parent: comments, known })
    .from(comments)
    .innerJoin(threads, eq(threads.id, comments.threadId));
  const [row] = await ("commentId" in target
    ? query.where(eq(comments.id, target.commentId))
    : query
        .innerJoin(federationObjects, eq(federationObjects.commentId, comments.id))
        .where(eq(federationObjects.iri, target.objectIri)));
  return row ? { thread: row.thread, parent: row.parent, known: Boolean(row.known) } : undefined;
}

export interface RemoteAuthorProfile {
  issuer: string;
  actorIri: string;
  /** Tried when the member is new; the caller tries another when it is taken. */
  handle: string;
  name: string;
  avatar: string | null;
  host: string;
  inbox: string | null;
  sharedInbox: string | null;
  url: string;
}

export interface RemoteAuthor {
  id: string;
  status: MemberStatus;
  /** Whether this statement made the member. */
  created: boolean;
  /** Whether the member has a published comment (one was approved before). */
  approved: boolean;
}

/**
 * The first part of a statement that refreshes or creates the member row standing for a
 * remote author (CTE `member`: id, status, created) and their `federation_remote_actors`
 * row. `member` is empty when the member is new and the handle is taken, or another process
 * made the member at the same moment: the caller tries again with another handle.
 */
function remoteAuthorCtes(profile: RemoteAuthorProfile): SQL {
  return sql`
    with updated as (
      update members
      set name = ${profile.name}, email = null, avatar = ${profile.avatar},
        roles = '{}'::text[], tiers = '{}'::text[], updated_at = now()
      where issuer = ${profile.issuer} and subject = ${profile.actorIri}
      returning id, status
    ), inserted as (
      insert into members (issuer, subject, handle, name, avatar)
      select ${profile.issuer}, ${profile.actorIri}, ${profile.handle}, ${profile.name},
        ${profile.avatar}
      where not exists (select 1 from updated)
      on conflict do nothing
      returning id, status
    ), member as (
      select id, status, false as created from updated
      union all
      select id, status, true as created from inserted
    ), actor as (
      insert into federation_remote_actors (member_id, actor_iri, host, inbox, shared_inbox, url)
      select id, ${profile.actorIri}, ${profile.host}, ${profile.inbox}, ${profile.sharedInbox},
        ${profile.url}
      from member
      on conflict (member_id) do update
      set inbox = excluded.inbox, shared_inbox = excluded.shared_inbox, url = excluded.url,
        updated_at = now()
    )`;
}

const isTrue = (value: unknown) => value === true || value === "t";

/**
 * Refreshes or creates the member row standing for a remote author and their
 * `federation_remote_actors` row, in one statement. Undefined when the member is new and
 * `handle` is taken (or another process made the member at the same moment): try again.
 */
export async function upsertRemoteAuthor(
  db: DbLike,
  profile: RemoteAuthorProfile,
): Promise<RemoteAuthor | undefined> {
  const [row] = rowsOf(
    await db.execute(sql`
      ${remoteAuthorCtes(profile)}
      select id, status, created,
        not created and exists (
          select 1 from comments c where c.author_id = member.id and c.status = 'published'
        ) as approved
      from member`),
  );
  if (!row) return undefined;
  return {
    id: String(row.id),
    status: row.status as MemberStatus,
    created: isTrue(row.created),
    approved: isTrue(row.approved),
  };
}

export interface InboundReply {
  noteIri: string;
  threadId: number;
  parent: Pick<Comment, "id" | "rootId" | "path"> | undefined;
  /** The remote author, refreshed or created in the same statement. */
  author: RemoteAuthorProfile;
  /**
   * Whether the reply may publish without review as far as the instance and the thread go
   * (not silenced, not premoderated); see `insertInboundReply` for the author's part.
   */
  mayPublish: boolean;
  body: string;
  html: string;
  /** Kept with the moderation item when the reply is held. */
  heldDetails: Record<string, unknown>;
  /** The activity's queue message, deleted in the same statement. */
  queueMessageId: number;
}

export interface InboundReplyResult {
  /** Whether the author's member row was there or made: false when the handle was taken. */
  authored: boolean;
  /** The comment made; undefined when the author is banned or the Note was received before. */
  comment: { id: number; status: CommentStatus } | undefined;
}

/**
 * Stores a reply from the Fediverse in one statement: the remote author's member and
 * remote-actor rows (refreshed or created), the comment, the received object (which makes
 * a second delivery of the same Note a no-op), the moderation item when it is held, the
 * `comment.created` event, and the deletion of the activity's queue message, so the reply
 * is applied exactly once.
 *
 * The statement commits without waiting for the write-ahead log to reach the disk
 * (`synchronous_commit` off for this transaction alone). That is safe because the activity's
 * queue message was stored durably before and is deleted here: if the database stopped
 * before this commit reached the disk, the whole statement is lost, deletion included, and
 * the message runs again. Anything that commits durably afterwards (the dispatch of the
 * event, say) flushes this commit with it.
 *
 * The comment is held for review unless `mayPublish` and the author is active, was known
 * before this reply, and has a published comment (one was approved). A banned author's
 * reply is dropped. When the member is new and the handle is taken, nothing is written
 * (`authored` is false): try again with another handle. Two runs at the very same moment
 * collide on the object's primary key: one of them fails as a whole and is retried, and
 * then finds the Note known.
 */
export async function insertInboundReply(
  db: DbLike,
  reply: InboundReply,
): Promise<InboundReplyResult> {
  const parent = reply.parent;
  const path = parent
    ? `{${[...parent.path, parent.id].map((id) => Math.trunc(id)).join(",")}}`
    : "{}";
  const [row] = rowsOf(
    await db.execute(sql`
      ${remoteAuthorCtes(reply.author)}, author as (
        select id,
          case when ${reply.mayPublish}::boolean and status = 'active' and not created and exists (
            select 1 from comments c where c.author_id = member.id and c.status = 'published'
          ) then 'published' else 'held' end as comment_status
        from member
        where status <> 'banned'
      ), reply as (
        insert into comments (thread_id, parent_id, root_id, path, author_id, body, html, status)
        select ${reply.threadId}, ${parent?.id ?? null}::bigint,
          ${parent ? (parent.rootId ?? parent.id) : null}::bigint, ${path}::bigint[],
          author.id, ${reply.body}, ${reply.html}, author.comment_status
        from author
        where not exists (select 1 from federation_objects where iri = ${reply.noteIri})
        returning thread_id, id, parent_id, author_id, status
      ), received as (
        insert into federation_objects (iri, direction, thread_id, comment_id)
        select ${reply.noteIri}, 'in', thread_id, id from reply
      ), held as (
        insert into moderation_queue (kind, reason, member_id, thread_id, comment_id, details)
        select 'comment', 'federation', author_id, thread_id, id,
          ${JSON.stringify(reply.heldDetails)}::jsonb
        from reply where status = 'held'
        on conflict do nothing
      ), recorded as (
        insert into events (type, thread_id, comment_id, actor_id, payload)
        select 'comment.created', thread_id, id, author_id,
          jsonb_build_object('parentId', parent_id, 'status', status, 'remote', true)
        from reply
      ), acknowledged as (
        delete from federation_queue
        where id = ${reply.queueMessageId} and exists (select 1 from member)
      )
      select exists (select 1 from member) as authored, reply.id, reply.status,
        set_config('synchronous_commit', 'off', true) as commit_mode
      from (select 1) as one left join reply on true`),
  );
  return {
    authored: isTrue(row?.authored),
    comment:
      row?.id === null || row?.id === undefined
        ? undefined
        : { id: Number(row.id), status: row.status as CommentStatus },
  };
}
