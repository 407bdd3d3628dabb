/**
 * Compiles the server, the database layer and the plugins to JavaScript with type
 * declarations in `dist/server`, `dist/db` and `dist/plugins` (`tsconfig.build.json`), and
 * copies the SQL migrations and their journal beside the compiled database client, which reads them from
 * `./migrations` next to itself.
 */
import { spawnSync } from "node:child_process";
import { cpSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");

// Stale output of a module that was renamed or removed must not linger in the package.
for (const part of ["server", "db", "plugins"]) {
  rmSync(join(dist, part), { recursive: true, force: true });
}

const tsc = spawnSync(
  process.execPath,
  [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
  { cwd: root, stdio: "inherit" },
);
if (tsc.status !== 0) {
  console.error("The server did not compile (tsc -p tsconfig.build.json).");
  process.exit(tsc.status ?? 1);
}

// The migrator reads the SQL files and meta/_journal.json; the snapshots in meta/ are for
// drizzle-kit when it generates the next migration, and stay out of the package.
cpSync(join(root, "db", "migrations"), join(dist, "db", "migrations"), {
  recursive: true,
  filter: (source) => !/_snapshot\.json$/.test(source),
});
console.log("dist/server, dist/db (with its migrations), dist/plugins: compiled");
