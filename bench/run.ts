/**
 * Runs one benchmark: `npm run bench -- <name> [options]`. Each benchmark is a module
 * `bench/<name>.ts` exporting `run(args)` and a one-line `description`.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

interface Benchmark {
  description?: string;
  run(args: string[]): Promise<void>;
}

const benchDir = fileURLToPath(new URL(".", import.meta.url));
const available = readdirSync(benchDir)
  .filter((file) => file.endsWith(".ts") && file !== "run.ts")
  .map((file) => file.slice(0, -3))
  .sort();

async function load(name: string): Promise<Benchmark> {
  return (await import(`./${name}.ts`)) as Benchmark;
}

async function usage(): Promise<void> {
  console.error("Usage: npm run bench -- <name> [options]\n\nAvailable benchmarks:");
  for (const name of available) {
    const { description } = await load(name);
    console.error(`  ${name.padEnd(12)} ${description ?? ""}`);
  }
}

const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  if (name) console.error(`There is no benchmark called "${name}".\n`);
  await usage();
  process.exit(1);
}

try {
  await (await load(name)).run(args);
  process.exit(0);
} catch (error) {
  console.error(`\nThe ${name} benchmark failed: ${(error as Error).stack ?? error}`);
  process.exit(1);
}
