import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import * as jose from "jose";
import { findMemberById } from "../../db/queries/members.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { signHostToken, unsignedToken } from "../helpers/tokens.ts";

describe("POST /api/session with an HS256 secret", () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it("exchanges a valid member token for a session and records the member", async () => {
    const token = await signHostToken({
      sub: "host-42",
      name: "Anna Müller",
      roles: ["member", "moderator"],
    });
    const res = await app.request("POST", "/api/session", { body: { token } });
    assert.equal(res.status, 200);
    assert.equal(res.body.member.name, "Anna Müller");
    assert.equal(res.body.member.handle, "anna-muller");
    assert.deepEqual(res.body.member.roles, ["member", "moderator"]);
    assert.equal(typeof res.body.session.token, "string");
    const expiresIn = Date.parse(res.body.session.expiresAt) - Date.now();
    assert.ok(expiresIn > 11 * 3600_000 && expiresIn <= 12 * 3600_000 + 1000);
  });

  it("issues an HS256 JWT for the member's id, roles and tiers, signed with the session key", async () => {
    const res = await app.request("POST", "/api/session", {
      body: {
        token: await signHostToken({
          sub: "host-jwt",
          roles: ["member", "moderator"],
          tiers: ["gold", "silver"],
        }),
      },
    });
    assert.equal(res.status, 200);
    const token: string = res.body.session.token;
    const { payload, protectedHeader } = await jose.jwtVerify(token, app.ctx.sessionKey, {
      algorithms: ["HS256"],
      audience: "hearth-session",
    });
    assert.deepEqual(protectedHeader, { alg: "HS256", typ: "JWT" });
    assert.deepEqual(Object.keys(payload), ["roles", "tiers", "sub", "aud", "iat", "exp"]);
    assert.equal(payload.sub, res.body.member.id);
    assert.deepEqual(payload.roles, ["member", "moderator"]);
    assert.deepEqual(payload.tiers, ["gold", "silver"]);
    assert.equal(payload.exp! - payload.iat!, 12 * 3600);
    assert.equal(new Date(payload.exp! * 1000).toISOString(), res.body.session.expiresAt);
    await assert.rejects(
      jose.jwtVerify(token, new TextEncoder().encode("not-the-session-key-0123456789abcdef")),
      jose.errors.JWSSignatureVerificationFailed,
    );
  });

  it("updates the same member on a later exchange and keeps the handle", async () => {
    const first = await app.signIn({ sub: "host-77", name: "Ben" });
    const second = await app.signIn({ sub: "host-77", name: "Ben Okafor" });
    assert.equal(second.member.id, first.member.id);
    assert.equal(second.member.name, "Ben Okafor");
    assert.equal(second.member.handle, first.member.handle);
  });

  it("records a new locale from the host's token, though the rest of the profile is unchanged", async () => {
    const first = await app.signIn({ sub: "host-78", name: "Lea", locale: "de" });
    await app.signIn({ sub: "host-78", name: "Lea", locale: "fr" });
    const stored = await findMemberById(app.testDatabase.database.db, first.member.id);
    assert.equal(stored?.locale, "fr");
  });

  it("gives members with the same name distinct handles", async () => {
    const a = await app.signIn({ name: "Chris Doe" });
    const b = await app.signIn({ name: "Chris Doe" });
    assert.equal(a.member.handle, "chris-doe");
    assert.equal(b.member.handle, "chris-doe-2");
  });

  it("signs in a member whose profile holds a NUL character or half an emoji, storing it cleaned", async () => {
    const res = await app.request("POST", "/api/session", {
      body: {
        token: await signHostToken({
          name: "Nul\u0000 Half\ud83d",
          tiers: ["gold\u0000"],
          locale: "de\udc00",
        }),
      },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.member.name, "Nul Half\ufffd");
    const stored = await findMemberById(app.testDatabase.database.db, res.body.member.id);
    assert.equal(stored?.name, "Nul Half\ufffd");
    assert.deepEqual(stored?.tiers, ["gold"]);
    assert.equal(stored?.locale, "de\ufffd");
  });

  it("returns 401 token_invalid for a member id holding a NUL character", async () => {
    const res = await app.request("POST", "/api/session", {
      body: { token: await signHostToken({ sub: "host\u0000-1" }) },
    });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "token_invalid");
  });

  const refused: [string, () => Promise<unknown>, string][] = [
    ["an expired token", () => signHostToken({ expiresIn: -120 }), "token_expired"],
    [
      "a token signed with another secret",
      () => signHostToken({ secret: "another-secret-another-secret-0123456789" }),
      "token_invalid",
    ],
    [
      "a token for another audience",
      () => signHostToken({ audience: "someone-else" }),
      "token_invalid",
    ],
    ["an unsigned alg:none token", async () => unsignedToken(), "token_invalid"],
    [
      "a token issued more than an hour ago",
      () => signHostToken({ issuedAgo: 2 * 3600, expiresIn: 600 }),
      "token_expired",
    ],
    ["a string that is no JWT", async () => "not-a-jwt", "token_invalid"],
  ];
  for (const [what, make, code] of refused) {
    it(`returns 401 ${code} for ${what}`, async () => {
      const res = await app.request("POST", "/api/session", { body: { token: await make() } });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, code);
      assert.equal(typeof res.body.error.message, "string");
    });
  }

  it("returns 400 when the token is missing", async () => {
    const res = await app.request("POST", "/api/session", { body: {} });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, "validation_failed");
  });

  it("never accepts a token in the URL", async () => {
    const token = await signHostToken();
    const res = await app.request("POST", `/api/session?token=${token}`, { body: {} });
    assert.equal(res.status, 400);
  });

  it("tolerates 60 seconds of clock skew on exp", async () => {
    const res = await app.request("POST", "/api/session", {
      body: { token: await signHostToken({ expiresIn: -30 }) },
    });
    assert.equal(res.status, 200);
  });
});

