import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import * as jose from "jose";
import { findMemberById } from "../../db/queries/members.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import {
  createRsaKey,
  type HostKey,
  type KeyServer,
  nowSeconds,
  signRsaJwt,
  startKeyServer,
} from "../helpers/key-server.ts";

const JWKS_PATH = "/members/.well-known/jwks.json";

/** A member identity token as Ghost's members API signs it (RS512, iss = aud = site/members/api). */
function ghostIdentityToken(key: HostKey, site: string, email: string, overrides = {}) {
  const now = nowSeconds();
  return signRsaJwt(key, {
    sub: email,
    kid: key.kid,
    scope: "members:identity",
    iat: now,
    exp: now + 600,
    aud: `${site}/members/api`,
    iss: `${site}/members/api`,
    ...overrides,
  });
}

function ghostEntitlementToken(
  key: HostKey,
  site: string,
  uuid: string,
  tiers: string[],
  paid: boolean,
) {
  return ghostIdentityToken(key, site, "reader@example.com", {
    scope: "members:entitlements:read",
    member_uuid: uuid,
    paid,
    active_tier_ids: tiers,
    jti: `jti-${Math.random().toString(36).slice(2)}`,
  });
}

async function startGhostApp(keys: KeyServer, env: Record<string, string> = {}) {
  return startTestApp({
    env: {
      HEARTH_IDENTITY: "ghost",
      HEARTH_GHOST_URL: keys.origin,
      HEARTH_OUTBOUND_ALLOW_HOSTS: "127.0.0.1",
      ...env,
    },
  });
}

describe("Ghost identity tokens", () => {
  const key = createRsaKey("ghost-2048");
  let keys: KeyServer;
  let app: TestApp;
  before(async () => {
    keys = await startKeyServer(JWKS_PATH, [key]);
    app = await startGhostApp(keys);
  });
  after(async () => {
    await app.close();
    await keys.close();
  });

  it("accepts an RS512 identity token verified against the site's JWKS", async () => {
    const token = ghostIdentityToken(key, keys.origin, "Reader@Example.com");
    const res = await app.request("POST", "/api/session", { body: { token } });
    assert.equal(res.status, 200);
    assert.equal(res.body.member.name, "Member");
    assert.deepEqual(res.body.member.roles, ["member"]);
    const stored = await findMemberById(app.ctx.database.db, res.body.member.id);
    assert.equal(stored?.issuer, `${keys.origin}/members/api`);
    assert.equal(stored?.subject, "email:reader@example.com");
    assert.equal(stored?.email, "reader@example.com");
  });

  it("keys a member by Ghost's uuid and takes tiers from an entitlement token", async () => {
    const uuid = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    const res = await app.request("POST", "/api/session", {
      body: { token: ghostEntitlementToken(key, keys.origin, uuid, ["tier_gold"], true) },
    });
    assert.equal(res.status, 200);
    const stored = await findMemberById(app.ctx.database.db, res.body.member.id);
    assert.equal(stored?.subject, `uuid:${uuid}`);
    assert.deepEqual(stored?.tiers, ["tier_gold", "paid"]);
    assert.deepEqual(jose.decodeJwt(res.body.session.token).tiers, ["tier_gold", "paid"]);
  });

  it("lets a paid Ghost member into a paid thread and keeps a free one out", async () => {
    await app.request("PUT", "/api/threads/ghost-paid", {
      headers: { authorization: "Bearer test-api-key-0123456789abcdef" },
      body: { read: "members", write: ["paid"] },
    });
    const paid = await app.request("POST", "/api/session", {
      body: {
        token: ghostEntitlementToken(
          key,
          keys.origin,
          "11111111-0000-0000-0000-000000000001",
          [],
          true,
        ),
      },
    });
    const free = await app.request("POST", "/api/session", {
      body: {
        token: ghostEntitlementToken(
          key,
          keys.origin,
          "11111111-0000-0000-0000-000000000002",
          [],
          false,
        ),
      },
    });
    const posted = await app.request("POST", "/api/threads/ghost-paid/comments", {
      token: paid.body.session.token,
      body: { body: "Paid members talk here" },
    });
    assert.equal(posted.status, 201);
    const refused = await app.request("POST", "/api/threads/ghost-paid/comments", {
      token: free.body.session.token,
      body: { body: "Free member" },
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "tier_required");
    const read = await app.request("GET", "/api/threads/ghost-paid/comments", {
      token: free.body.session.token,
    });
    assert.equal(read.status, 200);
  });

  it("refuses an entitlement token used twice", async () => {
    const token = ghostEntitlementToken(
      key,
      keys.origin,
      "22222222-0000-0000-0000-000000000000",
      [],
      false,
    );
    assert.equal((await app.request("POST", "/api/session", { body: { token } })).status, 200);
    const again = await app.request("POST", "/api/session", { body: { token } });
    assert.equal(again.status, 401);
    assert.equal(again.body.error.code, "token_replayed");
  });

  it("returns 401 issuer_mismatch for a token of another Ghost site", async () => {
    const token = ghostIdentityToken(key, "https://other-ghost.example", "x@example.com", {
      aud: `${keys.origin}/members/api`,
    });
    const res = await app.request("POST", "/api/session", { body: { token } });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "issuer_mismatch");
  });

  it("refuses RS256 where Ghost signs RS512, and tokens of another scope", async () => {
    const rs256 = signRsaJwt(
      key,
      {
        sub: "a@example.com",
        iat: nowSeconds(),
        exp: nowSeconds() + 60,
        aud: `${keys.origin}/members/api`,
        iss: `${keys.origin}/members/api`,
      },
      "RS256",
    );
    const wrongAlg = await app.request("POST", "/api/session", { body: { token: rs256 } });
    assert.equal(wrongAlg.status, 401);
    assert.equal(wrongAlg.body.error.code, "token_invalid");
    const otherScope = ghostIdentityToken(key, keys.origin, "a@example.com", { scope: "admin" });
    const scoped = await app.request("POST", "/api/session", { body: { token: otherScope } });
    assert.equal(scoped.status, 401);
    assert.equal(scoped.body.error.code, "token_invalid");
  });
});

