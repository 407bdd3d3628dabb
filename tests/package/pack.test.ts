/**
 * Hearth as a site installs it: `npm pack` on this checkout (which builds), the tarball
 * installed with Express from the npm registry in an empty folder, and a small host app
 * that mounts Hearth under /community on the embedded database. A member signs in with a
 * token the host signed, posts a comment and reads it back; the widgets are served from the
 * mount; the `hearth` command runs. The temp folders go and the host process is killed
 * whatever happens.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import * as jose from "jose";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const SSO_SECRET = "package-test-secret-for-member-tokens-0123456789";
const MINUTE = 60_000;

/** PATH with the Node running this test first, so `#!/usr/bin/env node` finds the same one. */
const path = [dirname(process.execPath), process.env.PATH ?? ""].join(delimiter);

/**
 * The environment for the npm commands: this one without what npm set for the script that
 * runs the tests (the package, the lifecycle, the local prefix), which belongs to this
 * checkout and not to the host site's folder.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: path };
  for (const [name, value] of Object.entries(process.env)) {
    if (
      /^(npm_package_|npm_lifecycle_|npm_config_local_prefix$|npm_command$|INIT_CWD$)/i.test(name)
    )
      continue;
    if (name !== "PATH") env[name] = value;
  }
  return env;
}

/** Runs a command to its end; a failure or a timeout throws with the end of its output. */
function run(
  command: string,
  args: string[],
  options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv },
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? npmEnv(),
        timeout: options.timeoutMs,
        killSignal: "SIGKILL",
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          const tail = `${stdout}\n${stderr}`.trim().slice(-4000);
          reject(new Error(`${command} ${args.join(" ")} failed: ${error.message}\n${tail}`));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}

/** npm as the one running the tests (`npm test` says where it is), else the one on PATH. */
function npm(args: string[], cwd: string, timeoutMs: number) {
  const cli = process.env.npm_execpath;
  return cli?.endsWith(".js")
    ? run(process.execPath, [cli, ...args], { cwd, timeoutMs })
    : run("npm", args, { cwd, timeoutMs });
}

/** The host site: Express, with Hearth mounted under /community as the README shows. */
const HOST_APP = `import express from "express";
import { createHearth } from "hearth";

const app = express();
const server = app.listen(0, "127.0.0.1");
await new Promise((resolve, reject) => {
  server.once("listening", resolve);
  server.once("error", reject);
});
const origin = \`http://127.0.0.1:\${server.address().port}\`;
const hearth = await createHearth({
  env: {
    HEARTH_DATA_DIR: process.env.HOST_DATA_DIR,
    HEARTH_PUBLIC_URL: \`\${origin}/community\`,
    HEARTH_SSO_SECRET: process.env.HOST_SSO_SECRET,
    HEARTH_DEMO: "0",
    HEARTH_LOG_LEVEL: "error",
  },
});
app.use("/community", hearth.router);
app.use(hearth.wellKnown);
process.on("SIGTERM", async () => {
  server.close();
  await hearth.close();
  process.exit(0);
});
console.log(\`host site listening on \${origin}\`);
`;

