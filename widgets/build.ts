/**
 * Bundles the widgets into `dist/widgets/hearth.js` (with the chunks it imports) and keeps
 * it small: the build fails when what a page loads is over the budget. The moderation desk
 * is a module of its own, `hearth-moderation.js`, loaded only where one is on the page; it
 * has its own budget.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";
import ts from "typescript";

const BUDGET_GZIP_BYTES = 35 * 1024;
const MODERATION_BUDGET_GZIP_BYTES = 12 * 1024;

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "dist", "widgets");

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

/**
 * Shortens every run of whitespace with a line break in the static parts of html`…`
 * templates to one line break: the same to HTML (none of ours holds a <pre> or <textarea>
 * text), and fewer bytes. Found through TypeScript's parser, so nothing else is touched.
 */
function minifyHtml(source: string, file: string): string {
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false);
  const spans: [number, number][] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isTaggedTemplateExpression(node) &&
      ts.isIdentifier(node.tag) &&
      node.tag.text === "html"
    ) {
      const template = node.template;
      const parts = ts.isNoSubstitutionTemplateLiteral(template)
        ? [template]
        : [template.head, ...template.templateSpans.map((span) => span.literal)];
      for (const part of parts) spans.push([part.getStart(tree), part.getEnd()]);
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  let out = "";
  let at = 0;
  for (const [start, end] of spans.sort((a, b) => a[0] - b[0])) {
    out += source.slice(at, start) + source.slice(start, end).replace(/[ \t]*\n\s*/g, "\n");
    at = end;
  }
  return out + source.slice(at);
}

const cssLiterals: Plugin = {
  name: "hearth-css-literals",
  setup(context) {
    context.onLoad({ filter: /[\\/]widgets[\\/].*\.ts$/ }, async (args) => ({
      contents: minifyHtml(minifyCss(await readFile(args.path, "utf8")), args.path),
      loader: "ts",
    }));
  },
};

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
const result = await build({
  entryPoints: {
    hearth: join(root, "widgets", "index.ts"),
    "hearth-moderation": join(root, "widgets", "hearth-moderation.ts"),
  },
  outdir,
  entryNames: "[name]",
  chunkNames: "hearth-[hash]",
  bundle: true,
  splitting: true,
  metafile: true,
  format: "esm",
  minify: true,
  target: "es2022",
  sourcemap: "linked",
  legalComments: "none",
  logLevel: "warning",
  plugins: [cssLiterals],
});

const outputs = result.metafile.outputs;
// Each module is compressed once, here: the server sends a browser that accepts them the .br
// or .gz file as it is, and the budget below counts the gzip bytes a browser receives.
const gzipped = new Map<string, number>();
for (const file of Object.keys(outputs).filter((name) => name.endsWith(".js"))) {
  const source = await readFile(join(root, file));
  const gzip = gzipSync(source, { level: 9 });
  await writeFile(join(root, `${file}.gz`), gzip);
  await writeFile(
    join(root, `${file}.br`),
    brotliCompressSync(source, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
  );
  gzipped.set(file, gzip.length);
}
const gzipOf = (file: string) => gzipped.get(file) ?? 0;
/** An output file and every chunk it imports statically: what a page loads for it. */
function staticClosure(file: string, seen = new Set<string>()): Set<string> {
  seen.add(file);
  for (const imported of outputs[file]?.imports ?? []) {
    if (imported.kind === "import-statement" && !seen.has(imported.path)) {
      staticClosure(imported.path, seen);
    }
  }
  return seen;
}
const sum = (files: Iterable<string>) => {
  let total = 0;
  for (const file of files) total += gzipOf(file);
  return total;
};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const entry = (name: string) => Object.keys(outputs).find((file) => file.endsWith(`/${name}`))!;
const main = staticClosure(entry("hearth.js"));
const mainGzip = sum(main);
const moderationOnly = [...staticClosure(entry("hearth-moderation.js"))].filter(
  (file) => !main.has(file),
);
const moderationGzip = sum(moderationOnly);
console.log(
  `dist/widgets/hearth.js  ${kb(mainGzip)} gzip with its chunks; ` +
    `hearth-moderation.js adds ${kb(moderationGzip)} gzip`,
);
if (mainGzip > BUDGET_GZIP_BYTES) {
  console.error(`The widgets bundle is over its budget of ${kb(BUDGET_GZIP_BYTES)} gzip.`);
  process.exit(1);
}
if (moderationGzip > MODERATION_BUDGET_GZIP_BYTES) {
  console.error(
    `The moderation module is over its budget of ${kb(MODERATION_BUDGET_GZIP_BYTES)} gzip.`,
  );
  process.exit(1);
}
