/** What every benchmark's run needs: its options checked, a timestamped log, a worker pool. */

/** Throws on an option the benchmark does not know, naming the ones it does. */
export function checkOptions(args: readonly string[], known: readonly string[]): void {
  for (const arg of args) {
    if (!known.includes(arg)) throw new Error(`unknown option ${arg} (known: ${known.join(", ")})`);
  }
}

export const sleep = (msToWait: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, msToWait));

/** `[12:34:56] message` on stdout. */
export function log(message: string): void {
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** Runs `job` for every index below `total`, `concurrency` at a time. */
export async function inParallel(
  total: number,
  concurrency: number,
  job: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < total) await job(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}
