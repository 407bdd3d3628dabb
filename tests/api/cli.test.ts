/**
 * The `hearth` command as the owner runs it: a child process on the same database as the
 * server (a folder of the embedded database, or a fresh PostgreSQL database), then the
 * member signs in through the API and has the role.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { openDatabase } from "../../db/client.ts";
import { selectGrantedRoles } from "../../db/queries/moderation.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { createPostgresDatabase, type TestDatabase, testDriver } from "../helpers/database.ts";
import { freePort } from "../helpers/smtp.ts";
import { TEST_SSO_SECRET } from "../helpers/tokens.ts";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Where the database is, as the command reads it from the environment. */
let databaseEnv: Record<string, string>;
let dropDatabase: () => Promise<void>;

before(async () => {
  if (testDriver === "postgres") {
    const { url, drop } = await createPostgresDatabase();
    databaseEnv = { DATABASE_URL: url };
    dropDatabase = drop;
  } else {
    const dir = mkdtempSync(join(tmpdir(), "hearth-cli-"));
    databaseEnv = { DATABASE_URL: "", HEARTH_DATA_DIR: dir };
    dropDatabase = async () => rmSync(dir, { recursive: true, force: true });
  }
});
after(() => dropDatabase());

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = { ...process.env };
  delete inherited.NODE_ENV;
  delete inherited.HEARTH_ADMINS;
  delete inherited.HEARTH_DEMO;
  return {
    ...inherited,
    HEARTH_SSO_SECRET: TEST_SSO_SECRET,
    HEARTH_LOG_LEVEL: "silent",
    ...databaseEnv,
    ...env,
  };
}

