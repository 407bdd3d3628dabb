import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import * as jose from "jose";
import { createGenericJwtAdapter } from "../../plugins/identity/generic-jwt.ts";
import { createGhostAdapter } from "../../plugins/identity/ghost.ts";
import { createMemberstackAdapter } from "../../plugins/identity/memberstack.ts";
import { createOutsetaAdapter } from "../../plugins/identity/outseta.ts";
import { createOutboundFetch } from "../../server/net/outbound.ts";
import { identityAdapterConformance } from "../helpers/identity-conformance.ts";
import {
  createRsaKey,
  type KeyServer,
  nowSeconds,
  signRsaJwt,
  startKeyServer,
} from "../helpers/key-server.ts";

const outbound = createOutboundFetch({ httpsOnly: false, allowPrivateHosts: ["127.0.0.1"] });
const fetch = (url: string) => outbound(url);
const claims = (overrides: Record<string, unknown>) => ({
  iat: nowSeconds(),
  exp: nowSeconds() + 300,
  ...overrides,
});

describe("generic-jwt (HS256 with kid)", () => {
  const secret = "conformance-secret-0123456789abcdefghijkl";
  identityAdapterConformance({
    adapter: () =>
      createGenericJwtAdapter({
        secrets: [{ kid: "k1", secret }],
        issuer: "https://host.example",
        audience: "hearth",
      }),
    sign: (overrides = {}) =>
      new jose.SignJWT(
        claims({ sub: "42", iss: "https://host.example", aud: "hearth", ...overrides }),
      )
        .setProtectedHeader({ alg: "HS256", kid: "k1" })
        .sign(new TextEncoder().encode(secret)),
    signWithUnknownKey: () =>
      new jose.SignJWT(claims({ sub: "42", iss: "https://host.example", aud: "hearth" }))
        .setProtectedHeader({ alg: "HS256", kid: "k0" })
        .sign(new TextEncoder().encode(secret)),
    issuer: "https://host.example",
    expected: { issuer: "https://host.example", subject: "42" },
  });
});

describe("platform adapters", () => {
  const key = createRsaKey("k1");
  const stranger = createRsaKey("k-unknown");
  let ghost: KeyServer;
  let other: KeyServer;
  before(async () => {
    ghost = await startKeyServer("/members/.well-known/jwks.json", [key]);
    other = await startKeyServer("/jwks", [key]);
  });
  after(async () => {
    await ghost.close();
    await other.close();
  });

  describe("ghost", () => {
    const site = () => ghost.origin;
    const sign = (overrides: Record<string, unknown> = {}) =>
      signRsaJwt(
        key,
        claims({
          sub: "ada@example.com",
          iss: `${site()}/members/api`,
          aud: `${site()}/members/api`,
          ...overrides,
        }),
      );
    identityAdapterConformance({
      adapter: () => createGhostAdapter({ siteUrl: site(), fetch }),
      sign,
      signWithUnknownKey: () =>
        signRsaJwt(
          stranger,
          claims({
            sub: "ada@example.com",
            iss: `${site()}/members/api`,
            aud: `${site()}/members/api`,
          }),
        ),
      get issuer() {
        return `${site()}/members/api`;
      },
      get expected() {
        return { issuer: `${site()}/members/api`, subject: "email:ada@example.com" };
      },
    });
  });

  describe("memberstack", () => {
    const base = { id: "mem_1", type: "member", iss: "https://api.memberstack.com", aud: "app_1" };
    identityAdapterConformance({
      adapter: () =>
        createMemberstackAdapter({ appId: "app_1", jwksUrl: `${other.origin}/jwks`, fetch }),
      sign: (overrides = {}) => signRsaJwt(key, claims({ ...base, ...overrides }), "RS256"),
      signWithUnknownKey: () => signRsaJwt(stranger, claims(base), "RS256"),
      issuer: "https://api.memberstack.com",
      expected: { issuer: "https://api.memberstack.com", subject: "mem_1" },
    });
  });

  describe("outseta", () => {
    const base = { sub: "P1", name: "Pat", iss: "http://j.outseta.com", aud: "j.outseta.com" };
    identityAdapterConformance({
      adapter: () =>
        createOutsetaAdapter({ domain: "j.outseta.com", jwksUrl: `${other.origin}/jwks`, fetch }),
      sign: (overrides = {}) => signRsaJwt(key, claims({ ...base, ...overrides }), "RS256"),
      signWithUnknownKey: () => signRsaJwt(stranger, claims(base), "RS256"),
      issuer: "http://j.outseta.com",
      expected: { issuer: "https://j.outseta.com", subject: "P1" },
    });
  });
});

describe("memberstack with a secret key", () => {
  const key = createRsaKey("ms");
  let keys: KeyServer;
  let admin: Server;
  let adminOrigin: string;
  let adminCalls = 0;
  before(async () => {
    keys = await startKeyServer("/jwks", [key]);
    admin = createServer((req, res) => {
      adminCalls++;
      res.setHeader("content-type", "application/json");
      if (req.headers["x-api-key"] !== "sk_test_123") {
        res.statusCode = 401;
        res.end("{}");
        return;
      }
      if (req.url !== "/members/mem_ada") {
        res.statusCode = 404;
        res.end("{}");
        return;
      }
      res.end(
        JSON.stringify({
          data: {
            id: "mem_ada",
            auth: { email: "ada@example.com" },
            customFields: { "first-name": "Ada", "last-name": "Lovelace" },
            profileImage: "https://cdn.example/ada.png",
            planConnections: [
              { planId: "pln_gold", status: "ACTIVE" },
              { planId: "pln_old", status: "CANCELED" },
            ],
          },
        }),
      );
    });
    await new Promise<void>((resolve) => admin.listen(0, "127.0.0.1", resolve));
    adminOrigin = `http://127.0.0.1:${(admin.address() as AddressInfo).port}`;
  });
  after(async () => {
    await keys.close();
    admin.closeAllConnections();
    admin.close();
  });

  const token = (id: string) =>
    signRsaJwt(
      key,
      claims({ id, type: "member", iss: "https://api.memberstack.com", aud: "app_1" }),
      "RS256",
    );
  const adapter = (secretKey: string) =>
    createMemberstackAdapter({
      appId: "app_1",
      jwksUrl: `${keys.origin}/jwks`,
      secretKey,
      adminUrl: adminOrigin,
      fetch: (url, init) => outbound(url, init),
    });

  it("reads name, email, picture and active plans from the Admin API, once a minute", async () => {
    const ms = adapter("sk_test_123");
    adminCalls = 0;
    const result = await ms.verify(token("mem_ada"));
    assert.equal(result.ok, true);
    if (!result.ok) return;
    assert.equal(result.member.subject, "mem_ada");
    assert.equal(result.member.name, "Ada Lovelace");
    assert.equal(result.member.email, "ada@example.com");
    assert.equal(result.member.avatar, "https://cdn.example/ada.png");
    assert.deepEqual(result.member.tiers, ["pln_gold"]);
    await ms.verify(token("mem_ada"));
    assert.equal(adminCalls, 1);
  });

  it("refuses with jwks_unreachable when the Admin API refuses the key", async () => {
    const result = await adapter("sk_wrong").verify(token("mem_ada"));
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(result.reason, "jwks_unreachable");
      assert.match(result.message, /401/);
    }
  });
});
