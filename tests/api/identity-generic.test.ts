import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as jose from "jose";
import { countTokenIds } from "../../db/queries/token-ids.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import {
  createRsaKey,
  type KeyServer,
  nowSeconds,
  signRsaJwt,
  startKeyServer,
} from "../helpers/key-server.ts";
import { signHostToken, TEST_SSO_SECRET } from "../helpers/tokens.ts";

const OLD = "old-secret-for-rotation-tests-0123456789abcdef";
const NEW = "new-secret-for-rotation-tests-0123456789abcdef";

async function signWithKid(
  secret: string,
  kid: string | undefined,
  claims: Record<string, unknown> = {},
) {
  return new jose.SignJWT({ name: "Rotating Member", ...claims })
    .setProtectedHeader(kid ? { alg: "HS256", kid } : { alg: "HS256" })
    .setSubject(`rot-${Math.random().toString(36).slice(2)}`)
    .setAudience("hearth")
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(new TextEncoder().encode(secret));
}

describe("generic-jwt with several HS256 secrets", () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({
      env: { HEARTH_SSO_SECRETS: `2025:${OLD},2026:${NEW}` },
    });
  });
  after(() => app.close());

  it("accepts tokens signed with either active secret, told apart by kid", async () => {
    for (const [secret, kid] of [
      [OLD, "2025"],
      [NEW, "2026"],
    ] as const) {
      const res = await app.request("POST", "/api/session", {
        body: { token: await signWithKid(secret, kid) },
      });
      assert.equal(res.status, 200, kid);
      assert.equal(res.body.member.name, "Rotating Member");
    }
  });

  it("keeps accepting HEARTH_SSO_SECRET for tokens without kid", async () => {
    const res = await app.request("POST", "/api/session", {
      body: { token: await signWithKid(TEST_SSO_SECRET, undefined) },
    });
    assert.equal(res.status, 200);
  });

  it("refuses a token whose kid names the other secret", async () => {
    const res = await app.request("POST", "/api/session", {
      body: { token: await signWithKid(OLD, "2026") },
    });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "token_invalid");
  });

  it("returns 401 unknown_key for tokens of a removed secret", async () => {
    const rotated = await startTestApp({
      database: app.testDatabase,
      env: { HEARTH_SSO_SECRETS: `2026:${NEW}` },
    });
    try {
      const oldToken = await signWithKid(OLD, "2025");
      const res = await rotated.request("POST", "/api/session", { body: { token: oldToken } });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, "unknown_key");
      assert.match(res.body.error.message, /"2025"/);
      const fresh = await rotated.request("POST", "/api/session", {
        body: { token: await signWithKid(NEW, "2026") },
      });
      assert.equal(fresh.status, 200);
    } finally {
      await rotated.close();
    }
  });
});