function hearth(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/cli.ts", ...args], {
    env: childEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the server in this process on the command's database, until `close`. */
async function startServer(): Promise<{ app: TestApp; close(): Promise<void> }> {
  const database = await openDatabase({
    databaseUrl: databaseEnv.DATABASE_URL || undefined,
    dataDir: databaseEnv.HEARTH_DATA_DIR,
    poolSize: 2,
  });
  const testDatabase: TestDatabase = {
    database,
    url: databaseEnv.DATABASE_URL,
    dispose: () => database.close(),
  };
  const app = await startTestApp({
    database: testDatabase,
    env: { HEARTH_SSO_TRUST_ROLES: "0" },
  });
  return {
    app,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

const roleOf = (signedIn: { member: unknown }) => (signedIn.member as { roles: string[] }).roles;

describe("hearth admin", () => {
  it("grants admin to a member who has not signed in yet, from their first sign-in", async () => {
    const grant = await hearth(["admin", "grant", "owner-1", "admin"]);
    assert.equal(grant.code, 0, grant.stderr);
    assert.match(grant.stdout, /Nobody has signed in with the sub owner-1 yet: they will be admin/);
    assert.equal(grant.stderr, "");
    const again = await hearth(["admin", "grant", "owner-1", "admin"]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already waits .* nothing changed/);
    const list = await hearth(["admin", "list"]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /admin\s+owner-1\s+\(not signed in yet\)\s+granted .*first sign-in/);

    const server = await startServer();
    try {
      const { app } = server;
      if (testDriver === "pglite") {
        const held = await hearth(["admin", "list"]);
        assert.equal(held.code, 1);
        assert.match(held.stderr, /open in another process/);
      }
      const owner = await app.signIn({ sub: "owner-1", name: "Olive Owner" });
      assert.deepEqual(roleOf(owner), ["member", "admin"]);
      assert.deepEqual(await selectGrantedRoles(app.ctx.database.db, owner.member.id), ["admin"]);
      const roles = await app.request("GET", "/api/mod/roles", { token: owner.token });
      assert.equal(roles.status, 200);
      assert.deepEqual(
        roles.body.grants.map((g: { member: { id: string }; role: string; grantedBy: unknown }) => [
          g.member.id,
          g.role,
          g.grantedBy,
        ]),
        [[owner.member.id, "admin", null]],
      );
      const audit = await app.request("GET", "/api/mod/audit", { token: owner.token });
      const entry = audit.body.entries.find(
        (e: { action: string; target: { id: string } }) =>
          e.action === "role.grant" && e.target.id === owner.member.id,
      );
      assert.equal(entry.actor, null);
      assert.deepEqual(entry.after, { grantedRoles: ["admin"], via: "command line" });
      // A member the next command finds by their sub.
      const helper = await app.signIn({ sub: "helper-2", name: "Hal Helper" });
      assert.deepEqual(roleOf(helper), ["member"]);
      assert.equal(
        (await app.request("GET", "/api/mod/queue", { token: helper.token })).status,
        403,
      );
    } finally {
      await server.close();
    }
  });

  it("grants and revokes roles of members who have signed in", async () => {
    const grant = await hearth(["admin", "grant", "helper-2", "moderator"]);
    assert.equal(grant.code, 0, grant.stderr);
    assert.match(grant.stdout, /Granted moderator to @hal-helper \(Hal Helper, sub helper-2\)/);
    const revoke = await hearth(["admin", "revoke", "owner-1", "admin"]);
    assert.equal(revoke.code, 0, revoke.stderr);
    assert.match(revoke.stdout, /Revoked the admin grant of @olive-owner .*sub owner-1/);
    const list = await hearth(["admin", "list"]);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /moderator\s+helper-2\s+@hal-helper \(Hal Helper\)\s+granted/);
    assert.doesNotMatch(list.stdout, /owner-1/);

    const server = await startServer();
    try {
      const { app } = server;
      const helper = await app.signIn({ sub: "helper-2", name: "Hal Helper" });
      assert.deepEqual(roleOf(helper), ["member", "moderator"]);
      assert.equal(
        (await app.request("GET", "/api/mod/queue", { token: helper.token })).status,
        200,
      );
      const owner = await app.signIn({ sub: "owner-1", name: "Olive Owner" });
      assert.deepEqual(roleOf(owner), ["member"]);
      const roles = await app.request("GET", "/api/mod/roles", { token: owner.token });
      assert.equal(roles.status, 403);
      const audit = await app.request("GET", "/api/mod/audit", { token: helper.token });
      const revoked = audit.body.entries.find(
        (e: { action: string; target: { id: string } }) =>
          e.action === "role.revoke" && e.target.id === owner.member.id,
      );
      assert.equal(revoked.actor, null);
      assert.deepEqual(revoked.before, { grantedRoles: ["admin"] });
      assert.deepEqual(revoked.after, { grantedRoles: [], via: "command line" });
    } finally {
      await server.close();
    }
  });

  it("says when a member is still admin through HEARTH_ADMINS after a revocation", async () => {
    const res = await hearth(["admin", "revoke", "owner-1", "admin"], { HEARTH_ADMINS: "owner-1" });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /has no admin grant: nothing changed/);
    assert.match(res.stdout, /still admin: HEARTH_ADMINS lists owner-1/);
  });

  it("answers exit code 2 with a message on stderr for unknown members, roles and commands", async () => {
    const cases: [string[], RegExp][] = [
      [
        ["admin", "revoke", "nobody-here", "admin"],
        /No member has signed in with the sub nobody-here/,
      ],
      [["admin", "grant", "owner-1", "owner"], /Unknown role "owner": use admin or moderator/],
      [["admin", "grant", "owner-1"], /needs a member's sub and a role/],
      [["admin", "promote", "owner-1", "admin"], /Unknown command "hearth admin promote"/],
      [["admin"], /hearth admin needs a command/],
      [["launch"], /Unknown command "launch"/],
    ];
    for (const [args, message] of cases) {
      const res = await hearth(args);
      assert.equal(res.code, 2, args.join(" "));
      assert.match(res.stderr, message, args.join(" "));
      assert.equal(res.stdout, "", args.join(" "));
    }
  });

  it("prints the commands for hearth help", async () => {
    for (const args of [["help"], ["--help"]]) {
      const res = await hearth(args);
      assert.equal(res.code, 0);
      assert.match(res.stdout, /hearth admin grant <sub> admin\|moderator/);
      assert.match(res.stdout, /hearth start/);
    }
  });
});

describe("hearth start", () => {
  it("serves like npm start and warns when HEARTH_DEMO=1 serves the demo with a real secret", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", "server/cli.ts", "start"], {
      env: childEnv({ PORT: String(port), HOST: "127.0.0.1", HEARTH_DEMO: "1" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start: ${stderr}`)), 90_000);
        child.stdout.on("data", (chunk: Buffer) => {
          stdout += chunk;
          if (stdout.includes("Demo page")) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once("close", () => reject(new Error(`exited: ${stderr}`)));
      });
      assert.match(stdout, /Hearth is listening on http:\/\/localhost:\d+/);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(health.status, 200);
      const demo = await fetch(`http://127.0.0.1:${port}/demo/token/mod`);
      assert.equal(demo.status, 200);
      assert.match(stderr, /Warning: HEARTH_DEMO=1: \/demo signs member tokens/);
    } finally {
      child.kill("SIGTERM");
    }
    assert.equal(await exited, 0);
  });
});
