import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, DEMO_SSO_SECRET, loadConfig } from "../../server/config.ts";
import { createIdentityAdapter } from "../../server/identity.ts";

const secret = { HEARTH_SSO_SECRET: "s".repeat(40) };

describe("loadConfig: the demo", () => {
  it("serves the demo with no environment, on the built-in demo secret, without a warning", () => {
    const config = loadConfig({});
    assert.equal(config.demo, true);
    assert.equal(config.demoWarning, undefined);
    assert.equal(config.sso.demoSecret, true);
  });

  it("turns the demo off once HEARTH_SSO_SECRET is set, whatever NODE_ENV says", () => {
    assert.equal(loadConfig(secret).demo, false);
    assert.equal(loadConfig({ ...secret, NODE_ENV: "development" }).demo, false);
    assert.equal(loadConfig({ ...secret, NODE_ENV: "production" }).demo, false);
    assert.equal(loadConfig(secret).demoWarning, undefined);
  });

  it("serves the demo with a secret and HEARTH_DEMO=1, with a warning naming the secret", () => {
    const config = loadConfig({ ...secret, HEARTH_DEMO: "1" });
    assert.equal(config.demo, true);
    assert.equal(config.sso.demoSecret, false);
    assert.match(config.demoWarning ?? "", /HEARTH_DEMO=1/);
    assert.match(config.demoWarning ?? "", /HEARTH_SSO_SECRET/);
    assert.doesNotMatch(config.demoWarning ?? "", /moderator rights/);
  });

  it("warns that anyone can sign in as the demo moderator when token roles are trusted", () => {
    const config = loadConfig({ ...secret, HEARTH_DEMO: "1", HEARTH_SSO_TRUST_ROLES: "1" });
    assert.equal(config.demo, true);
    assert.match(config.demoWarning ?? "", /demo moderator .*moderator rights/);
  });

  it("forces the demo off with HEARTH_DEMO=0", () => {
    const config = loadConfig({ HEARTH_DEMO: "0" });
    assert.equal(config.demo, false);
    assert.equal(config.sso.demoSecret, true);
  });

  it("refuses production without member-token settings, unless HEARTH_DEMO=1 runs a public demo with a warning", () => {
    assert.throws(() => loadConfig({ NODE_ENV: "production" }), /HEARTH_SSO_SECRET/);
    const config = loadConfig({ NODE_ENV: "production", HEARTH_DEMO: "1" });
    assert.equal(config.demo, true);
    assert.equal(config.sso.secret, DEMO_SSO_SECRET);
    assert.match(config.demoWarning ?? "", /demo secret.*public.*moderator or an admin/);
  });

  it("serves the demo in production with a secret only with HEARTH_DEMO=1, and warns", () => {
    const env = { ...secret, NODE_ENV: "production" };
    assert.equal(loadConfig(env).demo, false);
    const forced = loadConfig({ ...env, HEARTH_DEMO: "1" });
    assert.equal(forced.demo, true);
    assert.ok(forced.demoWarning);
  });

  it("turns the demo off with a JWKS URL, rotated secrets or a platform adapter", () => {
    const configured: Record<string, string>[] = [
      { HEARTH_SSO_JWKS_URL: "https://members.example.com/jwks.json" },
      { HEARTH_SSO_SECRETS: `k1:${"k".repeat(32)}` },
      { HEARTH_IDENTITY: "ghost", HEARTH_GHOST_URL: "https://journal.example.com" },
      { HEARTH_IDENTITY: "outseta", HEARTH_OUTSETA_DOMAIN: "journal.outseta.com" },
    ];
    for (const env of configured) {
      const config = loadConfig(env);
      assert.equal(config.demo, false, JSON.stringify(env));
      assert.equal(config.sso.demoSecret, false, JSON.stringify(env));
    }
  });

  it("refuses HEARTH_DEMO=1 when the demo has no HS256 secret to sign its tokens with", () => {
    assert.throws(
      () =>
        loadConfig({ HEARTH_SSO_JWKS_URL: "https://members.example.com/jwks", HEARTH_DEMO: "1" }),
      (error: unknown) => error instanceof ConfigError && /HEARTH_DEMO=1 needs/.test(error.message),
    );
    assert.throws(
      () =>
        loadConfig({
          ...secret,
          HEARTH_IDENTITY: "ghost",
          HEARTH_GHOST_URL: "https://journal.example.com",
          HEARTH_DEMO: "1",
        }),
      /HEARTH_DEMO=1 needs/,
    );
  });

  it("turns the demo off with the host's own sessions, and accepts no member token then", async () => {
    const config = loadConfig({}, { hostSessions: true });
    assert.equal(config.demo, false);
    assert.equal(config.hostSessions, true);
    assert.equal(config.sso.secret, undefined);
    assert.equal(config.sso.demoSecret, false);
    assert.equal(config.identity.trustRoles, false);
    const identity = createIdentityAdapter(config);
    const result = await identity.verify("any.member.token");
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.reason, "invalid");
  });

  it("starts in production with the host's own sessions and no member-token settings", () => {
    const config = loadConfig({ NODE_ENV: "production" }, { hostSessions: true });
    assert.equal(config.demo, false);
    assert.equal(config.sso.secret, undefined);
  });

  it("keeps the configured secret with the host's own sessions", () => {
    const config = loadConfig(secret, { hostSessions: true });
    assert.equal(config.demo, false);
    assert.equal(config.sso.secret, secret.HEARTH_SSO_SECRET);
  });

  it("serves the demo with the host's own sessions only with HEARTH_DEMO=1, and warns", () => {
    const config = loadConfig({ HEARTH_DEMO: "1" }, { hostSessions: true });
    assert.equal(config.demo, true);
    assert.equal(config.sso.demoSecret, true);
    assert.match(config.demoWarning ?? "", /public/);
  });
});

describe("loadConfig: HEARTH_ADMINS", () => {
  it("is empty by default", () => {
    assert.deepEqual(loadConfig({}).admins, []);
  });

  it("reads a comma-separated list of host member ids, trimmed and without repeats", () => {
    const config = loadConfig({ HEARTH_ADMINS: " 42, mem_abc ,42,,user@example.com" });
    assert.deepEqual(config.admins, ["42", "mem_abc", "user@example.com"]);
  });
});
