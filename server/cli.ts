#!/usr/bin/env node
/**
 * The `hearth` command for the site owner: `hearth start` runs the server as `npm start`
 * does, `hearth admin …` grants and revokes roles, `hearth help` lists the commands. Like
 * server/main.ts it is an entry point, so it reads `process.env` and hands it on.
 *
 * Exit codes: 0 done, 1 could not run (bad configuration, database unavailable or held by
 * another process), 2 wrong use (unknown command, role or member).
 */
import { restartWithV8Flags } from "./v8-flags.ts";

// `hearth start` runs with the server's V8 settings, applied before anything else loads.
if (process.argv[2] === "start" && process.argv.length === 3) {
  restartWithV8Flags(process.env.NODE_OPTIONS);
}
const { ADMIN_USAGE, EXIT, runAdmin } = await import("./cli/admin.ts");
const { startFromEnvironment } = await import("./start.ts");
type CommandOutput = import("./cli/admin.ts").CommandOutput;

const HELP = `Usage: hearth <command>

Commands:
  hearth start                               run the server (as npm start does)
  hearth admin grant <sub> admin|moderator   give a member a role in Hearth
  hearth admin revoke <sub> admin|moderator  take back a role given with grant
  hearth admin list                          everyone who is admin or moderator, and why
  hearth help                                this help

<sub> is the member's id on your site: the sub of their member token. A member who has
not signed in yet gets a granted role at their first sign-in. Grants apply from the
member's next sign-in, and are written to the audit log.

Every command reads the same environment as the server (see the README's configuration
table): DATABASE_URL for PostgreSQL, or the embedded database in HEARTH_DATA_DIR
(./data by default). Stop the server before running admin commands on the embedded
database; on PostgreSQL they can run while it serves.`;

const output: CommandOutput = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

async function main(args: readonly string[]): Promise<number | "running"> {
  const [command, ...rest] = args;
  switch (command) {
    case "help":
    case "--help":
    case "-h":
      output.out(HELP);
      return EXIT.ok;
    case "start":
      if (rest.length > 0) {
        output.err("hearth start takes no arguments: configure it with environment variables.");
        return EXIT.usage;
      }
      await startFromEnvironment(process.env);
      return "running";
    case "admin":
      if (rest[0] === "help" || rest[0] === "--help") {
        output.out(`Usage:\n  ${ADMIN_USAGE.join("\n  ")}`);
        return EXIT.ok;
      }
      return runAdmin(rest, process.env, output);
    case undefined:
      output.err(HELP);
      return EXIT.usage;
    default:
      output.err(`Unknown command "${command}". Run hearth help for the list.`);
      return EXIT.usage;
  }
}

const result = await main(process.argv.slice(2));
if (result !== "running") process.exitCode = result;
