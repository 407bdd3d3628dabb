/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and sums self time per function and per
 * module, so a run says where the server spent its CPU without opening a profiler.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
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

export function summarizeProfile(file: string, root: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
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
