import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as jose from "jose";
import { findMemberById } from "../../db/queries/members.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import {
  createRsaKey,
  type KeyServer,
  nowSeconds,
  signRsaJwt,
  startKeyServer,
} from "../helpers/key-server.ts";

describe("Memberstack member tokens", () => {
  const key = createRsaKey("ms-1");
  let keys: KeyServer;
  let app: TestApp;
  before(async () => {
    keys = await startKeyServer("/jwks", [key]);
    app = await startTestApp({
      env: {
        HEARTH_IDENTITY: "memberstack",
        HEARTH_MEMBERSTACK_APP_ID: "app_journal",
        HEARTH_SSO_JWKS_URL: `${keys.origin}/jwks`,
        HEARTH_OUTBOUND_ALLOW_HOSTS: "127.0.0.1",
      },
    });
  });
  after(async () => {
    await app.close();
    await keys.close();
  });

  /** The shape Memberstack signs: id, type, iat, exp, iss, aud = app id. */
  const memberstackToken = (overrides: Record<string, unknown> = {}) =>
    signRsaJwt(
      key,
      {
        id: "mem_abc123",
        type: "member",
        iat: nowSeconds(),
        exp: nowSeconds() + 14 * 86400,
        iss: "https://api.memberstack.com",
        aud: "app_journal",
        ...overrides,
      },
      "RS256",
    );

  it("keys the member by Memberstack's member id and accepts the token again later", async () => {
    const token = memberstackToken();
    const first = await app.request("POST", "/api/session", { body: { token } });
    assert.equal(first.status, 200);
    const stored = await findMemberById(app.ctx.database.db, first.body.member.id);
    assert.equal(stored?.issuer, "https://api.memberstack.com");
    assert.equal(stored?.subject, "mem_abc123");
    const again = await app.request("POST", "/api/session", { body: { token } });
    assert.equal(again.status, 200);
    assert.equal(again.body.member.id, first.body.member.id);
  });

  it("refuses a token for another Memberstack app", async () => {
    const res = await app.request("POST", "/api/session", {
      body: { token: memberstackToken({ aud: "app_other" }) },
    });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "token_invalid");
  });

  it("refuses a token signed with a key Memberstack did not publish", async () => {
    const res = await app.request("POST", "/api/session", {
      body: {
        token: signRsaJwt(createRsaKey("ms-1"), jose.decodeJwt(memberstackToken()), "RS256"),
      },
    });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "token_invalid");
  });
});

describe("Outseta access tokens", () => {
  const key = createRsaKey("outseta-1");
  let keys: KeyServer;
  let app: TestApp;
  before(async () => {
    keys = await startKeyServer("/.well-known/jwks", [key]);
    app = await startTestApp({
      env: {
        HEARTH_IDENTITY: "outseta",
        HEARTH_OUTSETA_DOMAIN: "journal.outseta.com",
        HEARTH_SSO_JWKS_URL: `${keys.origin}/.well-known/jwks`,
        HEARTH_OUTBOUND_ALLOW_HOSTS: "127.0.0.1",
      },
    });
  });
  after(async () => {
    await app.close();
    await keys.close();
  });

  /** The payload Outseta documents for its access tokens. */
  const outsetaToken = (overrides: Record<string, unknown> = {}) =>
    signRsaJwt(
      key,
      {
        nbf: nowSeconds(),
        exp: nowSeconds() + 7 * 86400,
        iss: "http://journal.outseta.com",
        sub: "3wQXdmKz",
        email: "first@example.com",
        name: "First Last",
        "outseta:accountUid": "wZmNddO",
        "outseta:planUid": "y7maddEq",
        "outseta:addOnUids": ["y7marQEq"],
        aud: "journal.outseta.com",
        iat: nowSeconds() - 3 * 86400,
        ...overrides,
      },
      "RS256",
    );

  it("keys the member by person uid and takes plan and add-ons as tiers", async () => {
    const res = await app.request("POST", "/api/session", { body: { token: outsetaToken() } });
    assert.equal(res.status, 200);
    assert.equal(res.body.member.name, "First Last");
    const stored = await findMemberById(app.ctx.database.db, res.body.member.id);
    assert.equal(stored?.subject, "3wQXdmKz");
    assert.equal(stored?.email, "first@example.com");
    assert.deepEqual(stored?.tiers, ["y7maddEq", "y7marQEq"]);
  });

  it("returns 401 issuer_mismatch for another Outseta domain", async () => {
    const res = await app.request("POST", "/api/session", {
      body: { token: outsetaToken({ iss: "http://other.outseta.com" }) },
    });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "issuer_mismatch");
  });

  it("returns 401 token_expired for an expired access token", async () => {
    const res = await app.request("POST", "/api/session", {
      body: { token: outsetaToken({ exp: nowSeconds() - 3600 }) },
    });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "token_expired");
  });
});
