/**
 * The package's entry point: Hearth as a plugin a host site mounts in its Express app.
 *
 *   import express from "express";
 *   import { createHearth } from "hearth";
 *
 *   const app = express();
 *   const hearth = await createHearth({ env: { DATABASE_URL: "postgres://…" }, getMember });
 *   app.use("/community", hearth.router);
 */
import { loadConfig } from "./config.ts";
import { type GetMember, type Hearth, openHearth } from "./hearth.ts";

export type { Config } from "./config.ts";
export { ConfigError } from "./config.ts";
export type { GetMember, Hearth } from "./hearth.ts";
export type { HostSessionMember as HostMember } from "./services/sessions.ts";

export interface CreateHearthOptions {
  /**
   * Hearth's variables (`DATABASE_URL`, `HEARTH_PUBLIC_URL`, `HEARTH_SSO_SECRET` …), with the
   * same names and defaults as the standalone server. Default: `process.env`.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Who is signed in to the host site for a request, or null. With it, `POST …/api/session`
   * without a member token signs that member in, so widgets on the host's own pages need no
   * token. Roles are honoured only with `HEARTH_SSO_TRUST_ROLES=1`.
   */
  getMember?: GetMember;
}

/**
 * Opens the database (applying migrations), starts the background workers, and resolves
 * when Hearth is ready. A bad variable rejects with a `ConfigError` naming it.
 */
export async function createHearth(options: CreateHearthOptions = {}): Promise<Hearth> {
  const config = loadConfig(options.env ?? process.env, {
    hostSessions: options.getMember !== undefined,
  });
  const hearth = await openHearth(
    config,
    options.getMember ? { getMember: options.getMember } : {},
  );
  if (config.demoWarning) hearth.ctx.logger.error("demo is on", { warning: config.demoWarning });
  return hearth;
}
