/**
 * GET /widgets/<module>: the widgets bundle and its chunks, loadable as modules from any
 * origin, sent brotli or gzip compressed when the browser accepts it (the build writes .br
 * and .gz beside each module).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Request, Response, Router } from "express";
import { widgetsDir } from "../paths.ts";

const MODULE = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.(js|map)$/;

function encodingFor(req: Request, file: string): "br" | "gzip" | undefined {
  const accepted = req.headers["accept-encoding"] ?? "";
  if (/\bbr\b/.test(accepted) && existsSync(`${file}.br`)) return "br";
  if (/\bgzip\b/.test(accepted) && existsSync(`${file}.gz`)) return "gzip";
  return undefined;
}

export function widgetRoutes(router: Router): void {
  if (!existsSync(join(widgetsDir, "hearth.js"))) {
    router.get("/widgets/:file", (_req: Request, res: Response) => {
      res.statusCode = 503;
      res.setHeader("Content-Type", "text/plain; charset=utf-8");
      res.end("The widgets are not built: run npm run build.");
    });
    return;
  }
  router.get("/widgets/:file", (req: Request, res: Response, next) => {
    const name = req.params.file as string;
    if (!MODULE.test(name)) return next();
    const file = join(widgetsDir, name);
    if (!existsSync(file)) return next();
    const encoding = encodingFor(req, file);
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
    res.setHeader("Vary", "Accept-Encoding");
    res.setHeader(
      "Content-Type",
      name.endsWith(".map") ? "application/json; charset=utf-8" : "text/javascript; charset=utf-8",
    );
    if (encoding) res.setHeader("Content-Encoding", encoding);
    const sent = encoding === "br" ? `${name}.br` : encoding === "gzip" ? `${name}.gz` : name;
    // Relative to `root`, so a dot folder above it (node_modules/.pnpm) is not refused.
    res.sendFile(sent, { root: widgetsDir, maxAge: "5m", dotfiles: "deny" }, (error) => {
      if (error && !res.headersSent) next(error);
    });
  });
}