describe("the packed package installed in a host site", () => {
  const work = mkdtempSync(join(tmpdir(), "hearth-package-"));
  const site = join(work, "site");
  let entries: string[] = [];
  let host: ChildProcess | undefined;
  let hostExited: Promise<unknown> = Promise.resolve();
  let origin = "";

  before(
    async () => {
      await npm(["pack", "--pack-destination", work], repoRoot, 10 * MINUTE);
      const tarball = readdirSync(work).find((file) => file.endsWith(".tgz"));
      assert.ok(tarball, "npm pack wrote no tarball");
      const listing = await run("tar", ["-tzf", join(work, tarball)], {
        cwd: work,
        timeoutMs: MINUTE,
      });
      entries = listing.stdout.split("\n").filter(Boolean);

      mkdirSync(site);
      writeFileSync(
        join(site, "package.json"),
        `${JSON.stringify({ name: "host-site", private: true, type: "module" }, null, 2)}\n`,
      );
      await npm(
        ["install", "--no-audit", "--no-fund", join(work, tarball), "express"],
        site,
        10 * MINUTE,
      );
      writeFileSync(join(site, "app.js"), HOST_APP);
    },
    { timeout: 20 * MINUTE },
  );

  after(async () => {
    if (host && host.exitCode === null && host.signalCode === null) {
      host.kill("SIGKILL");
      await hostExited;
    }
    rmSync(work, { recursive: true, force: true });
  });

  it("holds the compiled JavaScript with its type declarations, and no sources or tests", () => {
    assert.ok(entries.length > 0);
    for (const entry of entries) assert.match(entry, /^package\//);
    const files = entries.map((entry) => entry.slice("package/".length));
    const sources = files.filter(
      (file) => /\.(ts|tsx|mts|cts)$/.test(file) && !/\.d\.ts$/.test(file),
    );
    assert.deepEqual(sources, [], "TypeScript sources in the tarball");
    const tests = files.filter(
      (file) => /(^|\/)(tests?|bench|eval)\//.test(file) || /\.test\./.test(file),
    );
    assert.deepEqual(tests, [], "tests in the tarball");
    for (const file of [
      "package.json",
      "README.md",
      "LICENSE",
      "dist/server/index.js",
      "dist/server/index.d.ts",
      "dist/server/cli.js",
      "dist/server/main.js",
      "dist/db/migrations/meta/_journal.json",
      "dist/widgets/hearth.js",
    ]) {
      assert.ok(files.includes(file), `${file} is missing from the tarball`);
    }
    assert.ok(!files.some((file) => file.startsWith("node_modules/") || file.startsWith("data/")));
  });

  it("runs in an Express app: a member signs in, posts a comment and reads it back", async () => {
    host = spawn(process.execPath, ["app.js"], {
      cwd: site,
      env: {
        PATH: path,
        HOME: process.env.HOME ?? "",
        HOST_DATA_DIR: join(work, "data"),
        HOST_SSO_SECRET: SSO_SECRET,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const child = host;
    hostExited = new Promise((resolve) => child.once("exit", resolve));
    let output = "";
    origin = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the host site did not start within 3 minutes:\n${output}`)),
        3 * MINUTE,
      );
      const read = (chunk: Buffer) => {
        output += chunk.toString("utf8");
        const match = /host site listening on (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      child.stdout?.on("data", read);
      child.stderr?.on("data", read);
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the host site exited with ${code} while starting:\n${output}`));
      });
    });

    const now = Math.floor(Date.now() / 1000);
    const memberToken = await new jose.SignJWT({ name: "Pat Host", roles: ["member"] })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("host-member-1")
      .setAudience("hearth")
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode(SSO_SECRET));

    const signIn = await fetch(`${origin}/community/api/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: memberToken }),
    });
    const session = await signIn.json();
    assert.equal(signIn.status, 200, JSON.stringify(session));
    assert.equal(session.member.name, "Pat Host");

    const comments = `${origin}/community/api/threads/${encodeURIComponent("site/package-test")}/comments`;
    const posted = await fetch(comments, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${session.session.token}`,
      },
      body: JSON.stringify({ body: "Hello from the **installed** package" }),
    });
    const created = await posted.json();
    assert.equal(posted.status, 201, JSON.stringify(created));
    assert.equal(created.comment.author.name, "Pat Host");

    const listed = await fetch(comments);
    assert.equal(listed.status, 200);
    const page = await listed.json();
    const stored = page.comments.find((c: { id: string }) => c.id === created.comment.id);
    assert.ok(stored, `comment ${created.comment.id} is not in ${JSON.stringify(page)}`);
    assert.equal(stored.html, "<p>Hello from the <strong>installed</strong> package</p>");
    assert.equal(stored.author.name, "Pat Host");
  });

  it("serves the widgets from the mount", async () => {
    assert.ok(origin, "the host site did not start");
    const res = await fetch(`${origin}/community/widgets/hearth.js`);
    assert.equal(res.status, 200, await res.clone().text());
    assert.match(res.headers.get("content-type") ?? "", /javascript/);
    assert.ok((await res.text()).length > 1000);
  });

  it("installs the hearth command", async () => {
    const { stdout, stderr } = await run(join(site, "node_modules", ".bin", "hearth"), ["--help"], {
      cwd: site,
      timeoutMs: MINUTE,
      env: { PATH: path, HOME: process.env.HOME ?? "" },
    });
    assert.match(`${stdout}${stderr}`, /start/);
  });
});
