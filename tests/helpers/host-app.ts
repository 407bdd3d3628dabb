/**
 * A host site's own Express app with Hearth mounted at /community through `createHearth`,
 * listening on port 0, on a fresh database (in-memory PGlite, or a new PostgreSQL database
 * dropped by `close`).
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Express } from "express";
import type { GetMember, Hearth } from "../../server/hearth.ts";
import { createHearth } from "../../server/index.ts";
import { createPostgresDatabase, testDriver } from "./database.ts";
import { TEST_SSO_SECRET } from "./tokens.ts";

export interface HostApp {
  app: Express;
  hearth: Hearth;
  /** The host's origin, such as http://127.0.0.1:41234. */
  base: string;
  close(): Promise<void>;
}

/**
 * Starts the host. `env` adds to Hearth's variables; `routes` adds the host's own routes
 * after Hearth's router and its `wellKnown` router are mounted.
 */
export async function startHostApp(
  options: {
    env?: Record<string, string>;
    getMember?: GetMember;
    routes?: (app: Express, base: string) => void;
  } = {},
): Promise<HostApp> {
  const app = express();
  const database = testDriver === "postgres" ? await createPostgresDatabase() : undefined;
  // The public URL must be known before Hearth starts: listen first, then mount.
  const server: Server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const hearth = await createHearth({
    env: {
      ...(database ? { DATABASE_URL: database.url } : { HEARTH_DATA_DIR: "memory://" }),
      HEARTH_PUBLIC_URL: `${base}/community`,
      HEARTH_SSO_SECRET: TEST_SSO_SECRET,
      HEARTH_LOG_LEVEL: "silent",
      ...options.env,
    },
    ...(options.getMember ? { getMember: options.getMember } : {}),
  });
  app.use("/community", hearth.router);
  app.use(hearth.wellKnown);
  options.routes?.(app, base);
  return {
    app,
    hearth,
    base,
    async close() {
      await hearth.close();
      await new Promise((resolve) => server.close(resolve));
      await database?.drop();
    },
  };
}
