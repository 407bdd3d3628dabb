/**
 * Keeps a benchmark from leaving servers and databases behind: on SIGINT/SIGTERM, or once it
 * has run longer than its deadline, it runs `cleanup` once (a second signal does not cut it
 * short) and exits with 1. The returned function disarms the guard after a normal run.
 */
export function guardRun(
  cleanup: () => Promise<void>,
  deadlineMs: number,
  what = "the server",
): () => void {
  let aborting = false;
  const abort = (why: string) => {
    if (aborting) return;
    aborting = true;
    console.error(`\n${why}: stopping ${what} and dropping the database.`);
    void cleanup().finally(() => process.exit(1));
  };
  const onSignal = () => abort("Interrupted");
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const watchdog = setTimeout(
    () => abort(`The benchmark ran longer than ${deadlineMs / 60_000} minutes`),
    deadlineMs,
  );
  watchdog.unref();
  return () => {
    clearTimeout(watchdog);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}
