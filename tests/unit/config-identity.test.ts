import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, loadConfig } from "../../server/config.ts";

const base = { HEARTH_SSO_SECRET: "s".repeat(40) };

describe("loadConfig: identity", () => {
  it("defaults to generic-jwt, untrusted roles and no private outbound hosts", () => {
    const config = loadConfig(base);
    assert.equal(config.identity.adapter, "generic-jwt");
    assert.equal(config.identity.trustRoles, false);
    assert.equal(config.identity.allowWeakKeys, false);
    assert.deepEqual(config.outbound.allowPrivateHosts, []);
    assert.equal(config.outbound.timeoutMs, 3000);
  });

  it("trusts roles with the demo secret so the demo's moderator works", () => {
    assert.equal(loadConfig({}).identity.trustRoles, true);
  });

  it("reads rotated secrets, a claim map and allowed hosts", () => {
    const config = loadConfig({
      HEARTH_SSO_SECRETS: `a:${"a".repeat(32)}, b:${"b".repeat(32)}`,
      HEARTH_SSO_CLAIMS: "sub=user_id,tiers=plans",
      HEARTH_OUTBOUND_ALLOW_HOSTS: "Ghost.Internal,127.0.0.1",
      HEARTH_SSO_TRUST_ROLES: "1",
    });
    assert.deepEqual(config.identity.secrets, [
      { kid: "a", secret: "a".repeat(32) },
      { kid: "b", secret: "b".repeat(32) },
    ]);
    assert.deepEqual(config.identity.claims, { sub: "user_id", tiers: "plans" });
    assert.deepEqual(config.outbound.allowPrivateHosts, ["ghost.internal", "127.0.0.1"]);
    assert.equal(config.identity.trustRoles, true);
  });

  const bad: [string, Record<string, string>, RegExp][] = [
    ["an unknown adapter", { HEARTH_IDENTITY: "okta" }, /HEARTH_IDENTITY/],
    ["a short rotated secret", { HEARTH_SSO_SECRETS: "a:short" }, /HEARTH_SSO_SECRETS/],
    [
      "a repeated kid",
      { HEARTH_SSO_SECRETS: `a:${"a".repeat(32)},a:${"b".repeat(32)}` },
      /distinct/,
    ],
    ["an unknown claim field", { HEARTH_SSO_CLAIMS: "nickname=nick" }, /HEARTH_SSO_CLAIMS/],
    ["ghost without a site URL", { HEARTH_IDENTITY: "ghost" }, /HEARTH_GHOST_URL/],
    [
      "a malformed Ghost Admin API key",
      {
        HEARTH_IDENTITY: "ghost",
        HEARTH_GHOST_URL: "https://g.example",
        HEARTH_GHOST_ADMIN_API_KEY: "nope",
      },
      /HEARTH_GHOST_ADMIN_API_KEY/,
    ],
    [
      "memberstack without an app id",
      { HEARTH_IDENTITY: "memberstack" },
      /HEARTH_MEMBERSTACK_APP_ID/,
    ],
    ["outseta without a domain", { HEARTH_IDENTITY: "outseta" }, /HEARTH_OUTSETA_DOMAIN/],
    [
      "a malformed Memberstack secret key",
      {
        HEARTH_IDENTITY: "memberstack",
        HEARTH_MEMBERSTACK_APP_ID: "app_1",
        HEARTH_MEMBERSTACK_SECRET_KEY: "pk_1",
      },
      /HEARTH_MEMBERSTACK_SECRET_KEY/,
    ],
    [
      "an http JWKS in production",
      { NODE_ENV: "production", HEARTH_SSO_JWKS_URL: "http://host.example/jwks.json" },
      /HEARTH_SSO_JWKS_URL/,
    ],
    [
      "an http Ghost site in production",
      { NODE_ENV: "production", HEARTH_IDENTITY: "ghost", HEARTH_GHOST_URL: "http://g.example" },
      /HEARTH_GHOST_URL/,
    ],
  ];
  for (const [what, env, message] of bad) {
    it(`stops the start for ${what}`, () => {
      assert.throws(
        () => loadConfig({ ...base, ...env }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  it("needs no shared secret for a platform adapter in production", () => {
    const config = loadConfig({
      NODE_ENV: "production",
      HEARTH_IDENTITY: "outseta",
      HEARTH_OUTSETA_DOMAIN: "journal.outseta.com",
    });
    assert.equal(config.identity.adapter, "outseta");
    assert.equal(config.sso.secret, undefined);
  });
});
