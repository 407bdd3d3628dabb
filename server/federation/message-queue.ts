/**
 * Fedify's message queue on Hearth's own database (table `federation_queue`), the same on
 * PGlite and PostgreSQL. Any process may work any message: it leases messages with
 * `FOR UPDATE SKIP LOCKED`, keeps up to `concurrency` handlers running, deletes messages
 * once their handlers are done, and puts a failed one back with an exponential backoff. A
 * process that dies mid-work loses its leases, and the messages run again elsewhere.
 *
 * Hearth queues messages of its own beside Fedify's (inbound activities, see inbound.ts):
 * `handle(type, …)` names who runs them. Such a message may be stored already leased to the
 * process that works on it at once (`leaseMs` long); the queue runs it only if that work is
 * put back with `release` or the lease runs out because the process died.
 */
import type {
  MessageQueue,
  MessageQueueDepth,
  MessageQueueEnqueueOptions,
  MessageQueueListenOptions,
} from "@fedify/fedify";
import type { Db } from "../../db/client.ts";
import {
  countQueuedMessages,
  deleteMessages,
  enqueueMessages,
  leaseMessages,
  type QueuedMessage,
  retryMessage,
} from "../../db/queries/federation-store.ts";
import type { Logger } from "../logger.ts";

export interface SqlMessageQueueOptions {
  /** How often to look for due messages queued by other processes (ms). */
  pollMs?: number;
  /** Messages handled at once (deliveries in flight); default 64. */
  concurrency?: number;
  /** How long a lease lasts before another process may take the message (ms). */
  leaseMs?: number;
  /** Attempts after which a message that keeps failing is dropped. */
  maxAttempts?: number;
}

/** Runs one of Hearth's own messages; `id` is its row, for a handler that deletes it itself. */
export type OwnMessageHandler = (message: unknown, id: number) => Promise<void>;

function typeOf(message: unknown): string | undefined {
  if (typeof message !== "object" || message === null) return undefined;
  const type = (message as { type?: unknown }).type;
  return typeof type === "string" ? type : undefined;
}

