/**
 * Fedify's message queue on Hearth's own database (table `federation_queue`), the same on
 * PGlite and PostgreSQL. Any process may work any message: it leases a batch with
 * `FOR UPDATE SKIP LOCKED`, deletes each message when its handler is done, and puts a
 * failed one back with an exponential backoff. A process that dies mid-work loses its
 * lease, and the message runs again elsewhere.
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
  deleteMessage,
  enqueueMessages,
  leaseMessages,
  retryMessage,
} from "../../db/queries/federation-store.ts";
import type { Logger } from "../logger.ts";

export interface SqlMessageQueueOptions {
  /** How often to look for due messages queued by other processes (ms). */
  pollMs?: number;
  /** Messages leased at once; they are handled concurrently. */
  batchSize?: number;
  /** How long a lease lasts before another process may take the message (ms). */
  leaseMs?: number;
  /** Attempts after which a message that keeps failing is dropped. */
  maxAttempts?: number;
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
  readonly #batchSize: number;
  readonly #leaseMs: number;
  readonly #maxAttempts: number;
  readonly #wakers = new Set<() => void>();

  constructor(db: Db, logger: Logger, options: SqlMessageQueueOptions = {}) {
    this.#db = db;
    this.#logger = logger;
    this.#pollMs = options.pollMs ?? 1000;
    this.#batchSize = options.batchSize ?? 32;
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

  async getDepth(): Promise<MessageQueueDepth> {
    const { queued, ready } = await countQueuedMessages(this.#db);
    return { queued, ready, delayed: queued - ready };
  }

  async listen(
    handler: (message: unknown) => Promise<void> | void,
    options: MessageQueueListenOptions = {},
  ): Promise<void> {
    const { signal } = options;
    let wakeUp: (() => void) | undefined;
    let pending = false;
    const waker = () => {
      pending = true;
      wakeUp?.();
    };
    this.#wakers.add(waker);
    signal?.addEventListener("abort", waker);
    try {
      while (!signal?.aborted) {
        pending = false;
        let leased: Awaited<ReturnType<typeof leaseMessages>> = [];
        try {
          leased = await this.#db.transaction((tx) =>
            leaseMessages(tx, this.#batchSize, this.#leaseMs),
          );
        } catch (error) {
          this.#logger.error("federation queue: lease failed", { error: String(error) });
        }
        await Promise.all(leased.map((item) => this.#run(handler, item)));
        if (leased.length === this.#batchSize || pending) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.#pollMs);
          wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wakeUp = undefined;
      }
    } finally {
      this.#wakers.delete(waker);
      signal?.removeEventListener("abort", waker);
    }
  }

  async #run(
    handler: (message: unknown) => Promise<void> | void,
    item: { id: number; message: unknown; attempts: number },
  ): Promise<void> {
    try {
      await handler(item.message);
      await deleteMessage(this.#db, item.id);
    } catch (error) {
      const giveUp = item.attempts >= this.#maxAttempts;
      this.#logger.error("federation queue: message failed", {
        id: item.id,
        attempts: item.attempts,
        giveUp,
        error: String(error),
      });
      try {
        if (giveUp) await deleteMessage(this.#db, item.id);
        else await retryMessage(this.#db, item.id, backoffMs(item.attempts));
      } catch (failure) {
        this.#logger.error("federation queue: could not release a message", {
          id: item.id,
          error: String(failure),
        });
      }
    }
  }
}
