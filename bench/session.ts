/**
 * Session exchange: latency and cost of `POST /api/session`, a host member token in, a
 * Hearth session out.
 *
 *   npm run bench -- session                   full run; rewrites its section of docs/benchmarks.md
 *   npm run bench -- session --requests N      N measured exchanges per row (default 2,000)
 *   npm run bench -- session --pglite          embedded PGlite instead of PostgreSQL
 *   npm run bench -- session --cpu-prof        profiles the server and prints where its CPU
 *                                              went, per row (no docs)
 *   npm run bench -- session --no-docs         leaves docs/benchmarks.md alone
 *
 * Hearth runs as its own process on a fresh database with `generic-jwt` configured with both
 * an HS256 secret and a JWKS URL. This process is the host: it publishes the JWKS (RS256,
 * 2048-bit key) on 127.0.0.1, signs the member tokens beforehand, and sends the exchanges one
 * after the other over one keep-alive connection. Each row also reports the CPU time the
 * server and the database's PostgreSQL backends used per exchange.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as jose from "jose";
import postgres from "postgres";
import { createGenericJwtAdapter } from "../plugins/identity/generic-jwt.ts";
import { CpuMeter } from "./lib/cpu-meter.ts";
import { monotonicMicros, type ProfileWindow, printProfiles } from "./lib/cpuprofile.ts";
import { type BenchDatabase, createBenchDatabase } from "./lib/database.ts";
import { guardRun } from "./lib/guard.ts";
import { HttpClient } from "./lib/http.ts";
import { machine, markdownTable, type Table, textTable, writeSection } from "./lib/report.ts";
import { BENCH_SSO_SECRET, type BenchServer, repoRoot, startServer } from "./lib/server.ts";
import { int, ms, type Summary, summarize } from "./lib/stats.ts";

export const description = "POST /api/session p95 with an HS256 secret and with a cached JWKS";

const HEADING = "## Session (`npm run bench -- session`)";
const ISSUER = "https://host.example";
const MEMBERS = 200;
const WARMUP = 300;
const VERIFY_TOKENS = 5000;
const VERIFY_WARMUP = 500;

interface Options {
  requests: number;
  pglite: boolean;
  writeDocs: boolean;
  cpuProf: boolean;
  deadlineMs: number;
}

function parseOptions(args: string[]): Options {
  const known = new Set(["--pglite", "--no-docs", "--cpu-prof"]);
  let requests = 2000;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--requests") {
      requests = Number(args[++i]);
      if (!Number.isInteger(requests) || requests < 1) {
        throw new Error("--requests needs a positive whole number");
      }
    } else if (!known.has(arg)) {
      throw new Error(`unknown option ${arg} (known: --requests N, ${[...known].join(", ")})`);
    }
  }
  const cpuProf = args.includes("--cpu-prof");
  return {
    requests,
    pglite: args.includes("--pglite"),
    writeDocs: !cpuProf && !args.includes("--no-docs"),
    cpuProf,
    deadlineMs: 15 * 60_000,
  };
}

type Alg = "HS256" | "RS256";

interface Scenario {
  name: string;
  target: number | undefined;
  alg: Alg;
  jti: boolean;
}

const SCENARIOS: Scenario[] = [
  { name: "HS256 secret", target: 2, alg: "HS256", jti: false },
  { name: "cached JWKS (RS256, 2048-bit)", target: 5, alg: "RS256", jti: false },
  { name: "HS256 secret, single-use jti", target: undefined, alg: "HS256", jti: true },
];

interface Row {
  scenario: Scenario;
  latency: Summary;
  failed: number;
  /** CPU milliseconds per measured exchange: the server process's and PostgreSQL's. */
  serverCpuMs: number;
  databaseCpuMs: number;
}

interface VerifyRow {
  label: string;
  latency: Summary;
}

