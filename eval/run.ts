/**
 * Runs one evaluation: `npm run eval -- <name>`. Each evaluation is a module
 * `eval/<name>.ts` exporting `run(args)` and a one-line `description`.
 */
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

interface Evaluation {
  description?: string;
  run(args: string[]): Promise<void>;
}

const dir = fileURLToPath(new URL(".", import.meta.url));
const available = readdirSync(dir)
  .filter((file) => file.endsWith(".ts") && file !== "run.ts" && !file.includes("-corpus"))
  .map((file) => file.slice(0, -3))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  if (name) console.error(`There is no evaluation called "${name}".\n`);
  console.error("Usage: npm run eval -- <name>\n\nAvailable evaluations:");
  for (const each of available) {
    const { description } = (await import(`./${each}.ts`)) as Evaluation;
    console.error(`  ${each.padEnd(12)} ${description ?? ""}`);
  }
  process.exit(1);
}
await ((await import(`./${name}.ts`)) as Evaluation).run(args);
