import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import express, { Router } from "express";

const widgetsDir = fileURLToPath(new URL("../../dist/widgets", import.meta.url));

/** GET /widgets/hearth.js: the widgets bundle, loadable as a module from any origin. */
export function widgetRoutes(): Router {
  const router = Router();
  router.use("/widgets", (_req, res, next) => {
    res.set("Access-Control-Allow-Origin", "*");
    res.set("Cross-Origin-Resource-Policy", "cross-origin");
    next();
  });
  router.use("/widgets", express.static(widgetsDir, { maxAge: "5m", fallthrough: true }));
  router.get("/widgets/hearth.js", (_req, res) => {
    res
      .status(503)
      .type("text/plain")
      .send(
        existsSync(widgetsDir)
          ? "The widgets bundle is missing."
          : "The widgets are not built: run npm run build:widgets.",
      );
  });
  return router;
}