describe("generic-jwt replay protection", () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.close());

  it("exchanges a token with a jti once and returns 401 token_replayed the second time", async () => {
    const token = await signWithKid(TEST_SSO_SECRET, undefined, { jti: "once-1" });
    const first = await app.request("POST", "/api/session", { body: { token } });
    assert.equal(first.status, 200);
    const again = await app.request("POST", "/api/session", { body: { token } });
    assert.equal(again.status, 401);
    assert.equal(again.body.error.code, "token_replayed");
    assert.equal(await countTokenIds(app.ctx.database.db, "host"), 1);
  });

  it("uses each jti of a returning member once, whether the profile changed or not", async () => {
    const sign = (jti: string, name: string) =>
      new jose.SignJWT({ name, jti })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject("returning-once")
        .setAudience("hearth")
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(new TextEncoder().encode(TEST_SSO_SECRET));
    const before = await countTokenIds(app.ctx.database.db, "host");
    const exchange = async (token: string) =>
      app.request("POST", "/api/session", { body: { token } });
    const first = await exchange(await sign("returning-1", "Ruth"));
    assert.equal(first.status, 200);
    for (const [jti, name] of [
      ["returning-2", "Ruth"],
      ["returning-3", "Ruth Moreau"],
    ] as const) {
      const token = await sign(jti, name);
      const res = await exchange(token);
      assert.equal(res.status, 200, `${jti}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.member.id, first.body.member.id);
      assert.equal(res.body.member.name, name);
      const again = await exchange(token);
      assert.equal(again.status, 401);
      assert.equal(again.body.error.code, "token_replayed");
    }
    assert.equal(await countTokenIds(app.ctx.database.db, "host"), before + 3);
  });

  it("accepts many tokens without jti, as before", async () => {
    const token = await signHostToken({ sub: "no-jti" });
    for (let i = 0; i < 2; i++) {
      const res = await app.request("POST", "/api/session", { body: { token } });
      assert.equal(res.status, 200);
    }
  });
});

describe("generic-jwt claim map and role trust", () => {
  it("reads a host's own claim names when mapped", async () => {
    const app = await startTestApp({
      env: { HEARTH_SSO_CLAIMS: "sub=user_id,name=display_name,tiers=plans" },
    });
    try {
      const token = await new jose.SignJWT({
        user_id: 4711,
        display_name: "Mapped Mia",
        plans: "gold",
      })
        .setProtectedHeader({ alg: "HS256" })
        .setAudience("hearth")
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(new TextEncoder().encode(TEST_SSO_SECRET));
      const res = await app.request("POST", "/api/session", { body: { token } });
      assert.equal(res.status, 200);
      assert.equal(res.body.member.name, "Mapped Mia");
      assert.deepEqual(jose.decodeJwt(res.body.session.token).tiers, ["gold"]);
    } finally {
      await app.close();
    }
  });

  it("ignores the token's roles unless the host's roles are trusted", async () => {
    const app = await startTestApp({ env: { HEARTH_SSO_TRUST_ROLES: "0" } });
    try {
      const res = await app.request("POST", "/api/session", {
        body: { token: await signHostToken({ roles: ["member", "admin"] }) },
      });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.member.roles, ["member"]);
      const put = await app.request("PUT", "/api/threads/roles-untrusted", {
        token: res.body.session.token,
        body: { read: "members" },
      });
      assert.equal(put.status, 403);
    } finally {
      await app.close();
    }
  });
});

describe("generic-jwt with the host's JWKS", () => {
  let keys: KeyServer;
  let app: TestApp;
  const current = createRsaKey("k1");
  before(async () => {
    keys = await startKeyServer("/jwks.json", [current]);
    app = await startTestApp({
      env: {
        HEARTH_SSO_SECRET: "",
        HEARTH_SSO_JWKS_URL: `${keys.origin}/jwks.json`,
        HEARTH_SSO_ISSUER: "https://host.example",
        HEARTH_OUTBOUND_ALLOW_HOSTS: "127.0.0.1",
      },
    });
  });
  after(async () => {
    await app.close();
    await keys.close();
  });

  const claims = (overrides: Record<string, unknown> = {}) => ({
    sub: `jwks-${Math.random().toString(36).slice(2)}`,
    name: "Key Set Member",
    iss: "https://host.example",
    aud: "hearth",
    iat: nowSeconds(),
    exp: nowSeconds() + 300,
    ...overrides,
  });

  it("fetches the key set once and verifies later tokens from the cache", async () => {
    keys.hits = 0;
    for (let i = 0; i < 5; i++) {
      const res = await app.request("POST", "/api/session", {
        body: { token: signRsaJwt(current, claims(), "RS256") },
      });
      assert.equal(res.status, 200);
    }
    assert.ok(keys.hits <= 1, `fetched ${keys.hits} times`);
  });

  it("returns 401 unknown_key after one refetch, not a refetch per request", async () => {
    const stranger = createRsaKey("not-published");
    app.clock.offsetMs += 31_000;
    keys.hits = 0;
    const replies = await Promise.all(
      Array.from({ length: 8 }, () =>
        app.request("POST", "/api/session", {
          body: { token: signRsaJwt(stranger, claims(), "RS256") },
        }),
      ),
    );
    for (const res of replies) {
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, "unknown_key");
    }
    const later = await app.request("POST", "/api/session", {
      body: { token: signRsaJwt(stranger, claims(), "RS256") },
    });
    assert.equal(later.body.error.code, "unknown_key");
    assert.equal(keys.hits, 1);
  });

  it("picks up a key the host has just published with one refetch", async () => {
    const next = createRsaKey("k2");
    keys.keys = [current, next];
    app.clock.offsetMs += 31_000;
    keys.hits = 0;
    const res = await app.request("POST", "/api/session", {
      body: { token: signRsaJwt(next, claims(), "RS256") },
    });
    assert.equal(res.status, 200);
    assert.equal(keys.hits, 1);
  });

  it("returns 401 issuer_mismatch for a token from another issuer", async () => {
    const res = await app.request("POST", "/api/session", {
      body: { token: signRsaJwt(current, claims({ iss: "https://other.example" }), "RS256") },
    });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "issuer_mismatch");
    assert.match(res.body.error.message, /https:\/\/host\.example/);
  });
});

describe("key sets on private addresses", () => {
  it("returns 401 jwks_unreachable when the JWKS host is private and not allowed", async () => {
    const key = createRsaKey("k1");
    const keys = await startKeyServer("/jwks.json", [key]);
    const app = await startTestApp({
      env: { HEARTH_SSO_SECRET: "", HEARTH_SSO_JWKS_URL: `${keys.origin}/jwks.json` },
    });
    try {
      const token = signRsaJwt(
        key,
        { sub: "p", aud: "hearth", iat: nowSeconds(), exp: nowSeconds() + 60 },
        "RS256",
      );
      const res = await app.request("POST", "/api/session", { body: { token } });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, "jwks_unreachable");
      assert.match(res.body.error.message, /private address/);
      assert.equal(keys.hits, 0);
    } finally {
      await app.close();
      await keys.close();
    }
  });

  it("returns 401 jwks_unreachable when the host does not answer", async () => {
    const app = await startTestApp({
      env: {
        HEARTH_SSO_SECRET: "",
        HEARTH_SSO_JWKS_URL: "http://127.0.0.1:9/jwks.json",
        HEARTH_OUTBOUND_ALLOW_HOSTS: "127.0.0.1",
      },
    });
    try {
      const token = signRsaJwt(
        createRsaKey("k1"),
        { sub: "p", aud: "hearth", iat: nowSeconds(), exp: nowSeconds() + 60 },
        "RS256",
      );
      const res = await app.request("POST", "/api/session", { body: { token } });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, "jwks_unreachable");
    } finally {
      await app.close();
    }
  });
});

describe("tokens in URLs", () => {
  it("never accepts a member token in the query, even a valid one", async () => {
    const app = await startTestApp();
    try {
      const token = await signHostToken();
      const res = await app.request("POST", `/api/session?token=${token}`, { body: {} });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, "validation_failed");
      assert.equal(res.body.session, undefined);
    } finally {
      await app.close();
    }
  });
});

describe("tiers from the member token", () => {
  it("applies a downgrade at the next sign-in", async () => {
    const app = await startTestApp();
    try {
      const put = await app.request("PUT", "/api/threads/gold-room", {
        headers: { authorization: "Bearer test-api-key-0123456789abcdef" },
        body: { read: ["gold"], write: ["gold"] },
      });
      assert.equal(put.status, 200);
      const gold = await app.signIn({ sub: "downgraded", tiers: ["gold"] });
      const post = await app.request("POST", "/api/threads/gold-room/comments", {
        token: gold.token,
        body: { body: "Gold members only" },
      });
      assert.equal(post.status, 201);
      const free = await app.signIn({ sub: "downgraded", tiers: [] });
      assert.equal(free.member.id, gold.member.id);
      const read = await app.request("GET", "/api/threads/gold-room/comments", {
        token: free.token,
      });
      assert.equal(read.status, 403);
      assert.equal(read.body.error.code, "tier_required");
      assert.deepEqual(read.body.error.details.tiers, ["gold"]);
    } finally {
      await app.close();
    }
  });
});
