/**
 * How inbound activities are applied: at once, in the process that received them, with
 * the activity Fedify has already verified and parsed, and durably.
 *
 * Fedify runs without an inbox queue, so it calls the listener registered here right after
 * verifying the HTTP signature. The listener first stores the activity as a message of
 * Hearth's own in the federation queue, leased to this process, and returns once that
 * insert has committed durably: only then does Fedify answer 202. The activity's handler
 * runs at the same time (it reads, and may fetch, while the insert is under way, and waits
 * for it before it writes) and goes on after the 202. When it is done, the message is
 * deleted: by the handler itself, in the statement that applies the activity, where that
 * matters (a reply, see insertInboundReply), or right after. When it fails, the message is
 * put back and the queue's workers retry it with a backoff; when the process dies, the
 * lease runs out and any process runs it again. A message run by a worker is parsed from
 * the stored JSON and goes to the same handler, which tells an activity already applied
 * from a new one.
 *
 * At most `MAX_AT_ONCE` activities are applied at once per process; beyond that they are
 * queued and the workers take them, as they would any message.
 */
import type { Context, Federation, InboxContext, InboxListenerSetters } from "@fedify/fedify";
import { Activity } from "@fedify/vocab";
import type { Db } from "../../db/client.ts";
import { findBlockLevel, storeInboundActivity } from "../../db/queries/federation-inbound.ts";
import type { BlockLevel } from "../../db/schema.ts";
import type { AppContext } from "../context.ts";
import { storableJson } from "../services/storable-text.ts";
import { REMOTE_DOCUMENT_PREFIX, type SqlKvStore } from "./kv-store.ts";
import type { SqlMessageQueue } from "./message-queue.ts";

/** The `type` of Hearth's own queue messages that carry an inbound activity. */
export const INBOUND_MESSAGE = "hearth:inbound";

const MAX_AT_ONCE = 32;

interface InboundMessage {
  type: typeof INBOUND_MESSAGE;
  /** Our origin when it arrived; the context for a later run is built on it. */
  baseUrl: string;
  /** The activity as Fedify parsed it (its JSON-LD, without signature). */
  activity: unknown;
}

/** One application of an inbound activity. */
export interface InboundRun {
  /**
   * Resolves with the id of the activity's queue message once it is stored. A handler
   * reads what it likes before that, but waits for it before it changes anything.
   */
  readonly stored: Promise<number>;
  /** The block on the activity's actor or their instance, read fresh for each activity. */
  readonly block: Promise<BlockLevel | undefined>;
  /** Set by a handler that deleted the message itself, with the change it made. */
  acknowledged: boolean;
}

export type InboundHandler<T extends Activity> = (
  ctx: Context<AppContext>,
  activity: T,
  run: InboundRun,
) => Promise<void>;

// biome-ignore lint/suspicious/noExplicitAny: activity classes take various constructor arguments
type ActivityClass<T extends Activity = Activity> = new (...args: any[]) => T;

/** The block on the activity's actor, read now; an activity without an actor is suspended. */
function blockOn(db: Db, activity: Activity): Promise<BlockLevel | undefined> {
  const iri = activity.actorId;
  const block = iri
    ? findBlockLevel(db, {
        iri: iri.href,
        hosts: [iri.host.toLowerCase(), iri.hostname.toLowerCase()],
      })
    : Promise.resolve("suspend" as const);
  // A handler may finish without asking (an Undo does not): no unhandled rejection then.
  block.catch(() => {});
  return block;
}

export class InboundActivities {
  readonly #app: AppContext;
  readonly #queue: SqlMessageQueue;
  readonly #kv: SqlKvStore;
  readonly #federation: () => Federation<AppContext>;
  readonly #handlers = new Map<ActivityClass, InboundHandler<Activity>>();
  readonly #running = new Set<Promise<void>>();

