/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and sums self time per function and per
 * module, so a run says where the server spent its CPU without opening a profiler.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileEntry {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Time not spent idle. */
  busyMs: number;
  functions: ProfileEntry[];
  modules: ProfileEntry[];
}

/**
 * `node_modules/drizzle-orm/utils.js` → module `drizzle-orm`, file `drizzle-orm/utils.js`;
 * repository files keep their path for both.
 */
function locate(url: string, root: string): { module: string; file: string } {
  if (!url) return { module: "(native)", file: "(native)" };
  if (url.startsWith("node:")) return { module: "node internals", file: url };
  const path = url.startsWith("file://") ? fileURLToPath(url) : url;
  const packaged = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path);
  if (packaged) return { module: packaged[1]!, file: `${packaged[1]}/${packaged[2]}` };
  const local = path.startsWith(root) ? relative(root, path) : path;
  return { module: local, file: local };
}

/**
 * A span of a run, in microseconds of the monotonic clock V8 stamps its samples with
 * (`monotonicMicros()` in any process on the same machine).
 */
export interface ProfileWindow {
  from: number;
  to: number;
}

/** Now, on the clock of a profile's samples. */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export function summarizeProfile(
  file: string,
  root: string,
  top = 25,
  window?: ProfileWindow,
): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let at = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    at += deltas[i] ?? 0;
    if (window && (at < window.from || at > window.to)) continue;
    // Each delta is the time before its sample; attribute the next delta to this sample.
    const ms = (deltas[i + 1] ?? 0) / 1000;
    self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + ms);
  }
  const functions = new Map<string, number>();
  const modules = new Map<string, number>();
  let idle = 0;
  let total = 0;
  for (const [id, ms] of self) {
    const node = byId.get(id);
    if (!node) continue;
    total += ms;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") {
      idle += ms;
      continue;
    }
    const where = functionName.startsWith("(")
      ? { module: functionName, file: functionName }
      : locate(url, root);
    const module = where.module;
    const name = functionName.startsWith("(")
      ? functionName
      : `${functionName || "(anonymous)"} ${where.file}:${lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
    modules.set(module, (modules.get(module) ?? 0) + ms);
  }
  const busy = total - idle;
  const rank = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms, share: busy > 0 ? ms / busy : 0 }));
  return { totalMs: total, busyMs: busy, functions: rank(functions), modules: rank(modules) };
}

/** Prints one summary: how busy the process was, then where its CPU went by module and function. */
export function printSummary(heading: string, summary: ProfileSummary): void {
  console.log(`\n${heading}`);
  console.log(
    `busy ${(summary.busyMs / 1000).toFixed(1)} s of ${(summary.totalMs / 1000).toFixed(1)} s`,
  );
  const rows = (entries: ProfileEntry[]) =>
    entries
      .map(
        (entry) =>
          `${`${Math.round(entry.ms)} ms`.padStart(10)}  ${`${(entry.share * 100).toFixed(1)}%`.padStart(6)}  ${entry.name}`,
      )
      .join("\n");
  console.log(`\nBy module\n${rows(summary.modules)}`);
  console.log(`\nBy function\n${rows(summary.functions)}`);
}

/**
 * Prints where a server's CPU went, by module and by function, for each profile in `dir`:
 * over the whole run, then over each named phase (phases without samples are left out).
 */
export function printProfiles(
  dir: string,
  root: string,
  top = 30,
  phases: Record<string, ProfileWindow> = {},
): void {
  const files = readdirSync(dir).filter((file) => file.endsWith(".cpuprofile"));
  const windows: [string, ProfileWindow | undefined][] = [
    ["whole run", undefined],
    ...Object.entries(phases),
  ];
  for (const [phase, window] of windows) {
    for (const file of files) {
      const summary = summarizeProfile(join(dir, file), root, top, window);
      if (summary.totalMs === 0) continue;
      printSummary(`Server CPU profile ${join(dir, file)}, ${phase}`, summary);
    }
  }
}
