import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import * as jose from "jose";
import { findMemberById } from "../../db/queries/members.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";

const harness = fileURLToPath(new URL("../helpers/wordpress-harness.php", import.meta.url));
const SECRET = "wp-secret-for-tests-0123456789abcdefghij";
const phpInstalled = spawnSync("php", ["--version"]).status === 0;
if (!phpInstalled && process.env.CI)
  throw new Error("php-cli is required in CI (apt-get install php-cli)");
const skip = phpInstalled
  ? false
  : "php-cli is not installed (apt-get install php-cli); the WordPress plugin is not tested";

interface PluginOutput {
  token: string;
  headers: Record<string, string>;
  shortcode: string;
  module: string;
}

/** Runs the plugin's PHP (signing, claims, shortcode) with WordPress stubbed out. */
function runPlugin(
  input: { capabilities?: string[]; memberships?: number[]; loggedIn?: boolean; kid?: string } = {},
): PluginOutput {
  const out = execFileSync(
    "php",
    [
      harness,
      JSON.stringify({
        secret: SECRET,
        kid: input.kid ?? "wp1",
        capabilities: input.capabilities ?? [],
        memberships: input.memberships ?? [],
        loggedIn: input.loggedIn ?? true,
      }),
    ],
    { encoding: "utf8" },
  );
  return JSON.parse(out) as PluginOutput;
}

describe("the WordPress plugin's member tokens", { skip }, () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({
      env: {
        HEARTH_SSO_SECRETS: `wp1:${SECRET}`,
        HEARTH_SSO_ISSUER: "https://wp.example",
        HEARTH_SSO_TRUST_ROLES: "1",
      },
    });
  });
  after(() => app.close());

  it("signs a token the server accepts, with roles from capabilities and MemberPress tiers", async () => {
    const { token, headers } = runPlugin({
      capabilities: ["moderate_comments"],
      memberships: [7, 8],
    });
    assert.equal(headers["Cache-Control"], "no-store, private");
    const res = await app.request("POST", "/api/session", { body: { token } });
    assert.equal(res.status, 200);
    assert.equal(res.body.member.name, "Ada Lovelace");
    assert.deepEqual(res.body.member.roles, ["member", "moderator"]);
    const stored = await findMemberById(app.ctx.database.db, res.body.member.id);
    assert.equal(stored?.issuer, "https://wp.example");
    assert.equal(stored?.subject, "42");
    assert.equal(stored?.email, "ada@example.com");
    assert.deepEqual(stored?.tiers, ["gold", "silver"]);
    assert.deepEqual(jose.decodeProtectedHeader(token), { alg: "HS256", typ: "JWT", kid: "wp1" });
  });

  it("maps administrators to admin and plain subscribers to member", async () => {
    const admin = await app.request("POST", "/api/session", {
      body: { token: runPlugin({ capabilities: ["moderate_comments", "manage_options"] }).token },
    });
    assert.deepEqual(admin.body.member.roles, ["member", "moderator", "admin"]);
    const subscriber = await app.request("POST", "/api/session", {
      body: { token: runPlugin().token },
    });
    assert.deepEqual(subscriber.body.member.roles, ["member"]);
  });

  it("refuses a tampered token", async () => {
    const { token } = runPlugin();
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, roles: ["member", "admin"] })).toString(
      "base64url",
    );
    const res = await app.request("POST", "/api/session", {
      body: { token: `${header}.${forged}.${signature}` },
    });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "token_invalid");
  });

  it("refuses the same token twice, by its jti", async () => {
    const { token } = runPlugin();
    assert.equal((await app.request("POST", "/api/session", { body: { token } })).status, 200);
    const again = await app.request("POST", "/api/session", { body: { token } });
    assert.equal(again.status, 401);
    assert.equal(again.body.error.code, "token_replayed");
  });

  it("refuses a token signed under a kid the server does not know", async () => {
    const res = await app.request("POST", "/api/session", {
      body: { token: runPlugin({ kid: "wp0" }).token },
    });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "unknown_key");
  });

  it("renders the shortcode with the thread, the server, a token URL and the upgrade page", () => {
    const { shortcode, module } = runPlugin();
    assert.match(shortcode, /^<hearth-thread /);
    assert.match(shortcode, / thread="wp-99"/);
    assert.match(shortcode, / server="https:\/\/community\.example"/);
    assert.match(
      shortcode,
      / token-url="https:\/\/wp\.example\/wp-json\/hearth\/v1\/token\?_wpnonce=n0nce"/,
    );
    assert.match(shortcode, / upgrade-url="https:\/\/wp\.example\/register\/gold\/"/);
    assert.equal(module, "https://community.example/widgets/hearth.js");
    const visitor = runPlugin({ loggedIn: false }).shortcode;
    assert.doesNotMatch(visitor, /token-url/);
  });
});