describe("session tokens on write endpoints", () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it("returns 401 unauthenticated without a session", async () => {
    const res = await app.request("POST", "/api/threads/t1/comments", { body: { body: "hi" } });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "unauthenticated");
  });

  it("returns 401 token_invalid for a forged session", async () => {
    const forged = await new jose.SignJWT({ roles: ["admin"] })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("00000000-0000-0000-0000-000000000000")
      .setAudience("hearth-session")
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("guessed-key-guessed-key-guessed-key"));
    const res = await app.request("POST", "/api/threads/t1/comments", {
      body: { body: "hi" },
      token: forged,
    });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "token_invalid");
  });

  it("does not take a host member token as a session", async () => {
    const res = await app.request("POST", "/api/threads/t1/comments", {
      body: { body: "hi" },
      token: await signHostToken(),
    });
    assert.equal(res.status, 401);
  });

  it("returns 401 token_expired once the session has expired, though it was accepted before", async () => {
    const { token } = await app.signIn();
    const before = await app.request("POST", "/api/threads/t1/comments", {
      body: { body: "hi" },
      token,
    });
    assert.equal(before.status, 201);
    app.clock.offsetMs = 13 * 3600_000;
    try {
      const res = await app.request("POST", "/api/threads/t1/comments", {
        body: { body: "hi" },
        token,
      });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, "token_expired");
    } finally {
      app.clock.offsetMs = 0;
    }
  });
});

describe("POST /api/session with the host's JWKS", () => {
  let app: TestApp;
  let jwksServer: Server;
  const keys: Record<string, { privateKey: CryptoKey; publicKey: CryptoKey }> = {};
  const algs = ["RS256", "ES256", "EdDSA"] as const;

  before(async () => {
    const jwks: jose.JWK[] = [];
    for (const alg of algs) {
      keys[alg] = await jose.generateKeyPair(alg, { extractable: true });
      jwks.push({
        ...(await jose.exportJWK(keys[alg].publicKey)),
        kid: `k-${alg}`,
        alg,
        use: "sig",
      });
    }
    jwksServer = createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ keys: jwks }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, "127.0.0.1", resolve));
    const { port } = jwksServer.address() as AddressInfo;
    app = await startTestApp({
      env: {
        HEARTH_SSO_SECRET: "",
        HEARTH_SSO_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`,
        HEARTH_SSO_ISSUER: "https://host.example",
        HEARTH_OUTBOUND_ALLOW_HOSTS: "127.0.0.1",
        HEARTH_DEMO: "0",
      },
    });
  });
  after(async () => {
    await app.close();
    jwksServer.close();
  });

  async function sign(alg: (typeof algs)[number], overrides: { issuer?: string } = {}) {
    return new jose.SignJWT({ name: `Member ${alg}` })
      .setProtectedHeader({ alg, kid: `k-${alg}` })
      .setSubject(`jwks-${alg}`)
      .setIssuer(overrides.issuer ?? "https://host.example")
      .setAudience("hearth")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(keys[alg]!.privateKey);
  }

  for (const alg of algs) {
    it(`accepts a ${alg} token signed by a key in the JWKS`, async () => {
      const res = await app.request("POST", "/api/session", { body: { token: await sign(alg) } });
      assert.equal(res.status, 200);
      assert.equal(res.body.member.name, `Member ${alg}`);
    });
  }

  it("refuses a token from another issuer with issuer_mismatch", async () => {
    const res = await app.request("POST", "/api/session", {
      body: { token: await sign("ES256", { issuer: "https://evil.example" }) },
    });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "issuer_mismatch");
  });

  it("refuses HS256 signed with the public key (algorithm confusion)", async () => {
    const publicJwk = await jose.exportJWK(keys.RS256!.publicKey);
    const forged = await new jose.SignJWT({ name: "Mallory" })
      .setProtectedHeader({ alg: "HS256", kid: "k-RS256" })
      .setSubject("mallory")
      .setIssuer("https://host.example")
      .setAudience("hearth")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
    const res = await app.request("POST", "/api/session", { body: { token: forged } });
    assert.equal(res.status, 401);
  });
});
