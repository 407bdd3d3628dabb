/**
 * The process entry point of `npm start`: starts Hearth from the environment and stops
 * cleanly on SIGINT/SIGTERM (server/start.ts). The only module that reads `process.env`,
 * with the `hearth` command (server/cli.ts).
 */
import { startFromEnvironment } from "./start.ts";

await startFromEnvironment(process.env);
