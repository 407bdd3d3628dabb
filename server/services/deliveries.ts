/**
 * The delivery worker: every Hearth process runs one. It claims due deliveries (emails and
 * webhooks) with `FOR UPDATE SKIP LOCKED`, leases them for `HEARTH_DELIVERY_LEASE`, sends
 * them, and marks each sent, or schedules a retry with backoff, or parks it after
 * `HEARTH_DELIVERY_ATTEMPTS` failures. A process that dies mid-send leaves its deliveries
 * leased; another (or the restarted one) takes them over when the lease ends.
 *
 * Exactly once: a delivery is only ever sent by the worker holding its lease, and its dedupe
 * key keeps one event from queuing it twice. The one gap SMTP leaves is a process dying
 * after the mail server accepted a message and before "sent" is written: that message is
 * sent again, with the same Message-ID.
 */
import type { Transporter } from "nodemailer";
import {
  claimDueDeliveries,
  failDelivery,
  findDelivery,
  finishDelivery,
  retryDelivery,
  selectTroubledDeliveries,
} from "../../db/queries/deliveries.ts";
import type { Delivery } from "../../db/schema.ts";
import type { AppContext } from "../context.ts";
import { notFound } from "../errors.ts";
import {
  createMailer,
  type EmailBatch,
  loadEmailBatch,
  sendDigest,
  sendNotificationEmail,
} from "./email.ts";
import { webhookSender } from "./webhooks.ts";
import { WorkLoop } from "./work-loop.ts";

const BATCH = 50;
const PARALLEL = 10;

