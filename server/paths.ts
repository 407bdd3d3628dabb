/**
 * Where Hearth's own files are, wherever it runs from: the TypeScript sources (`tsx
 * server/main.ts`, the tests) or the compiled JavaScript in `dist/` (`npm start`, the
 * installed package). Resolved once, from this module's own location; no request reads it.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** True when this module runs as compiled JavaScript from `dist/server/`. */
const compiled = !import.meta.url.endsWith(".ts");

/** The package's root folder: the one holding package.json, README.md and dist/. */
export const packageRoot = resolve(
  fileURLToPath(new URL(compiled ? "../.." : "..", import.meta.url)),
);

/**
 * The built widgets (`hearth.js`, its chunks and their .br/.gz files): `dist/widgets` in the
 * package root either way, written by `npm run build:widgets`.
 */
export const widgetsDir = resolve(packageRoot, "dist", "widgets");
