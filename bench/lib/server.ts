/**
 * Runs Hearth as its own process, as in production: the compiled `dist/server/main.js` with
 * NODE_ENV=production, built first when it is missing or older than the sources. The load
 * generator's CPU and memory are thus not counted as the server's. The child is killed when
 * the benchmark exits, however it exits.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export const BENCH_SSO_SECRET = "bench-secret-for-hearth-member-tokens-0123456789";

export interface ServerOptions {
  /** PostgreSQL to run on; without it, the server opens embedded PGlite in `dataDir`. */
  databaseUrl?: string | undefined;
  /** Folder for embedded PGlite when there is no `databaseUrl` (default: a fresh temp folder). */
  dataDir?: string;
  /** Extra environment for the server. */
  env?: Record<string, string>;
  /** Extra arguments for node, such as `--cpu-prof`. */
  nodeArgs?: string[];
  /** Milliseconds to wait for /healthz (default 60 s). */
  startTimeoutMs?: number;
}

export interface BenchServer {
  url: string;
  pid: number;
  /** Resident set size of the server process in bytes (VmRSS). */
  rss(): number;
  /** CPU time the server process has used so far (ms). */
  cpuMs(): number;
  /** Stops the server (SIGTERM, then SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** Reads VmRSS of a process from /proc, in bytes; NaN when it cannot be read. */
export function readRss(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used so far, in milliseconds; NaN when unknown. */
export function readCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU time used so far by every PostgreSQL process on this machine (backends, WAL writer,
 * checkpointer), in milliseconds: the database's share of a run is the difference.
 */
export function postgresCpuMs(): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, "utf8").trim();
      if (comm === "postgres" || comm.startsWith("postgres")) total += readCpuMs(Number(entry));
    } catch {}
  }
  return total;
}

/** Picks a free port on the loopback interface. */
async function freePort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

let built = false;

/** Builds the compiled server and widgets when they are missing or older than the sources. */
function ensureBuilt(): void {
  if (built) return;
  const result = spawnSync(process.execPath, ["scripts/ensure-built.js"], {
    cwd: repoRoot,
    stdio: "inherit",
  });
  if (result.status !== 0) {
    throw new Error(
      "The benchmarks run the compiled server, and it could not be built: run `npm run build`.",
    );
  }
  built = true;
}

export async function startServer(options: ServerOptions): Promise<BenchServer> {
  ensureBuilt();
  const port = await freePort();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "dist/server/main.js"], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      ...(options.databaseUrl
        ? { DATABASE_URL: options.databaseUrl }
        : { HEARTH_DATA_DIR: options.dataDir ?? mkdtempSync(join(tmpdir(), "hearth-bench-")) }),
      PORT: String(port),
      HOST: "127.0.0.1",
      HEARTH_PUBLIC_URL: `http://127.0.0.1:${port}`,
      HEARTH_SSO_SECRET: BENCH_SSO_SECRET,
      HEARTH_POSTS_PER_MINUTE: "0",
      HEARTH_LOG_LEVEL: "silent",
      HEARTH_DEMO: "0",
      NODE_ENV: "production",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  for (;;) {
    if (exitCode !== undefined) {
      throw new Error(`the server exited with code ${exitCode} while starting:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the server did not answer /healthz within the time limit:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    pid: child.pid!,
    rss: () => readRss(child.pid!),
    cpuMs: () => readCpuMs(child.pid!),
    async stop(graceMs = 10_000) {
      if (exitCode !== undefined) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
