/**
 * Group commit for one kind of write: while a batch is being written, new writes queue, and
 * the next batch takes all of them (up to `max`) in one statement. A lone write goes out at
 * once, so nothing waits on a timer; under load, many writes share one round trip and one
 * commit. When a batch fails, its writes are retried one by one, so only a write that fails
 * on its own is refused.
 */
export class WriteBatcher<Input, Output> {
  readonly #write: (inputs: Input[]) => Promise<Output[]>;
  readonly #max: number;
  #queue: { input: Input; resolve: (output: Output) => void; reject: (error: unknown) => void }[] =
    [];
  #writing = false;

  constructor(write: (inputs: Input[]) => Promise<Output[]>, max = 64) {
    this.#write = write;
    this.#max = max;
  }

  submit(input: Input): Promise<Output> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ input, resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.#max);
        try {
          const outputs = await this.#write(batch.map((item) => item.input));
          for (const [i, item] of batch.entries()) item.resolve(outputs[i]!);
        } catch (error) {
          if (batch.length === 1) {
            batch[0]!.reject(error);
            continue;
          }
          await Promise.all(
            batch.map(async (item) => {
              try {
                const [output] = await this.#write([item.input]);
                item.resolve(output!);
              } catch (failure) {
                item.reject(failure);
              }
            }),
          );
        }
      }
    } finally {
      this.#writing = false;
    }
  }
}
