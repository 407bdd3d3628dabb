/**
 * The process entry point of `npm start`: starts Hearth from the environment and stops
 * cleanly on SIGINT/SIGTERM (server/start.ts). The only module that reads `process.env`,
 * with the `hearth` command (server/cli.ts). The V8 settings apply before the server loads.
 */
import { restartWithV8Flags } from "./v8-flags.ts";

restartWithV8Flags(process.env.NODE_OPTIONS);
const { startFromEnvironment } = await import("./start.ts");
await startFromEnvironment(process.env);
