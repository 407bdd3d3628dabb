/**
 * Running Hearth as its own server from the environment: what `npm start` (server/main.ts)
 * and `hearth start` (server/cli.ts) share. Reads the configuration, starts the server, says
 * where it listens and what to mind before going live, and stops cleanly on SIGINT/SIGTERM.
 */
import { DatabaseInUseError } from "../db/client.ts";
import { type Config, ConfigError, loadConfig } from "./config.ts";
import { type RunningHearth, startHearth } from "./hearth.ts";

/** Where the start messages go: stdout and stderr in a real process. */
export interface StartOutput {
  log(line: string): void;
  warn(line: string): void;
}

const consoleOutput: StartOutput = {
  log: (line) => console.log(line),
  warn: (line) => console.warn(line),
};

/**
 * What to tell the owner once the server listens: `lines` for stdout (where it listens,
 * the demo page, the demo secret) and `warnings` for stderr (the demo forced on with
 * `HEARTH_DEMO=1`, see `Config.demoWarning`).
 */
export function startMessages(config: Config): { lines: string[]; warnings: string[] } {
  const where = config.databaseUrl ? "PostgreSQL" : `the embedded database in ${config.dataDir}`;
  const lines = [`Hearth is listening on ${config.publicUrl} (${where})`];
  if (config.demo) lines.push(`Demo page: ${config.publicUrl}/demo`);
  if (config.sso.demoSecret) {
    lines.push(
      "Using the built-in demo secret for member tokens: set HEARTH_SSO_SECRET before going live.",
    );
  }
  const warnings = config.demoWarning ? [`Warning: ${config.demoWarning}`] : [];
  return { lines, warnings };
}

/**
 * Reads the configuration from `env`, starts Hearth, prints the start messages and stops
 * it on SIGINT or SIGTERM. A bad configuration, or an embedded database another process
 * holds, ends the process with code 1 and one line saying why.
 */
export async function startFromEnvironment(
  env: Record<string, string | undefined>,
  output: StartOutput = consoleOutput,
): Promise<RunningHearth> {
  let hearth: RunningHearth;
  let config: Config;
  try {
    config = loadConfig(env);
    hearth = await startHearth(config);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DatabaseInUseError) {
      output.warn(`Hearth cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const { lines, warnings } = startMessages(config);
  for (const line of lines) output.log(line);
  for (const line of warnings) output.warn(line);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await hearth.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return hearth;
}
