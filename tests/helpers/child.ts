/** Runs a real Hearth server as a child process (server/main.ts) for multi-process tests. */
import { type ChildProcess, spawn } from "node:child_process";
import { freePort } from "./smtp.ts";
import { TEST_SSO_SECRET } from "./tokens.ts";

export interface HearthChild {
  url: string;
  process: ChildProcess;
  exited: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startHearthChild(env: Record<string, string>): Promise<HearthChild> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      HEARTH_PUBLIC_URL: `http://127.0.0.1:${port}`,
      HEARTH_SSO_SECRET: TEST_SSO_SECRET,
      HEARTH_SSO_TRUST_ROLES: "1",
      HEARTH_API_KEY: "test-api-key-0123456789abcdef",
      HEARTH_DEMO: "0",
      HEARTH_LOG_LEVEL: "error",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("child did not start in time")), 90_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("listening")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited with ${code}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    exited,
    async kill(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