describe("Ghost sites with 1024-bit RSA keys", () => {
  const weak = createRsaKey("ghost-1024", 1024);
  let keys: KeyServer;
  before(async () => {
    keys = await startKeyServer(JWKS_PATH, [weak]);
  });
  after(() => keys.close());

  it("returns 401 weak_key without the opt-in", async () => {
    const app = await startGhostApp(keys);
    try {
      const res = await app.request("POST", "/api/session", {
        body: { token: ghostIdentityToken(weak, keys.origin, "old@example.com") },
      });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, "weak_key");
      assert.match(res.body.error.message, /1024-bit/);
      assert.match(res.body.error.message, /HEARTH_SSO_ALLOW_WEAK_KEYS/);
    } finally {
      await app.close();
    }
  });

  describe("with HEARTH_SSO_ALLOW_WEAK_KEYS=1", () => {
    let app: TestApp;
    before(async () => {
      app = await startGhostApp(keys, { HEARTH_SSO_ALLOW_WEAK_KEYS: "1" });
    });
    after(() => app.close());

    it("accepts a token signed with the weak key", async () => {
      const res = await app.request("POST", "/api/session", {
        body: { token: ghostIdentityToken(weak, keys.origin, "old@example.com") },
      });
      assert.equal(res.status, 200);
    });

    it("still refuses a tampered token", async () => {
      const token = ghostIdentityToken(weak, keys.origin, "old@example.com");
      const [header, , signature] = token.split(".");
      const forged = Buffer.from(
        JSON.stringify({ ...jose.decodeJwt(token), sub: "admin@example.com" }),
      ).toString("base64url");
      const res = await app.request("POST", "/api/session", {
        body: { token: `${header}.${forged}.${signature}` },
      });
      assert.equal(res.status, 401);
      assert.equal(res.body.error.code, "token_invalid");
    });

    it("still checks expiry, audience and issuer", async () => {
      const cases = [
        [{ exp: nowSeconds() - 120 }, "token_expired"],
        [{ aud: "https://elsewhere.example/members/api" }, "token_invalid"],
        [{ iss: "https://elsewhere.example/members/api" }, "issuer_mismatch"],
      ] as const;
      for (const [overrides, code] of cases) {
        const res = await app.request("POST", "/api/session", {
          body: { token: ghostIdentityToken(weak, keys.origin, "old@example.com", overrides) },
        });
        assert.equal(res.status, 401, code);
        assert.equal(res.body.error.code, code);
      }
    });
  });
});

