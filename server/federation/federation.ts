/**
 * The Fedify federation: actors (the community Group, members as Persons), their keys,
 * WebFinger, NodeInfo 2.1, outbox and followers collections, the thread Articles and
 * comment Notes, and the inbox listeners. Everything it needs comes from the AppContext,
 * which Fedify passes back as its context data.
 */
import {
  createFederation,
  exportJwk,
  type Federation,
  generateCryptoKeyPair,
  importJwk,
} from "@fedify/fedify";
import { Article, Create, Note } from "@fedify/vocab";
import { findComment } from "../../db/queries/comments.ts";
import {
  countFollowers,
  findObjectForComment,
  insertActorKey,
  selectActorKeys,
  selectFollowers,
  selectPublishedThreads,
} from "../../db/queries/federation.ts";
import { countPublishedComments, findThreadById } from "../../db/queries/threads.ts";
import type { AppContext } from "../context.ts";
import { InboundActivities } from "./inbound.ts";
import { registerInbox } from "./inbox.ts";
import { REMOTE_DOCUMENT_PREFIX, SqlKvStore } from "./kv-store.ts";
import { SqlMessageQueue } from "./message-queue.ts";
import {
  asRecipient,
  federationRoutes,
  groupActor,
  instant,
  mountPathOf,
  personActor,
  threadArticle,
  threadIri,
} from "./objects.ts";
import { findLocalActorMember, isThreadFederated, noteFor } from "./publishing.ts";

const ALGORITHMS = ["RSASSA-PKCS1-v1_5", "Ed25519"] as const;
const HEARTH_VERSION = "0.1.0";

/** The actor's key pairs, made and stored on first use (both algorithms, RSA first). */
async function loadKeyPairs(app: AppContext, actor: string): Promise<CryptoKeyPair[]> {
  const db = app.database.db;
  let rows = await selectActorKeys(db, actor);
  if (rows.length < ALGORITHMS.length) {
    for (const algorithm of ALGORITHMS) {
      if (rows.some((row) => row.algorithm === algorithm)) continue;
      const pair = await generateCryptoKeyPair(algorithm);
      await insertActorKey(db, {
        actor,
        algorithm,
        privateKey: await exportJwk(pair.privateKey),
        publicKey: await exportJwk(pair.publicKey),
      });
    }
    rows = await selectActorKeys(db, actor);
  }
  const ordered = ALGORITHMS.map((algorithm) => rows.find((row) => row.algorithm === algorithm));
  return Promise.all(
    ordered
      .filter((row) => row !== undefined)
      .map(async (row) => ({
        privateKey: await importJwk(row.privateKey, "private"),
        publicKey: await importJwk(row.publicKey, "public"),
      })),
  );
}

const KEY_CACHE_ENTRIES = 2000;

/**
 * Key pairs as Fedify asks for them: for every activity sent and every actor document
 * served. A pair never changes once made, so each process keeps the imported keys of the
 * actors it used last instead of reading and importing them from the database each time.
 */
function keyPairCache(app: AppContext) {
  const cache = new Map<string, Promise<CryptoKeyPair[]>>();
  return (actor: string): Promise<CryptoKeyPair[]> => {
    let pairs = cache.get(actor);
    if (pairs) {
      cache.delete(actor);
      cache.set(actor, pairs);
      return pairs;
    }
    pairs = loadKeyPairs(app, actor);
    pairs.catch(() => cache.delete(actor));
    if (cache.size >= KEY_CACHE_ENTRIES) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(actor, pairs);
    return pairs;
  };
}

export interface HearthFederationOptions {
  /** Poll interval of the message queue (ms). */
  queuePollMs?: number;
}

