/**
 * A background loop that runs one piece of work at a time: on `wake()` (after this process
 * commits something to work on) and every `pollMs` (for work other processes left). A wake
 * during a run queues exactly one more run, so nothing committed meanwhile waits for the
 * next poll.
 */
import type { Logger } from "../logger.ts";

export class WorkLoop {
  readonly #work: () => Promise<unknown>;
  readonly #logger: Logger;
  readonly #name: string;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;

  constructor(
    name: string,
    work: () => Promise<unknown>,
    logger: Logger,
    readonly pollMs = 1000,
  ) {
    this.#name = name;
    this.#work = work;
    this.#logger = logger;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    const tick = () => {
      this.wake();
      this.#timer = setTimeout(tick, this.pollMs);
      this.#timer.unref();
    };
    tick();
  }

  /** Stops polling and waits for a run under way to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#work()
      .then(() => undefined)
      .catch((error: unknown) =>
        this.#logger.error(`${this.#name} failed`, { error: String(error) }),
      )
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.wake();
        }
      });
  }
}