  /** `federation` is asked for lazily: the federation is built with the listeners. */
  constructor(
    app: AppContext,
    queue: SqlMessageQueue,
    kv: SqlKvStore,
    federation: () => Federation<AppContext>,
  ) {
    this.#app = app;
    this.#queue = queue;
    this.#kv = kv;
    this.#federation = federation;
    queue.handle(INBOUND_MESSAGE, (message, id) => this.#replay(message as InboundMessage, id));
  }

  /** Registers `handler` for activities of class `type`, with Fedify and for queued runs. */
  on<T extends Activity>(
    listeners: InboxListenerSetters<AppContext>,
    type: ActivityClass<T>,
    handler: InboundHandler<T>,
  ): this {
    this.#handlers.set(type, handler as InboundHandler<Activity>);
    listeners.on(type, (ctx, activity) =>
      this.#receive(ctx, activity, handler as InboundHandler<Activity>),
    );
    return this;
  }

  /** Waits for the applications under way (on shutdown). */
  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running);
  }

  /** Fedify's listener: store the activity durably, apply it at once, answer after storing. */
  async #receive(
    ctx: InboxContext<AppContext>,
    activity: Activity,
    handler: InboundHandler<Activity>,
  ): Promise<void> {
    const message: InboundMessage = {
      type: INBOUND_MESSAGE,
      baseUrl: ctx.origin,
      activity: storableJson(await activity.toJsonLd({ contextLoader: ctx.contextLoader })),
    };
    if (this.#running.size >= MAX_AT_ONCE) {
      await this.#queue.enqueue(message);
      return;
    }
    const db = this.#app.database.db;
    const stored = storeInboundActivity(db, message, this.#queue.leaseMs);
    // Most handlers load the actor's document (through Fedify's cache) once the block on
    // them is known: the cache entry is read meanwhile.
    const actor = activity.actorId;
    if (actor) this.#kv.prefetch([...REMOTE_DOCUMENT_PREFIX, actor.href]);
    const run: InboundRun = { stored, block: blockOn(db, activity), acknowledged: false };
    const applying = this.#apply(ctx, activity, handler, run).finally(() => {
      this.#running.delete(applying);
    });
    this.#running.add(applying);
    await stored;
  }

  async #apply(
    ctx: Context<AppContext>,
    activity: Activity,
    handler: InboundHandler<Activity>,
    run: InboundRun,
  ): Promise<void> {
    let failure: unknown;
    try {
      await handler(ctx, activity, run);
    } catch (error) {
      failure = error;
    }
    let id: number;
    try {
      id = await run.stored;
    } catch {
      return; // not stored: Fedify answered with an error and the sender tries again
    }
    try {
      if (failure === undefined) {
        if (!run.acknowledged) await this.#queue.complete(id);
        return;
      }
      this.#app.logger.error("federation inbox: activity failed, queued to retry", {
        activity: activity.id?.href,
        error: String(failure),
      });
      await this.#queue.release(id);
    } catch (error) {
      // The lease runs out and the queue runs the message again.
      this.#app.logger.error("federation inbox: could not settle a queued activity", {
        id,
        error: String(error),
      });
    }
  }

  /** Runs a stored activity from the queue: after a failure, a crash, or when many came at once. */
  async #replay(message: InboundMessage, id: number): Promise<void> {
    const ctx = this.#federation().createContext(new URL(message.baseUrl), this.#app);
    const activity = await Activity.fromJsonLd(message.activity, {
      documentLoader: ctx.documentLoader,
      contextLoader: ctx.contextLoader,
    });
    const handler = this.#handlerFor(activity);
    if (!handler) return;
    const block = blockOn(this.#app.database.db, activity);
    await handler(ctx, activity, { stored: Promise.resolve(id), block, acknowledged: false });
  }

  /** The handler for the activity's class or the nearest class it extends, as Fedify picks. */
  #handlerFor(activity: Activity): InboundHandler<Activity> | undefined {
    let type: unknown = activity.constructor;
    while (typeof type === "function") {
      const handler = this.#handlers.get(type as ActivityClass);
      if (handler) return handler;
      type = Object.getPrototypeOf(type);
    }
    return undefined;
  }
}
