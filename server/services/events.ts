/**
 * The event bus: services record domain events in the transaction that makes the change,
 * and a dispatcher hands each committed event to every registered handler exactly once,
 * across all Hearth processes sharing the database (rows are claimed with
 * `FOR UPDATE SKIP LOCKED`). Handlers run inside the claiming transaction, so what they
 * write (notifications, deliveries, federation activities) commits with the claim or not
 * at all.
 */
import type { Database, DbLike, Tx } from "../../db/client.ts";
import { claimPendingEvents, insertEvent, markEventsDispatched } from "../../db/queries/events.ts";
import type { EventRow, EventType } from "../../db/schema.ts";
import type { Logger } from "../logger.ts";
import { WorkLoop } from "./work-loop.ts";

export interface EventInput {
  type: EventType;
  threadId?: number | null;
  commentId?: number | null;
  actorId?: string | null;
  payload?: Record<string, unknown>;
}

export interface EventHandler {
  /** Names the handler in logs. */
  name: string;
  /**
   * Runs for each event inside the claiming transaction. Read and write only through `tx`:
   * the embedded database has one connection, so a query outside it would wait forever.
   */
  handle(tx: Tx, event: EventRow): Promise<void>;
  /**
   * Runs for a whole batch of events (in id order) instead of `handle` for each, when the
   * handler can do the batch's work set-wise. A batch that fails is retried one event at a
   * time through `handle`.
   */
  handleBatch?(tx: Tx, events: EventRow[]): Promise<void>;
}

const BATCH = 100;

export class EventBus {
  readonly #database: Database;
  readonly #logger: Logger;
  readonly #handlers: EventHandler[] = [];
  readonly #listeners = new Set<() => void>();
  readonly #loop: WorkLoop;
  #stopping = false;
  #draining: Promise<unknown> = Promise.resolve();

  constructor(database: Database, logger: Logger, pollMs = 1000) {
    this.#database = database;
    this.#logger = logger;
    this.#loop = new WorkLoop("event dispatch", () => this.drain(), logger, pollMs);
  }

  /** Writes an event; pass the transaction that makes the change it describes. */
  async record(db: DbLike, input: EventInput): Promise<EventRow> {
    return insertEvent(db, {
      type: input.type,
      threadId: input.threadId ?? null,
      commentId: input.commentId ?? null,
      actorId: input.actorId ?? null,
      payload: input.payload ?? {},
    });
  }

  addHandler(handler: EventHandler): void {
    this.#handlers.push(handler);
  }

  /** Called after each dispatched batch (tests and live streams wait on it). */
  onDispatched(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts dispatching: now, on every `wake()`, and every poll for other processes' events. */
  start(): void {
    this.#stopping = false;
    this.#loop.start();
  }

  stop(): Promise<void> {
    this.#stopping = true;
    return this.#loop.stop();
  }

  /** Asks for a dispatch soon; call after committing a transaction that recorded events. */
  wake(): void {
    if (this.#handlers.length > 0) this.#loop.wake();
  }

  /**
   * Dispatches every pending event; resolves when none is left that this process can claim,
   * or after the current batch once the bus is stopping. Listeners hear of each batch as it
   * commits, so a live stream does not wait for a backlog to drain.
   *
   * A drain called while another runs in this process starts after it. Two at once would
   * claim the backlog row by row in turns, splitting what is one batch into two that write
   * their notifications in either order. Processes sharing the database still claim side by
   * side.
   */
  drain(): Promise<number> {
    const run = this.#draining.then(() => this.#drainNow());
    this.#draining = run.catch(() => {});
    return run;
  }

  async #drainNow(): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await this.#dispatchBatch();
      total += count;
      if (count > 0) for (const listener of this.#listeners) listener();
      if (count < BATCH || this.#stopping) break;
    }
    return total;
  }

  async #dispatchBatch(): Promise<number> {
    const db = this.#database.db;
    try {
      return await db.transaction(async (tx) => {
        const batch = await claimPendingEvents(tx, BATCH);
        for (const handler of this.#handlers) {
          if (handler.handleBatch) {
            if (batch.length > 0) await handler.handleBatch(tx, batch);
          } else {
            for (const event of batch) await handler.handle(tx, event);
          }
        }
        await markEventsDispatched(
          tx,
          batch.map((event) => event.id),
        );
        return batch.length;
      });
    } catch (error) {
      // One bad event must not hold the others back: retry the batch one event at a time,
      // and record an event whose handlers keep failing as dispatched, with the error logged.
      this.#logger.error("event batch failed; dispatching one by one", { error: String(error) });
      return db.transaction(async (tx) => {
        const batch = await claimPendingEvents(tx, BATCH);
        for (const event of batch) {
          try {
            await tx.transaction((savepoint) => this.#handle(savepoint, event));
          } catch (failure) {
            this.#logger.error("event handler failed", {
              event: event.id,
              type: event.type,
              error: String(failure),
            });
          }
        }
        await markEventsDispatched(
          tx,
          batch.map((event) => event.id),
        );
        return batch.length;
      });
    }
  }

  async #handle(tx: Tx, event: EventRow): Promise<void> {
    for (const handler of this.#handlers) await handler.handle(tx, event);
  }
}