/** The host's side: a published key set and the member tokens it signs. */
class Host {
  private readonly hsKey = new TextEncoder().encode(BENCH_SSO_SECRET);
  private readonly keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  private readonly server = createServer((_req, res) => {
    this.jwksFetches++;
    res.setHeader("content-type", "application/json");
    res.end(
      JSON.stringify({
        keys: [{ ...this.keys.publicKey.export({ format: "jwk" }), kid: "bench", use: "sig" }],
      }),
    );
  });
  private rsKey: Promise<CryptoKey | Uint8Array> | undefined;
  jwksFetches = 0;
  jwksUrl = "";

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.jwksUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/jwks.json`;
  }

  close(): void {
    this.server.close();
  }

  /** A member token naming member `i % MEMBERS`, as the host would issue it. */
  async sign(i: number, alg: Alg, jti: boolean): Promise<string> {
    this.rsKey ??= jose.importJWK(
      this.keys.privateKey.export({ format: "jwk" }) as jose.JWK,
      "RS256",
    );
    const jwt = new jose.SignJWT({ name: `Bench Member ${i % MEMBERS}`, tiers: ["gold"] })
      .setProtectedHeader(alg === "HS256" ? { alg } : { alg, kid: "bench" })
      .setSubject(`bench-${i % MEMBERS}`)
      .setIssuer(ISSUER)
      .setAudience("hearth")
      .setIssuedAt()
      .setExpirationTime("30m");
    if (jti) jwt.setJti(randomBytes(12).toString("base64url"));
    return jwt.sign(alg === "HS256" ? this.hsKey : await this.rsKey);
  }

  tokens(count: number, alg: Alg, jti: boolean): Promise<string[]> {
    return Promise.all(Array.from({ length: count }, (_, i) => this.sign(i, alg, jti)));
  }
}

/** Sends the scenario's exchanges one after the other; times all but the first WARMUP. */
async function exchanges(
  client: HttpClient,
  tokens: string[],
  server: BenchServer,
  meter: CpuMeter | undefined,
): Promise<Omit<Row, "scenario"> & { window: ProfileWindow }> {
  const samples: number[] = [];
  let failed = 0;
  for (let i = 0; i < WARMUP; i++) {
    const res = await client.request("POST", "/api/session", { body: { token: tokens[i] } });
    if (res.status !== 200) failed++;
  }
  const from = monotonicMicros();
  const serverBefore = server.cpuMs();
  const mark = await meter?.mark();
  for (let i = WARMUP; i < tokens.length; i++) {
    const res = await client.request("POST", "/api/session", { body: { token: tokens[i] } });
    if (res.status !== 200) failed++;
    samples.push(res.ms);
  }
  const to = monotonicMicros();
  const serverCpu = server.cpuMs() - serverBefore;
  const used = mark && meter ? await meter.since(mark) : undefined;
  return {
    latency: summarize(samples),
    failed,
    serverCpuMs: serverCpu / samples.length,
    databaseCpuMs: used ? used.database / samples.length : Number.NaN,
    window: { from, to },
  };
}

/** The adapter alone, in this process: what verification itself costs per token. */
async function verifyOnly(host: Host): Promise<VerifyRow[]> {
  const adapter = createGenericJwtAdapter({
    secret: BENCH_SSO_SECRET,
    jwksUrl: host.jwksUrl,
    issuer: ISSUER,
    audience: "hearth",
    fetch: (url) => fetch(url),
  });
  const rows: VerifyRow[] = [];
  for (const scenario of SCENARIOS.filter((s) => !s.jti)) {
    const tokens = await host.tokens(VERIFY_TOKENS, scenario.alg, false);
    const samples: number[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const started = performance.now();
      const result = await adapter.verify(tokens[i]!);
      const elapsed = performance.now() - started;
      if (!result.ok) throw new Error(result.message);
      if (i >= VERIFY_WARMUP) samples.push(elapsed);
    }
    rows.push({ label: scenario.name, latency: summarize(samples) });
  }
  return rows;
}

const us = (value: number) => `${value.toFixed(3)} ms`;

function exchangeTable(rows: Row[], pglite: boolean): Table {
  return {
    headers: [
      "Member token",
      "Requests",
      "p50",
      "p95",
      "p99",
      "Target p95",
      "Result",
      "Server CPU/exchange",
      "PostgreSQL CPU/exchange",
      "Failed",
    ],
    align: ["l", "r", "r", "r", "r", "r", "l", "r", "r", "r"],
    rows: rows.map(({ scenario, latency, failed, serverCpuMs, databaseCpuMs }) => [
      scenario.name,
      int(latency.count),
      ms(latency.p50),
      ms(latency.p95),
      ms(latency.p99),
      scenario.target === undefined ? "—" : `≤ ${scenario.target} ms`,
      scenario.target === undefined ? "—" : latency.p95 <= scenario.target ? "met" : "not met",
      us(serverCpuMs),
      pglite ? "(in the server)" : us(databaseCpuMs),
      int(failed),
    ]),
  };
}

function verifyTable(rows: VerifyRow[]): Table {
  return {
    headers: ["Member token", "Tokens", "p50", "p95", "p99"],
    align: ["l", "r", "r", "r", "r"],
    rows: rows.map(({ label, latency }) => [
      label,
      int(latency.count),
      us(latency.p50),
      us(latency.p95),
      us(latency.p99),
    ]),
  };
}

interface Results {
  date: string;
  loadBefore: number[];
  loadAfter: number[];
  dbLabel: string;
  rows: Row[];
  verify: VerifyRow[];
  jwksFetches: number;
}

const loadText = (load: number[]) => load.map((v) => v.toFixed(2)).join(", ");

function docsSection(results: Results, options: Options, args: string[]): string {
  return `
<!-- Written by bench/session.ts; run the command again to refresh this section. -->

Measured ${results.date} on ${machine()}; Node ${process.versions.node}, ${results.dbLabel}. Load average (1, 5, 15 min) ${loadText(results.loadBefore)} before the run and ${loadText(results.loadAfter)} after it; other work on the same machine shows up in the latencies, less in the CPU columns.
Command: \`npm run bench -- session${args.length ? ` ${args.join(" ")}` : ""}\`.

Hearth runs as its own process (the compiled \`node dist/server/main.js\`, logging at error level, \`NODE_ENV\` not \`production\` so that the key set may be fetched over plain HTTP from 127.0.0.1) with \`generic-jwt\` configured with both an HS256 secret and a JWKS URL. The benchmark process is the host: it publishes the JWKS on 127.0.0.1 (allowed with \`HEARTH_OUTBOUND_ALLOW_HOSTS\`), signs the member tokens before timing, and sends ${int(options.requests)} exchanges per row one after the other over one keep-alive HTTP/1.1 connection (undici) after ${WARMUP} unmeasured ones. Tokens name ${MEMBERS} members in turn, so after the first round each exchange finds an existing member whose profile is unchanged (nothing is written) and signs a session; a single-use token also records its \`jti\`. Hearth fetched the key set ${results.jwksFetches} time(s) in the whole run: every JWKS exchange after the first used the cached key. Latency is measured by the client, from request to last byte. CPU per exchange is the CPU time (from \`/proc\`) the server process and the PostgreSQL backends serving its database used over the measured requests, divided by their number.

${markdownTable(exchangeTable(results.rows, options.pglite))}

Verification alone (\`adapter.verify\` in the benchmark process, no HTTP, no database; ${VERIFY_WARMUP} unmeasured, then the rest):

${markdownTable(verifyTable(results.verify))}
`;
}

