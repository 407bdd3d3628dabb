/**
 * Runs admins' regular expressions (word filters of kind `regex`) against comment text in a
 * worker thread under a time limit. Patterns are checked when they are saved
 * (`regex-safety.ts`), but no static check catches every pattern that backtracks badly on
 * some text; here such a pattern costs one comment a bounded wait, never the server's event
 * loop. When the time runs out the worker is ended (which stops the regular expression) and
 * a fresh one takes the next text.
 */
import { Worker } from "node:worker_threads";

/** The worker, in plain JavaScript so it needs no loader. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const progress = new Int32Array(workerData.progress);
const compiled = new Map();
function compile(source) {
  if (!compiled.has(source)) {
    let re = null;
    try { re = new RegExp(source, "iu"); } catch {}
    if (compiled.size > 1000) compiled.clear();
    compiled.set(source, re);
  }
  return compiled.get(source);
}
parentPort.on("message", ({ id, patterns, text }) => {
  const matches = [];
  for (let i = 0; i < patterns.length; i++) {
    Atomics.store(progress, 0, i);
    const re = compile(patterns[i]);
    if (re && re.test(text)) matches.push(i);
  }
  parentPort.postMessage({ id, matches });
});
`;

export type PatternOutcome =
  /** Indexes of the patterns that matched. */
  | { matches: number[]; timedOut?: undefined }
  /** The pattern at this index (-1: none had started) ran out of time; later ones were not tried. */
  | { timedOut: number; matches?: undefined };

/** How long an idle worker is kept. */
const IDLE_MS = 60_000;

export class PatternRunner {
  readonly #timeoutMs: number;
  #worker: Promise<{ worker: Worker; progress: Int32Array }> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #next = 0;
  #idle: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Tests each pattern (case-insensitive, Unicode) against the text, one text at a time. */
  test(patterns: readonly string[], text: string): Promise<PatternOutcome> {
    const run = this.#queue.then(() => this.#run(patterns, text));
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Ends the worker (a new one starts when needed). */
  async close(): Promise<void> {
    clearTimeout(this.#idle);
    const current = this.#worker;
    this.#worker = undefined;
    if (current) await (await current).worker.terminate();
  }

  #start(): Promise<{ worker: Worker; progress: Int32Array }> {
    this.#worker ??= new Promise((resolve, reject) => {
      const shared = new SharedArrayBuffer(4);
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { progress: shared } });
      worker.unref();
      worker.once("online", () => resolve({ worker, progress: new Int32Array(shared) }));
      worker.once("error", reject);
      worker.once("exit", () => {
        if (this.#worker === started) this.#worker = undefined;
      });
    });
    const started = this.#worker;
    return started;
  }

  async #run(patterns: readonly string[], text: string): Promise<PatternOutcome> {
    clearTimeout(this.#idle);
    const { worker, progress } = await this.#start();
    const id = ++this.#next;
    const outcome = await new Promise<PatternOutcome>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
      };
      const onMessage = (message: { id: number; matches: number[] }) => {
        if (message.id !== id) return;
        done();
        resolve({ matches: message.matches });
      };
      const onError = (error: Error) => {
        done();
        this.#worker = undefined;
        reject(error);
      };
      const timer = setTimeout(() => {
        done();
        const at = Atomics.load(progress, 0);
        this.#worker = undefined;
        void worker.terminate();
        resolve({ timedOut: at });
      }, this.#timeoutMs);
      worker.on("message", onMessage);
      worker.once("error", onError);
      Atomics.store(progress, 0, -1);
      worker.postMessage({ id, patterns, text });
    });
    this.#idle = setTimeout(() => void this.close(), IDLE_MS);
    this.#idle.unref();
    return outcome;
  }
}