export function createHearthFederation(
  app: AppContext,
  options: HearthFederationOptions = {},
): {
  federation: Federation<AppContext>;
  queue: SqlMessageQueue;
  kv: SqlKvStore;
  inbound: InboundActivities;
} {
  const config = app.config.federation;
  const community = config.communityHandle;
  const db = app.database.db;
  const queue = new SqlMessageQueue(db, app.logger, { pollMs: options.queuePollMs ?? 1000 });
  const kv = new SqlKvStore(db, { logger: app.logger });
  const keyPairs = keyPairCache(app);
  const ROUTES = federationRoutes(mountPathOf(app.config.publicUrl));
  const federation = createFederation<AppContext>({
    kv,
    // No inbox queue: Fedify hands each verified activity to the listener at once, and the
    // listener stores it in this same queue before Fedify answers (inbound.ts).
    queue: { outbox: queue, fanout: queue },
    manuallyStartQueue: true,
    kvPrefixes: { remoteDocument: REMOTE_DOCUMENT_PREFIX },
    // Fedify takes an origin; a mount path is part of the routes (federationRoutes).
    origin: new URL(app.config.publicUrl).origin,
    allowPrivateAddress: config.allowPrivate,
    userAgent: { software: `Hearth/${HEARTH_VERSION}` },
  });

  federation
    .setActorDispatcher(ROUTES.actor, async (ctx, identifier) => {
      if (identifier === community) {
        return groupActor(ctx, config, await ctx.getActorKeyPairs(identifier));
      }
      const member = await findLocalActorMember(ctx.data, { id: identifier });
      if (!member) return null;
      return personActor(ctx, member, await ctx.getActorKeyPairs(identifier));
    })
    .setKeyPairsDispatcher((_ctx, identifier) => keyPairs(identifier))
    .mapHandle(async (ctx, username) => {
      if (username === community) return community;
      const member = await findLocalActorMember(ctx.data, { handle: username });
      return member?.id ?? null;
    });

  federation
    .setFollowersDispatcher(ROUTES.followers, async (ctx, identifier) => {
      if (identifier !== community) return { items: [] };
      const followers = await selectFollowers(ctx.data.database.db);
      return { items: followers.map(asRecipient) };
    })
    .setCounter(async (ctx, identifier) =>
      identifier === community ? countFollowers(ctx.data.database.db) : 0,
    );

  federation
    .setOutboxDispatcher(ROUTES.outbox, async (ctx, identifier) => {
      if (identifier !== community) return { items: [] };
      const published = await selectPublishedThreads(ctx.data.database.db, 50);
      const items = published
        .filter(({ thread }) => isThreadFederated(thread))
        .map(
          ({ thread, publishedAt }) =>
            new Create({
              id: new URL(`${threadIri(ctx, thread.id).href}#create`),
              actor: ctx.getActorUri(community),
              object: threadArticle(ctx, config, thread),
              published: instant(publishedAt),
            }),
        );
      return { items };
    })
    .setCounter(async (ctx, identifier) =>
      identifier === community
        ? (await selectPublishedThreads(ctx.data.database.db, 10_000)).length
        : 0,
    );

  federation.setObjectDispatcher(Article, ROUTES.thread, async (ctx, values) => {
    if (!/^\d{1,15}$/.test(values.id)) return null;
    const thread = await findThreadById(ctx.data.database.db, Number(values.id));
    return thread && isThreadFederated(thread) ? threadArticle(ctx, config, thread) : null;
  });

  federation.setObjectDispatcher(Note, ROUTES.comment, async (ctx, values) => {
    if (!/^\d{1,15}$/.test(values.id)) return null;
    const data = ctx.data;
    const comment = await findComment(data.database.db, Number(values.id));
    if (!comment) return null;
    const object = await findObjectForComment(data.database.db, comment.id);
    if (object?.direction === "in") return null;
    return noteFor(data, ctx, comment);
  });

  federation.setNodeInfoDispatcher(ROUTES.nodeinfo, async (ctx) => {
    const published = await selectPublishedThreads(ctx.data.database.db, 10_000);
    const counts = await countPublishedComments(
      ctx.data.database.db,
      published.map(({ thread }) => thread.id),
    );
    let comments = 0;
    for (const count of counts.values()) comments += count;
    return {
      software: {
        name: "hearth",
        version: HEARTH_VERSION,
        homepage: new URL(app.config.publicUrl),
      },
      protocols: ["activitypub"],
      openRegistrations: false,
      usage: {
        users: { total: 1 },
        localPosts: published.length,
        localComments: comments,
      },
      metadata: { nodeName: config.communityName },
    };
  });

  const inbound = new InboundActivities(app, queue, kv, () => federation);
  registerInbox(federation, app, inbound);
  return { federation, queue, kv, inbound };
}