export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const loadBefore = os.loadavg();
  const host = new Host();
  let database: BenchDatabase | undefined;
  let server: BenchServer | undefined;
  let client: HttpClient | undefined;
  let sql: postgres.Sql | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () => {
    cleaning ??= (async () => {
      client?.close();
      await sql?.end({ timeout: 5 }).catch(() => {});
      await server?.stop().catch(() => {});
      host.close();
      await database?.drop().catch((error: Error) => {
        console.error(`Could not drop the database ${database?.name}: ${error.message}`);
      });
    })();
    return cleaning;
  };
  const release = guardRun(cleanup, options.deadlineMs);

  try {
    await host.listen();
    let dbLabel = "embedded PGlite";
    if (!options.pglite) {
      database = await createBenchDatabase("session");
      dbLabel = `PostgreSQL ${database.version} on the same machine`;
    }
    const profileDir = options.cpuProf
      ? mkdtempSync(join(os.tmpdir(), "hearth-session-profile-"))
      : undefined;
    server = await startServer({
      databaseUrl: database?.url,
      nodeArgs: profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
      env: {
        NODE_ENV: "development",
        HEARTH_LOG_LEVEL: "error",
        HEARTH_SSO_JWKS_URL: host.jwksUrl,
        HEARTH_SSO_ISSUER: ISSUER,
        HEARTH_OUTBOUND_ALLOW_HOSTS: "127.0.0.1",
      },
    });
    client = new HttpClient(server.url, 1);
    if (database) {
      sql = postgres(database.url, { max: 1, onnotice: () => {} });
    }
    const meter = sql ? new CpuMeter(server, sql) : undefined;

    const rows: Row[] = [];
    const phases: Record<string, ProfileWindow> = {};
    for (const scenario of SCENARIOS) {
      const tokens = await host.tokens(WARMUP + options.requests, scenario.alg, scenario.jti);
      const { window, ...row } = await exchanges(client, tokens, server, meter);
      rows.push({ scenario, ...row });
      phases[scenario.name] = window;
      console.log(
        `${scenario.name.padEnd(32)} p50 ${ms(row.latency.p50)}  p95 ${ms(row.latency.p95)}  p99 ${ms(row.latency.p99)}  server CPU ${us(row.serverCpuMs)}  failed ${row.failed}`,
      );
    }
    client.close();
    await sql?.end({ timeout: 5 });
    sql = undefined;
    await server.stop();
    const jwksFetches = host.jwksFetches;
    if (profileDir) printProfiles(profileDir, repoRoot, 30, phases);

    const verify = await verifyOnly(host);
    const results: Results = {
      date: new Date().toISOString().slice(0, 10),
      loadBefore,
      loadAfter: os.loadavg(),
      dbLabel,
      rows,
      verify,
      jwksFetches,
    };
    console.log(`\n${textTable(exchangeTable(rows, options.pglite))}`);
    console.log(`\nVerification alone\n${textTable(verifyTable(verify))}`);
    console.log(
      `\nHearth fetched the JWKS ${results.jwksFetches} time(s); load average ${loadText(loadBefore)} before, ${loadText(results.loadAfter)} after`,
    );
    if (options.writeDocs) {
      writeSection(HEADING, docsSection(results, options, args));
      console.log("wrote docs/benchmarks.md");
    }
  } finally {
    release();
    await cleanup();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run(process.argv.slice(2));
}
