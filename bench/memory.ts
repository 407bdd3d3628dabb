/**
 * Memory: the resident set size of the server process at rest, as a site owner runs it
 * (`NODE_ENV=production`, the compiled server), on PostgreSQL with federation off, on
 * PostgreSQL with federation on, and on the embedded database.
 *
 *   npm run bench -- memory              all three; rewrites its section of docs/benchmarks.md
 *   npm run bench -- memory --no-docs    leaves docs/benchmarks.md alone
 *
 * For each, a server starts on a fresh database (creating it, applying the migrations) and
 * stops; its RSS then is "first start". A second server starts on that same database, as
 * after any restart; RSS is read once /healthz answers and the process has been idle for
 * 3 s ("after start"), then again 3 s after a member has signed in, posted a comment and
 * read the thread's first page ("at rest after use"), the work that loads what a first
 * request needs.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { type BenchDatabase, createBenchDatabase } from "./lib/database.ts";
import { guardRun } from "./lib/guard.ts";
import { HttpClient } from "./lib/http.ts";
import { openSessions } from "./lib/members.ts";
import { machine, markdownTable, type Table, textTable, writeSection } from "./lib/report.ts";
import { checkOptions, log, sleep } from "./lib/run.ts";
import { type BenchServer, startServer } from "./lib/server.ts";
import { mb } from "./lib/stats.ts";

export const description =
  "server RSS at rest: PostgreSQL with federation off and on, and the embedded database";

const HEADING = "## Memory (`npm run bench -- memory`)";
// V8 gives back what the start needed after some seconds without work: "at rest" is after that.
const SETTLE_MS = 12_000;

interface Scenario {
  name: string;
  embedded: boolean;
  env: Record<string, string>;
  /** The RSS at rest after start that the scenario should stay within (bytes). */
  target: number;
}

const MB = 1024 * 1024;
const SCENARIOS: Scenario[] = [
  { name: "PostgreSQL, federation off", embedded: false, env: {}, target: 100 * MB },
  {
    name: "PostgreSQL, federation on",
    embedded: false,
    env: { HEARTH_FEDERATION: "1" },
    target: 150 * MB,
  },
  { name: "embedded database (PGlite)", embedded: true, env: {}, target: 250 * MB },
];

interface Row {
  scenario: Scenario;
  firstStart: number;
  afterStart: number;
  afterUse: number;
}

/** What a run holds, so an interrupted run stops the server and drops the database. */
let database: BenchDatabase | undefined;
let server: BenchServer | undefined;

async function release(): Promise<void> {
  await server?.stop();
  server = undefined;
  await database?.drop();
  database = undefined;
}

async function measure(scenario: Scenario): Promise<Row> {
  try {
    if (!scenario.embedded) database = await createBenchDatabase("memory");
    const where = {
      databaseUrl: database?.url,
      dataDir: scenario.embedded ? mkdtempSync(join(os.tmpdir(), "hearth-memory-")) : undefined,
      env: scenario.env,
    };
    server = await startServer(where);
    await sleep(SETTLE_MS);
    const firstStart = server.rss();
    await server.stop();
    server = await startServer(where);
    await sleep(SETTLE_MS);
    const afterStart = server.rss();
    const client = new HttpClient(server.url, 4);
    const [member] = await openSessions(client, 1);
    const posted = await client.request("POST", "/api/threads/bench%2Fmemory/comments", {
      token: member!.token,
      body: { body: "A first comment, so that posting has run once." },
    });
    if (posted.status !== 201) throw new Error(`posting answered ${posted.status}`);
    const page = await client.request("GET", "/api/threads/bench%2Fmemory/comments");
    if (page.status !== 200) throw new Error(`the page answered ${page.status}`);
    client.close();
    await sleep(SETTLE_MS);
    return { scenario, firstStart, afterStart, afterUse: server.rss() };
  } finally {
    await release();
  }
}

function table(rows: Row[]): Table {
  return {
    headers: [
      "Server",
      "First start (creates the database)",
      "RSS after a restart",
      "RSS at rest after use",
      "Target at rest",
      "Met",
    ],
    align: ["l", "r", "r", "r", "r", "l"],
    rows: rows.map(({ scenario, firstStart, afterStart, afterUse }) => [
      scenario.name,
      mb(firstStart),
      mb(afterStart),
      mb(afterUse),
      `≤ ${mb(scenario.target)}`,
      Math.max(afterStart, afterUse) <= scenario.target ? "yes" : "no",
    ]),
  };
}

export async function run(args: string[]): Promise<void> {
  checkOptions(args, ["--no-docs"]);
  const unguard = guardRun(release, 10 * 60_000);
  try {
    const rows: Row[] = [];
    for (const scenario of SCENARIOS) {
      log(scenario.name);
      rows.push(await measure(scenario));
    }
    console.log(`\n${textTable(table(rows))}`);
    if (!args.includes("--no-docs")) {
      writeSection(
        HEADING,
        `<!-- Written by bench/memory.ts; run the command again to refresh this section. -->

Command: \`npm run bench -- memory\`. ${machine()}, ${new Date().toISOString().slice(0, 10)}.

${markdownTable(table(rows))}

Each row starts the compiled server as \`npm start\` runs it (\`NODE_ENV=production\`, with its V8 settings) on a fresh database, which it creates and migrates ("first start", read ${SETTLE_MS / 1000} s after \`/healthz\` answers), stops it, and starts it again on the same database, as after any restart. "After a restart" is the resident set size (VmRSS) of that second process once \`/healthz\` answers and it has been idle for ${SETTLE_MS / 1000} s; "at rest after use" is the same ${SETTLE_MS / 1000} s after one member signed in, posted a comment and read the thread's first page. The targets apply to the running server, after a restart. Federation on loads Fedify and starts its queue; the embedded database runs PostgreSQL compiled to WebAssembly inside the process.`,
      );
      log("wrote docs/benchmarks.md");
    }
  } finally {
    unguard();
  }
}
