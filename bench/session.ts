/**
 * `npm run bench -- session [--requests N] [--pglite]`: latency of `POST /api/session`, the
 * exchange of a host member token for a Hearth session, with an HS256 secret and with a
 * cached JWKS (RS256, 2048-bit key). Hearth runs as its own process on a fresh PostgreSQL
 * database (or embedded PGlite with `--pglite`); this process publishes the JWKS, signs the
 * member tokens beforehand (that is the host's work) and sends the requests one after the
 * other over a keep-alive connection. Rewrites the "## Session" section of docs/benchmarks.md
 * unless `--no-docs` is given.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as jose from "jose";
import postgres from "postgres";
import { createGenericJwtAdapter } from "../plugins/identity/generic-jwt.ts";

export const description = "POST /api/session p95 with an HS256 secret and with a cached JWKS";

const root = fileURLToPath(new URL("..", import.meta.url));
const SECRET = "bench-secret-for-member-tokens-0123456789abcdef";
const ISSUER = "https://host.example";
const MEMBERS = 200;

interface Scenario {
  name: string;
  target: number | undefined;
  tokens: () => Promise<string[]>;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Hearth exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("Hearth did not start within 30 s");
}

function replaceSection(markdown: string, section: string): string {
  const heading = "## Session";
  const start = markdown.indexOf(`\n${heading}`);
  if (start === -1) return `${markdown.trimEnd()}\n\n${section}`;
  const next = markdown.indexOf("\n## ", start + 1);
  return `${markdown.slice(0, start + 1)}${section}${next === -1 ? "" : `\n${markdown.slice(next + 1)}`}`;
}

export async function run(args: string[]): Promise<void> {
  const requests = Number(args[args.indexOf("--requests") + 1]) || 2000;
  const usePglite = args.includes("--pglite");
  const warmup = 300;

  // The host: one 2048-bit RSA key published as a JWKS on 127.0.0.1.
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  let jwksHits = 0;
  const jwks = createServer((_req, res) => {
    jwksHits++;
    res.setHeader("content-type", "application/json");
    res.end(
      JSON.stringify({
        keys: [{ ...publicKey.export({ format: "jwk" }), kid: "bench", use: "sig" }],
      }),
    );
  });
  await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
  const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;

  let databaseUrl: string | undefined;
  let dropDatabase = async () => {};
  let dbLabel = "embedded PGlite";
  if (!usePglite) {
    const adminUrl =
      process.env.HEARTH_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
    const name = `hearth_bench_${randomBytes(4).toString("hex")}`;
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    const [{ version }] = (await admin`select version()`) as unknown as [{ version: string }];
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dbLabel = version.split(",")[0]!;
    dropDatabase = async () => {
      const again = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists ${name} with (force)`);
      await again.end();
    };
  }

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: "127.0.0.1",
      HEARTH_DEMO: "0",
      HEARTH_LOG_LEVEL: "error",
      HEARTH_SSO_SECRET: SECRET,
      HEARTH_SSO_JWKS_URL: jwksUrl,
      HEARTH_SSO_ISSUER: ISSUER,
      HEARTH_OUTBOUND_ALLOW_HOSTS: "127.0.0.1",
      HEARTH_POSTS_PER_MINUTE: "0",
      ...(databaseUrl
        ? { DATABASE_URL: databaseUrl }
        : { HEARTH_DATA_DIR: `${os.tmpdir()}/hearth-bench-${randomBytes(4).toString("hex")}` }),
    },
  });

  const hsKey = new TextEncoder().encode(SECRET);
  const rsKey = await jose.importJWK(privateKey.export({ format: "jwk" }) as jose.JWK, "RS256");
  const sign = (i: number, alg: "HS256" | "RS256", jti: boolean) => {
    const jwt = new jose.SignJWT({ name: `Bench Member ${i % MEMBERS}`, tiers: ["gold"] })
      .setProtectedHeader(alg === "HS256" ? { alg } : { alg, kid: "bench" })
      .setSubject(`bench-${i % MEMBERS}`)
      .setIssuer(ISSUER)
      .setAudience("hearth")
      .setIssuedAt()
      .setExpirationTime("30m");
    if (jti) jwt.setJti(randomBytes(12).toString("base64url"));
    return jwt.sign(alg === "HS256" ? hsKey : rsKey);
  };
  const many = (alg: "HS256" | "RS256", jti: boolean) => async () =>
    Promise.all(Array.from({ length: warmup + requests }, (_, i) => sign(i, alg, jti)));
  const scenarios: Scenario[] = [
    { name: "HS256 secret", target: 2, tokens: many("HS256", false) },
    { name: "cached JWKS (RS256, 2048-bit)", target: 5, tokens: many("RS256", false) },
    { name: "HS256 secret, single-use jti", target: undefined, tokens: many("HS256", true) },
  ];

  const rows: string[] = [];
  const printed: string[] = [];
  try {
    await waitForHealth(url, child);
    for (const scenario of scenarios) {
      const tokens = await scenario.tokens();
      const times: number[] = [];
      let failed = 0;
      for (let i = 0; i < tokens.length; i++) {
        const started = performance.now();
        const res = await fetch(`${url}/api/session`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ token: tokens[i] }),
        });
        await res.arrayBuffer();
        const elapsed = performance.now() - started;
        if (res.status !== 200) failed++;
        if (i >= warmup) times.push(elapsed);
      }
      times.sort((a, b) => a - b);
      const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(times, p));
      const ms = (v: number) => `${v.toFixed(2)} ms`;
      const result =
        scenario.target === undefined ? "—" : p95! <= scenario.target ? "met" : "not met";
      rows.push(
        `| ${scenario.name} | ${times.length} | ${ms(p50!)} | ${ms(p95!)} | ${ms(p99!)} | ${
          scenario.target === undefined ? "—" : `≤ ${scenario.target} ms`
        } | ${result} | ${failed} |`,
      );
      printed.push(
        `${scenario.name.padEnd(32)} p50 ${ms(p50!)}  p95 ${ms(p95!)}  p99 ${ms(p99!)}  failed ${failed}`,
      );
    }
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    await dropDatabase();
  }
  const serverJwksFetches = jwksHits;
  // The adapter alone, in this process: what verification itself costs per token.
  const adapter = createGenericJwtAdapter({
    secret: SECRET,
    jwksUrl,
    issuer: ISSUER,
    audience: "hearth",
    fetch: (u) => fetch(u),
  });
  const verifyRows: string[] = [];
  for (const [label, alg] of [
    ["HS256 secret", "HS256"],
    ["cached JWKS (RS256, 2048-bit)", "RS256"],
  ] as const) {
    const tokens = await Promise.all(Array.from({ length: 5000 }, (_, i) => sign(i, alg, false)));
    const times: number[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const started = performance.now();
      const result = await adapter.verify(tokens[i]!);
      const elapsed = performance.now() - started;
      if (!result.ok) throw new Error(result.message);
      if (i >= 500) times.push(elapsed);
    }
    times.sort((a, b) => a - b);
    const [p50, p95, p99] = [50, 95, 99].map((p) => percentile(times, p).toFixed(3));
    verifyRows.push(`| ${label} | ${times.length} | ${p50} ms | ${p95} ms | ${p99} ms |`);
    printed.push(`verify only, ${label.padEnd(20)} p50 ${p50} ms  p95 ${p95} ms  p99 ${p99} ms`);
  }
  jwks.close();
  const load = os
    .loadavg()
    .map((v) => v.toFixed(1))
    .join(", ");
  console.log(printed.join("\n"));
  console.log(`Hearth fetched the JWKS ${serverJwksFetches} time(s); load average ${load}`);

  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  const section = `## Session (\`npm run bench -- session\`)

<!-- Written by bench/session.ts; run the command again to refresh this section. -->

Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} cores (${cpu}), Node ${process.versions.node}, ${dbLabel}${
    databaseUrl ? " on the same machine" : ""
  }. Command: \`npm run bench -- session${args.length ? ` ${args.join(" ")}` : ""}\`.

Hearth runs as its own process (\`node --import tsx server/main.ts\`, logging at error level) on a fresh database with \`generic-jwt\` configured with both an HS256 secret and a JWKS URL; the benchmark process publishes the JWKS on 127.0.0.1 (allowed with \`HEARTH_OUTBOUND_ALLOW_HOSTS\`), signs the member tokens before timing, and sends ${requests} exchanges per row one after the other over keep-alive HTTP/1.1 after ${warmup} unmeasured ones. Tokens name ${MEMBERS} members in turn, so after the first round each exchange finds an existing member whose profile is unchanged (nothing is written) and signs a session. Hearth fetched the key set ${serverJwksFetches} time(s) in the whole run: every JWKS exchange after the first used the cached key. Latency is measured by the client, from request to last byte.

| Member token | Requests | p50 | p95 | p99 | Target p95 | Result | Failed |
| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |
${rows.join("\n")}

Verification alone (\`adapter.verify\` in the benchmark process, no HTTP, no database; 500 unmeasured, then the rest):

| Member token | Tokens | p50 | p95 | p99 |
| --- | ---: | ---: | ---: | ---: |
${verifyRows.join("\n")}

Load average at the end of the run: ${load} (1, 5, 15 min). Other work on the same machine shows up in these figures.
`;
  if (args.includes("--no-docs")) return;
  const path = `${root}docs/benchmarks.md`;
  let markdown =
    "# Benchmarks\n\nEach section is written by its benchmark (`npm run bench -- <name>`); run it again to refresh the figures.\n";
  try {
    markdown = readFileSync(path, "utf8");
  } catch {}
  writeFileSync(path, replaceSection(markdown, section));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run(process.argv.slice(2));
}
