import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, DEMO_SSO_SECRET, loadConfig } from "../../server/config.ts";

describe("loadConfig", () => {
  it("runs with no environment on the embedded database, with the demo and a marked demo secret", () => {
    const config = loadConfig({});
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.dataDir, "./data");
    assert.equal(config.demo, true);
    assert.equal(config.sso.secret, DEMO_SSO_SECRET);
    assert.equal(config.sso.demoSecret, true);
    assert.equal(config.editWindowSeconds, 900);
    assert.equal(config.sso.audience, "hearth");
  });

  it("turns the demo off in production unless HEARTH_DEMO=1", () => {
    const env = { NODE_ENV: "production", HEARTH_SSO_SECRET: "x".repeat(32) };
    assert.equal(loadConfig(env).demo, false);
    assert.equal(loadConfig({ ...env, HEARTH_DEMO: "1" }).demo, true);
  });

  it("refuses to start in production without a member-token secret or JWKS", () => {
    assert.throws(() => loadConfig({ NODE_ENV: "production" }), ConfigError);
  });

  it("names the variable and the expected shape when a value is wrong", () => {
    assert.throws(() => loadConfig({ PORT: "eighty" }), /PORT must be a whole number/);
    assert.throws(
      () => loadConfig({ HEARTH_EDIT_WINDOW: "soon" }),
      /HEARTH_EDIT_WINDOW must be a duration/,
    );
    assert.throws(
      () => loadConfig({ DATABASE_URL: "mysql://x" }),
      /DATABASE_URL must start with postgres:/,
    );
    assert.throws(() => loadConfig({ HEARTH_SSO_SECRET: "short" }), /at least 32 characters/);
  });

  it("reads durations with units and caps sessions at 12 hours", () => {
    const config = loadConfig({ HEARTH_EDIT_WINDOW: "2h", HEARTH_SESSION_TTL: "3d" });
    assert.equal(config.editWindowSeconds, 7200);
    assert.equal(config.sessionTtlSeconds, 12 * 3600);
  });
});
