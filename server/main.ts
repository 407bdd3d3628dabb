/**
 * The process entry point: reads the environment, starts Hearth, and stops cleanly on
 * SIGINT/SIGTERM. The only module that reads `process.env`.
 */
import { ConfigError, loadConfig } from "./config.ts";
import { startHearth } from "./hearth.ts";

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Hearth cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const hearth = await startHearth(config);
  const where = config.databaseUrl ? "PostgreSQL" : `the embedded database in ${config.dataDir}`;
  console.log(`Hearth is listening on ${config.publicUrl} (${where})`);
  if (config.demo) console.log(`Demo page: ${config.publicUrl}/demo`);
  if (config.sso.demoSecret) {
    console.log(
      "Using the built-in demo secret for member tokens: set HEARTH_SSO_SECRET before going live.",
    );
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await hearth.close();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

await main();
