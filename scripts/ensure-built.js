/**
 * Builds what is missing or older than its sources before the compiled server runs (`npm
 * start`, the benchmarks): the widgets in dist/widgets, and the server, database layer and
 * plugins in dist/server, dist/db and dist/plugins. Does nothing when both are current, so a
 * start after `npm install` (which builds) goes straight to the server.
 *
 * Plain JavaScript on purpose: it runs before anything is compiled, on any Node 22.
 *
 *   node scripts/ensure-built.js
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const parts = [
  {
    name: "the widgets",
    script: "build:widgets",
    outputs: ["dist/widgets/hearth.js", "dist/widgets/hearth-moderation.js"],
    sources: ["widgets"],
  },
  {
    name: "the server",
    script: "build:server",
    outputs: ["dist/server/main.js", "dist/db/migrations/meta/_journal.json"],
    sources: [
      "server",
      "db",
      "plugins",
      "tsconfig.json",
      "tsconfig.build.json",
      "scripts/build-server.ts",
    ],
  },
];

/**
 * Newest modification time (ms) of the files at or under a path; 0 when there are none.
 * @param {string} path
 * @returns {number}
 */
function newestUnder(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestUnder(join(path, entry)));
  return newest;
}

/**
 * Oldest modification time (ms) of the outputs; -1 when one is missing.
 * @param {string[]} outputs
 * @returns {number}
 */
function builtAt(outputs) {
  let oldest = Number.POSITIVE_INFINITY;
  for (const output of outputs) {
    const path = join(root, output);
    if (!existsSync(path)) return -1;
    oldest = Math.min(oldest, statSync(path).mtimeMs);
  }
  return oldest;
}

const stale = parts.filter(
  (part) =>
    builtAt(part.outputs) < Math.max(...part.sources.map((s) => newestUnder(join(root, s)))),
);
if (stale.length === 0) process.exit(0);

const tools = ["typescript", "tsx", "esbuild"];
if (tools.some((tool) => !existsSync(join(root, "node_modules", tool)))) {
  console.error(
    `Hearth's compiled files in dist/ are missing or older than the sources, and the build ` +
      `tools (${tools.join(", ")}) are not installed: run \`npm install\` with the dev ` +
      "dependencies, then `npm run build`.",
  );
  process.exit(1);
}

// Inside an npm script npm tells where it is; run by hand, the npm on PATH builds.
const npm = process.env.npm_execpath;
for (const part of stale) {
  console.log(`Building ${part.name} (npm run ${part.script}): missing or older than the sources.`);
  const result = npm
    ? spawnSync(process.execPath, [npm, "run", "--silent", part.script], {
        cwd: root,
        stdio: "inherit",
      })
    : spawnSync("npm", ["run", "--silent", part.script], {
        cwd: root,
        stdio: "inherit",
        shell: process.platform === "win32",
      });
  if (result.status !== 0) {
    console.error(`The build failed: fix it, or run \`npm run ${part.script}\` to see why.`);
    process.exit(result.status ?? 1);
  }
}