/** 1 s, 2 s, 4 s … at most an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export class SqlMessageQueue implements MessageQueue {
  /** Fedify retries failed deliveries itself; this queue only retries a handler that throws. */
  readonly nativeRetrial = false;
  readonly #db: Db;
  readonly #logger: Logger;
  readonly #pollMs: number;
  readonly #concurrency: number;
  readonly #leaseMs: number;
  readonly #maxAttempts: number;
  readonly #wakers = new Set<() => void>();
  readonly #own = new Map<string, OwnMessageHandler>();

  constructor(db: Db, logger: Logger, options: SqlMessageQueueOptions = {}) {
    this.#db = db;
    this.#logger = logger;
    this.#pollMs = options.pollMs ?? 1000;
    this.#concurrency = options.concurrency ?? 64;
    this.#leaseMs = options.leaseMs ?? 120_000;
    this.#maxAttempts = options.maxAttempts ?? 8;
  }

  async enqueue(message: unknown, options?: MessageQueueEnqueueOptions): Promise<void> {
    await this.enqueueMany([message], options);
  }

  async enqueueMany(
    messages: readonly unknown[],
    options?: MessageQueueEnqueueOptions,
  ): Promise<void> {
    const delay = options?.delay ? Number(options.delay.total({ unit: "millisecond" })) : 0;
    await enqueueMessages(this.#db, messages, delay, options?.orderingKey);
    if (delay <= 0) for (const wake of this.#wakers) wake();
  }

  /** Messages whose `type` is `type` are run by `handler` instead of Fedify's handler. */
  handle(type: string, handler: OwnMessageHandler): void {
    this.#own.set(type, handler);
  }

  /** How long a lease lasts (ms). */
  get leaseMs(): number {
    return this.#leaseMs;
  }

  /** Puts back a message leased to this process whose work failed, to run again after a backoff. */
  async release(id: number, attempts = 1): Promise<void> {
    await retryMessage(this.#db, id, backoffMs(attempts));
  }

  /** Deletes a message leased to this process whose work is done. */
  async complete(id: number): Promise<void> {
    await deleteMessages(this.#db, [id]);
  }

  async getDepth(): Promise<MessageQueueDepth> {
    const { queued, ready } = await countQueuedMessages(this.#db);
    return { queued, ready, delayed: queued - ready };
  }

  /**
   * Works messages with up to `concurrency` handlers running at once. It leases more as
   * soon as half the slots are free (one slow inbox does not hold up the rest) while more
   * may be due, and deletes finished messages together, before the next lease. It looks
   * for new messages when this process enqueues some, when a message with an ordering key
   * is done (the next one with that key may run now), and every `pollMs`.
   */
  async listen(
    handler: (message: unknown) => Promise<void> | void,
    options: MessageQueueListenOptions = {},
  ): Promise<void> {
    const { signal } = options;
    const running = new Set<Promise<void>>();
    const finished: number[] = [];
    const refill = Math.max(1, Math.floor(this.#concurrency / 2));
    /** Whether the last lease filled every free slot, so more may be due right away. */
    let more = false;
    /** Whether to look for due messages on the next round. */
    let look = true;
    let signalled = false;
    let wakeUp: (() => void) | undefined;
    const wake = (lookToo: boolean) => {
      if (lookToo) look = true;
      signalled = true;
      wakeUp?.();
    };
    const onEnqueue = () => wake(true);
    const onAbort = () => wake(false);
    const roomToRefill = () => running.size <= this.#concurrency - refill;
    this.#wakers.add(onEnqueue);
    signal?.addEventListener("abort", onAbort);
    try {
      while (!signal?.aborted) {
        signalled = false;
        await this.#deleteFinished(finished);
        const free = this.#concurrency - running.size;
        let leased: QueuedMessage[] = [];
        if (look && free >= refill) {
          look = false;
          try {
            leased = await this.#db.transaction((tx) => leaseMessages(tx, free, this.#leaseMs));
          } catch (error) {
            this.#logger.error("federation queue: lease failed", { error: String(error) });
          }
          more = leased.length === free;
        }
        for (const item of leased) {
          const run: Promise<void> = this.#run(handler, item).then((done) => {
            running.delete(run);
            if (done) finished.push(item.id);
            if (item.orderingKey !== null || ((more || look) && roomToRefill())) wake(true);
            else if (finished.length >= refill || running.size === 0) wake(false);
          });
          running.add(run);
        }
        if (more && roomToRefill()) look = true;
        if (signalled || (look && roomToRefill())) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            look = true;
            resolve();
          }, this.#pollMs);
          wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wakeUp = undefined;
      }
    } finally {
      await Promise.all(running);
      await this.#deleteFinished(finished);
      this.#wakers.delete(onEnqueue);
      signal?.removeEventListener("abort", onAbort);
    }
  }

  async #deleteFinished(finished: number[]): Promise<void> {
    if (finished.length === 0) return;
    const ids = finished.splice(0);
    try {
      await deleteMessages(this.#db, ids);
    } catch (error) {
      // Their leases run out and they run again: deliveries are at least once.
      this.#logger.error("federation queue: could not delete finished messages", {
        count: ids.length,
        error: String(error),
      });
    }
  }

  /** Runs one message; true when it is done with and can be deleted. */
  async #run(
    handler: (message: unknown) => Promise<void> | void,
    item: QueuedMessage,
  ): Promise<boolean> {
    try {
      const type = typeOf(item.message);
      const own = type === undefined ? undefined : this.#own.get(type);
      if (own) await own(item.message, item.id);
      else await handler(item.message);
      return true;
    } catch (error) {
      const giveUp = item.attempts >= this.#maxAttempts;
      this.#logger.error("federation queue: message failed", {
        id: item.id,
        attempts: item.attempts,
        giveUp,
        error: String(error),
      });
      if (giveUp) return true;
      try {
        await retryMessage(this.#db, item.id, backoffMs(item.attempts));
      } catch (failure) {
        this.#logger.error("federation queue: could not release a message", {
          id: item.id,
          error: String(failure),
        });
      }
      return false;
    }
  }
}