describe("Ghost with an Admin API key", () => {
  const key = createRsaKey("ghost-admin");
  const adminId = "6543210fedcba9876543210f";
  const adminSecret = "ab".repeat(32);
  const members: Record<string, Record<string, unknown>> = {
    "ada@example.com": {
      uuid: "0000aaaa-0000-0000-0000-000000000001",
      name: "Ada Lovelace",
      avatar_image: "https://ghost.example/content/images/ada.png",
      status: "paid",
      tiers: [{ slug: "free" }, { slug: "gold" }],
    },
  };
  let server: Server;
  let origin: string;
  let adminCalls = 0;
  let app: TestApp;

  before(async () => {
    server = createServer(async (req, res) => {
      const url = new URL(req.url!, "http://x");
      res.setHeader("content-type", "application/json");
      if (url.pathname === JWKS_PATH) {
        res.end(JSON.stringify({ keys: [key.publicJwk] }));
        return;
      }
      if (url.pathname === "/ghost/api/admin/members/") {
        adminCalls++;
        const token = req.headers.authorization?.replace(/^Ghost /, "") ?? "";
        try {
          const { protectedHeader } = await jose.jwtVerify(token, Buffer.from(adminSecret, "hex"), {
            audience: "/admin/",
          });
          assert.equal(protectedHeader.kid, adminId);
        } catch {
          res.statusCode = 401;
          res.end("{}");
          return;
        }
        const email = /^email:'(.*)'$/.exec(url.searchParams.get("filter") ?? "")?.[1] ?? "";
        const member = members[email];
        res.end(JSON.stringify({ members: member ? [{ email, ...member }] : [] }));
        return;
      }
      res.statusCode = 404;
      res.end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    app = await startTestApp({
      env: {
        HEARTH_IDENTITY: "ghost",
        HEARTH_GHOST_URL: origin,
        HEARTH_GHOST_ADMIN_API_KEY: `${adminId}:${adminSecret}`,
        HEARTH_OUTBOUND_ALLOW_HOSTS: "127.0.0.1",
      },
    });
  });
  after(async () => {
    await app.close();
    server.closeAllConnections();
    server.close();
  });

  it("takes the uuid, name, avatar and tiers from Ghost and keeps the member when the email changes", async () => {
    const res = await app.request("POST", "/api/session", {
      body: { token: ghostIdentityToken(key, origin, "ada@example.com") },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.member.name, "Ada Lovelace");
    const stored = await findMemberById(app.ctx.database.db, res.body.member.id);
    assert.equal(stored?.subject, "uuid:0000aaaa-0000-0000-0000-000000000001");
    assert.equal(stored?.avatar, "https://ghost.example/content/images/ada.png");
    assert.deepEqual(stored?.tiers, ["free", "gold", "paid"]);

    members["ada.king@example.com"] = members["ada@example.com"]!;
    const renamed = await app.request("POST", "/api/session", {
      body: { token: ghostIdentityToken(key, origin, "ada.king@example.com") },
    });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.member.id, res.body.member.id);
    const after = await findMemberById(app.ctx.database.db, res.body.member.id);
    assert.equal(after?.email, "ada.king@example.com");
  });

  it("asks Ghost once a minute per member, not on every sign-in", async () => {
    adminCalls = 0;
    for (let i = 0; i < 3; i++) {
      const res = await app.request("POST", "/api/session", {
        body: { token: ghostIdentityToken(key, origin, "ada@example.com") },
      });
      assert.equal(res.status, 200);
    }
    assert.equal(adminCalls, 0);
  });

  it("refuses a member Ghost does not know", async () => {
    const res = await app.request("POST", "/api/session", {
      body: { token: ghostIdentityToken(key, origin, "ghost-of-a-member@example.com") },
    });
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "token_invalid");
  });
});
