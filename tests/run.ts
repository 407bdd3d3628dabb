/**
 * Runs the test suites: unit tests once, API tests on PGlite and on PostgreSQL, the
 * browser tests in Chromium, and the package test (the packed tarball installed in a host
 * site, from the npm registry). Prints one closing line with the totals.
 *
 *   npm test                      everything that can run here
 *   npm test -- --only pglite     one part: unit, pglite, postgres, browser, package
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";

const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const pgUrl = process.env.HEARTH_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const inCi = process.env.CI === "true" || process.env.CI === "1";

const files = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(".test.ts"))
        .sort()
        .map((f) => join(dir, f))
    : [];

async function postgresReachable(): Promise<boolean> {
  const sql = postgres(pgUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Whether npm reaches its registry, which the package test installs Express and the rest from. */
function registryReachable(): boolean {
  const npmCli = process.env.npm_execpath;
  const ping = npmCli?.endsWith(".js")
    ? spawnSync(process.execPath, [npmCli, "ping"], { stdio: "ignore", timeout: 30_000 })
    : spawnSync("npm", ["ping"], { stdio: "ignore", timeout: 30_000 });
  return ping.status === 0;
}

const totals = { pass: 0, fail: 0, skipped: 0 };
const outDir = mkdtempSync(join(tmpdir(), "hearth-tests-"));
let failed = false;

function runSuite(name: string, testFiles: string[], env: Record<string, string>) {
  if (testFiles.length === 0) return;
  console.log(`\n=== ${name} (${testFiles.length} files)`);
  const tap = join(outDir, `${name}.tap`);
  const result = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--test",
      "--test-concurrency=2",
      "--test-timeout=300000",
      // A file whose tests have all finished exits even if a library left a handle open.
      "--test-force-exit",
      "--test-reporter=spec",
      "--test-reporter-destination=stdout",
      "--test-reporter=tap",
      `--test-reporter-destination=${tap}`,
      ...testFiles,
    ],
    { stdio: "inherit", env: { ...process.env, ...env } },
  );
  const text = existsSync(tap) ? readFileSync(tap, "utf8") : "";
  const read = (label: string) =>
    Number(new RegExp(`^# ${label} (\\d+)$`, "m").exec(text)?.[1] ?? 0);
  totals.pass += read("pass");
  totals.fail += read("fail") + read("cancelled");
  totals.skipped += read("skipped") + read("todo");
  if (result.status !== 0) failed = true;
}

const want = (part: string) => !only || only === part;
if (want("unit")) runSuite("unit", files("tests/unit"), {});
if (want("pglite")) runSuite("pglite", files("tests/api"), { HEARTH_TEST_DRIVER: "pglite" });
if (want("postgres")) {
  if (await postgresReachable()) {
    runSuite("postgres", files("tests/api"), { HEARTH_TEST_DRIVER: "postgres" });
  } else if (inCi || only === "postgres") {
    console.error(
      `PostgreSQL is not reachable at ${pgUrl}; the API tests on PostgreSQL cannot run.`,
    );
    failed = true;
  } else {
    console.log(`\nPostgreSQL is not reachable at ${pgUrl}: skipping the API tests on PostgreSQL.`);
  }
}
if (want("browser")) {
  const chromium = process.env.HEARTH_CHROMIUM ?? "/usr/bin/chromium";
  if (existsSync(chromium)) {
    runSuite("browser", files("tests/browser"), { HEARTH_CHROMIUM: chromium });
  } else if (inCi || only === "browser") {
    console.error(`Chromium is not installed at ${chromium}; the browser tests cannot run.`);
    failed = true;
  } else {
    console.log(`\nChromium is not installed at ${chromium}: skipping the browser tests.`);
  }
}

if (want("package")) {
  if (registryReachable()) {
    runSuite("package", files("tests/package"), {});
  } else if (inCi || only === "package") {
    console.error("The npm registry is not reachable (npm ping); the package test cannot run.");
    failed = true;
  } else {
    console.log("\nThe npm registry is not reachable (npm ping): skipping the package test.");
  }
}

console.log(`\n${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`);
process.exit(failed || totals.fail > 0 ? 1 : 0);
