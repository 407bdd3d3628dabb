/**
 * Federation as the rest of the server sees it: built from the AppContext when
 * `HEARTH_FEDERATION=1`, started and stopped with the server. It registers the publisher's
 * event handler, runs Fedify's queue and the publisher in every process, and offers the
 * middleware that serves its routes.
 */
import type { Federation } from "@fedify/fedify";
import type { RequestHandler } from "express";
import type { AppContext } from "../context.ts";
import { federationMiddleware } from "./express.ts";
import { createHearthFederation } from "./federation.ts";
import type { InboundActivities } from "./inbound.ts";
import { acceptFollower } from "./inbox.ts";
import type { SqlKvStore } from "./kv-store.ts";
import type { SqlMessageQueue } from "./message-queue.ts";
import { FederationPublisher } from "./publishing.ts";

export interface FederationRuntimeOptions {
  /** Poll interval of the queue and the publisher (ms); tests make it short. */
  pollMs?: number;
}

export class FederationRuntime {
  readonly federation: Federation<AppContext>;
  readonly queue: SqlMessageQueue;
  /** Inbound activities being applied in this process. */
  readonly inbound: InboundActivities;
  readonly #kv: SqlKvStore;
  readonly publisher: FederationPublisher;
  readonly #app: AppContext;
  #abort: AbortController | undefined;
  #queueDone: Promise<void> | undefined;

  constructor(app: AppContext, options: FederationRuntimeOptions = {}) {
    this.#app = app;
    const { federation, queue, kv, inbound } = createHearthFederation(app, {
      queuePollMs: options.pollMs,
    });
    this.federation = federation;
    this.inbound = inbound;
    this.#kv = kv;
    this.queue = queue;
    this.publisher = new FederationPublisher(app, federation, options.pollMs ?? 1000);
    app.events.addHandler(this.publisher.handler);
  }

  /** Serves Fedify's routes; mounted before the API and its body parser. */
  middleware(): RequestHandler {
    return federationMiddleware(this.federation, this.#app.config.publicUrl, this.#app);
  }

  start(): void {
    if (this.#abort) return;
    this.#abort = new AbortController();
    this.#queueDone = this.federation
      .startQueue(this.#app, { signal: this.#abort.signal })
      .catch((error: unknown) =>
        this.#app.logger.error("federation queue stopped", { error: String(error) }),
      );
    this.publisher.start();
  }

  async stop(): Promise<void> {
    await this.publisher.stop();
    await this.inbound.drain();
    this.#abort?.abort();
    await this.#queueDone;
    this.#abort = undefined;
    await this.#kv.close();
  }

  /** Sends the Accept for a follow request a moderator approved. */
  accept(follower: Parameters<typeof acceptFollower>[2]): Promise<void> {
    return acceptFollower(this.federation, this.#app, follower);
  }
}