/** Backoff before attempt `n + 1`: 5 s, 10 s, 20 s… up to an hour, with jitter. */
export function backoffMs(attempts: number): number {
  const base = Math.min(5000 * 2 ** Math.max(attempts - 1, 0), 3600_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export class DeliveryWorker {
  readonly #ctx: AppContext;
  #mailer: Promise<Transporter | undefined> | undefined;
  #webhook: ReturnType<typeof webhookSender> | undefined;
  readonly #loop: WorkLoop;
  readonly #listeners = new Set<(delivery: Delivery, outcome: string) => void>();
  #due = false;

  constructor(ctx: AppContext, pollMs = 1000) {
    this.#ctx = ctx;
    this.#loop = new WorkLoop("delivery run", () => this.drain(), ctx.logger, pollMs);
  }

  /** The SMTP transport, made when the first email is due; none without an SMTP server. */
  #transport(): Promise<Transporter | undefined> {
    this.#mailer ??= createMailer(this.#ctx).catch((error: unknown) => {
      // Not kept: the next email tries again.
      this.#mailer = undefined;
      throw error;
    });
    return this.#mailer;
  }

  /** Called after each delivery is handled (tests and benchmarks wait on it). */
  onOutcome(listener: (delivery: Delivery, outcome: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    this.#loop.start();
  }

  async stop(): Promise<void> {
    await this.#loop.stop();
    const mailer = this.#mailer;
    this.#mailer = undefined;
    (await mailer?.catch(() => undefined))?.close();
  }

  wake(): void {
    this.#loop.wake();
  }

  /**
   * Says that a transaction about to commit queued a delivery due now: `wakeIfDue` after the
   * commit then runs the worker at once. Without it, the worker waits for its next poll.
   */
  dueAfterCommit(): void {
    this.#due = true;
  }

  wakeIfDue(): void {
    if (!this.#due) return;
    this.#due = false;
    this.#loop.wake();
  }

  /**
   * Sends everything due now; resolves when nothing due is left that this process can claim.
   * `PARALLEL` lanes take deliveries from a queue that is refilled a claimed batch at a time
   * while the last sends of the batch before are still under way, so lanes (and the SMTP
   * connections behind them) do not stand idle at every claim.
   */
  async drain(): Promise<number> {
    let total = 0;
    const queue: { delivery: Delivery; emails: Promise<EmailBatch | undefined> }[] = [];
    let exhausted = false;
    let failure: unknown;
    let claiming: Promise<void> | undefined;
    const refill = () => {
      claiming ??= this.#claim()
        .then(
          (batch) => {
            total += batch.length;
            if (batch.length < BATCH) exhausted = true;
            // Read once for the batch; should that fail, each email fails (and is retried) alone.
            const emails = this.#emailBatch(batch);
            emails.catch(() => {});
            for (const delivery of batch) queue.push({ delivery, emails });
          },
          (error: unknown) => {
            failure = error;
            exhausted = true;
          },
        )
        .finally(() => {
          claiming = undefined;
        });
      return claiming;
    };
    const recording = new Set<Promise<void>>();
    const lane = async () => {
      for (;;) {
        if (!exhausted && queue.length <= PARALLEL) void refill();
        const item = queue.shift();
        if (item) {
          const { recorded } = await this.#deliver(item.delivery, item.emails);
          recording.add(recorded);
          void recorded.then(() => recording.delete(recorded));
        } else if (claiming) {
          await claiming;
        } else if (exhausted) {
          return;
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, lane));
    await Promise.all(recording);
    if (failure !== undefined) throw failure;
    return total;
  }

  #claim(): Promise<Delivery[]> {
    const now = this.#ctx.now();
    const lease = new Date(now.getTime() + this.#ctx.config.notifications.leaseSeconds * 1000);
    return claimDueDeliveries(this.#ctx.database.db, now, lease, BATCH);
  }

  async #emailBatch(batch: Delivery[]): Promise<EmailBatch | undefined> {
    if (!batch.some((d) => d.kind === "email") || !(await this.#transport())) return undefined;
    return loadEmailBatch(this.#ctx, batch);
  }

  /**
   * Sends one delivery and returns the write that records what happened without waiting
   * for it, so the lane goes on to its next send meanwhile. A delivery whose sending
   * succeeded but whose "sent" could not be written stays leased, and is sent again once
   * the lease ends (the gap described above).
   */
  async #deliver(
    delivery: Delivery,
    emails: Promise<EmailBatch | undefined>,
  ): Promise<{ recorded: Promise<void> }> {
    const ctx = this.#ctx;
    const db = ctx.database.db;
    let recorded: Promise<string>;
    try {
      const result = await this.#send(delivery, emails);
      recorded = finishDelivery(db, delivery.id, result, ctx.now()).then(() => result);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const parked = delivery.attempts >= ctx.config.notifications.maxAttempts;
      const retryAt = parked ? null : new Date(ctx.now().getTime() + backoffMs(delivery.attempts));
      ctx.logger.error("delivery failed", {
        id: delivery.id,
        kind: delivery.kind,
        attempts: delivery.attempts,
        parked,
        error: message,
      });
      recorded = failDelivery(db, delivery.id, message.slice(0, 500), retryAt)
        .catch(() => {})
        .then(() => (parked ? "parked" : "failed"));
    }
    return {
      recorded: recorded.then(
        (outcome) => {
          for (const listener of this.#listeners) listener(delivery, outcome);
        },
        (error: unknown) => {
          ctx.logger.error("delivery sent but not recorded", {
            id: delivery.id,
            kind: delivery.kind,
            error: String(error),
          });
        },
      ),
    };
  }

  async #send(
    delivery: Delivery,
    emails: Promise<EmailBatch | undefined>,
  ): Promise<"sent" | "skipped"> {
    if (delivery.kind === "webhook") {
      this.#webhook ??= webhookSender(this.#ctx);
      await this.#webhook(delivery);
      return "sent";
    }
    const mailer = await this.#transport();
    if (!mailer) return "skipped";
    if (delivery.payload.digest) return sendDigest(this.#ctx, mailer, delivery);
    const batch = await emails;
    return batch ? sendNotificationEmail(this.#ctx, mailer, delivery, batch) : "skipped";
  }
}

// ---- admin ----

export function serializeDelivery(d: Delivery) {
  return {
    id: String(d.id),
    kind: d.kind,
    dedupeKey: d.dedupeKey,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt.toISOString(),
    lastError: d.lastError,
    createdAt: d.createdAt.toISOString(),
    target: d.kind === "webhook" ? String(d.payload.url ?? "") : d.memberId,
  };
}

export async function listTroubledDeliveries(ctx: AppContext, status: unknown) {
  const filter = status === "parked" || status === "failed" ? status : undefined;
  const rows = await selectTroubledDeliveries(ctx.database.db, filter, 200);
  return { deliveries: rows.map(serializeDelivery) };
}

export async function retryTroubledDelivery(ctx: AppContext, id: number) {
  const row = await retryDelivery(ctx.database.db, id, ctx.now());
  if (!row) {
    const exists = await findDelivery(ctx.database.db, id);
    throw notFound(
      "not_found",
      exists ? "That delivery is not parked or failed." : "There is no such delivery.",
    );
  }
  ctx.notifications.deliveries.wake();
  return { delivery: serializeDelivery(row) };
}
