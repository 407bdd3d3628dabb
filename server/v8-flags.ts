/**
 * V8 settings for Hearth as its own server. Kept apart from everything else so the entry
 * points can apply them before they load the server.
 */

/**
 * Semi-spaces of 4 MB instead of V8's 16 MB. The
 * young generation grows to its largest while the modules load and stays resident after, so
 * this is a third of the server's memory at rest; posting costs a little more collection
 * (docs/decisions/0007-http-on-express.md, docs/benchmarks.md).
 */
export const V8_FLAGS: readonly string[] = ["--max-semi-space-size=4"];

/**
 * Restarts this process in place (same pid, same arguments and environment) with
 * `V8_FLAGS`, unless it already runs with a semi-space size of its own (from the command
 * line or `NODE_OPTIONS`), or this Node cannot replace its process (`process.execve`, Node
 * 22.15 and later). Called first thing by `npm start` and `hearth start`.
 */
export function restartWithV8Flags(nodeOptions: string | undefined): void {
  const set = (args: readonly string[]) =>
    args.some((arg) => arg.startsWith("--max-semi-space-size"));
  if (set(process.execArgv) || set((nodeOptions ?? "").split(/\s+/))) return;
  const execve = (
    process as { execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never }
  ).execve;
  if (typeof execve !== "function") return;
  execve(
    process.execPath,
    [process.execPath, ...V8_FLAGS, ...process.execArgv, ...process.argv.slice(1)],
    process.env,
  );
}
