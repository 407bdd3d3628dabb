/**
 * Bundles the widgets into one ES module, `dist/widgets/hearth.js`, and keeps it small:
 * the build fails when the gzipped bundle is over the budget.
 */
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";

const BUDGET_GZIP_BYTES = 35 * 1024;

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outfile = join(root, "dist", "widgets", "hearth.js");

/** Squeezes the whitespace and comments out of css`…` literals (none of ours interpolates). */
function minifyCss(source: string): string {
  return source.replace(/\bcss`([^`$]*)`/g, (_match, body: string) => {
    const tight = body
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/\s+/g, " ")
      .replace(/\s*([{};,])\s*/g, "$1")
      .replace(/: /g, ":")
      .replace(/;}/g, "}")
      .trim();
    return `css\`${tight}\``;
  });
}

const cssLiterals: Plugin = {
  name: "hearth-css-literals",
  setup(context) {
    context.onLoad({ filter: /[\\/]widgets[\\/].*\.ts$/ }, async (args) => ({
      contents: minifyCss(await readFile(args.path, "utf8")),
      loader: "ts",
    }));
  },
};

await mkdir(dirname(outfile), { recursive: true });
await build({
  entryPoints: [join(root, "widgets", "index.ts")],
  outfile,
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2022",
  sourcemap: "linked",
  legalComments: "none",
  logLevel: "warning",
  plugins: [cssLiterals],
});

const code = await readFile(outfile);
const gzip = gzipSync(code, { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(`dist/widgets/hearth.js  ${kb(code.length)} raw, ${kb(gzip)} gzip`);
if (gzip > BUDGET_GZIP_BYTES) {
  console.error(`The widgets bundle is over its budget of ${kb(BUDGET_GZIP_BYTES)} gzip.`);
  process.exit(1);
}
