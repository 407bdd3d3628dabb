import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

const widgetsDir = fileURLToPath(new URL("../../dist/widgets", import.meta.url));

/**
 * GET /widgets/hearth.js: the widgets bundle, loadable as a module from any origin, brotli or
 * gzip compressed when the browser accepts it.
 */
export async function widgetRoutes(router: FastifyInstance): Promise<void> {
  if (!existsSync(widgetsDir)) {
    router.get("/widgets/hearth.js", (_req, reply) =>
      reply
        .code(503)
        .type("text/plain; charset=utf-8")
        .send("The widgets are not built: run npm run build:widgets."),
    );
    return;
  }
  await router.register(fastifyStatic, {
    root: widgetsDir,
    prefix: "/widgets/",
    maxAge: "5m",
    // The build writes .br and .gz beside each module; a browser that accepts one gets it.
    preCompressed: true,
    setHeaders: (reply) => {
      reply.header("Access-Control-Allow-Origin", "*");
      reply.header("Cross-Origin-Resource-Policy", "cross-origin");
    },
  });
}
