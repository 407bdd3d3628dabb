/**
 * The behaviour every identity adapter shares, run against each adapter with real keys:
 * a valid token names a member, and expired, tampered, unsigned, foreign-issuer and
 * unknown-key tokens are refused with the reason the site owner needs.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import * as jose from "jose";
import type { IdentityAdapter } from "../../server/plugins/identity.ts";

export interface ConformanceSubject {
  adapter: () => IdentityAdapter;
  /** Signs a valid token for this adapter; overrides replace claims. */
  sign(overrides?: Record<string, unknown>): Promise<string> | string;
  /** Signs a valid-looking token with a key the adapter does not know, under a new kid. */
  signWithUnknownKey(): Promise<string> | string;
  /** The issuer claim this adapter expects. */
  issuer: string;
  /** The member key the default token should produce. */
  expected: { issuer: string; subject: string };
}

const now = () => Math.floor(Date.now() / 1000);

export function identityAdapterConformance(subject: ConformanceSubject): void {
  it("returns the member a valid token names, keyed by issuer and stable id", async () => {
    const result = await subject.adapter().verify(await subject.sign());
    assert.equal(result.ok, true, result.ok ? "" : result.message);
    if (!result.ok) return;
    assert.equal(result.member.issuer, subject.expected.issuer);
    assert.equal(result.member.subject, subject.expected.subject);
    assert.ok(result.member.roles.includes("member"));
    assert.ok(Array.isArray(result.member.tiers));
  });

  it("refuses an expired token with expired", async () => {
    const result = await subject
      .adapter()
      .verify(await subject.sign({ iat: now() - 7200, exp: now() - 3600 }));
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.reason, "expired");
  });

  it("refuses a token whose payload was changed with invalid", async () => {
    const token = await subject.sign();
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const forged = Buffer.from(
      JSON.stringify({ ...claims, sub: "someone-else", id: "mem_other" }),
    ).toString("base64url");
    const result = await subject.adapter().verify(`${header}.${forged}.${signature}`);
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.reason, "invalid");
  });

  it("refuses an unsigned token and garbage with invalid", async () => {
    const claims = jose.decodeJwt(await subject.sign());
    const unsigned = new jose.UnsecuredJWT(claims).encode();
    for (const token of [unsigned, "not-a-jwt", "a.b.c"]) {
      const result = await subject.adapter().verify(token);
      assert.equal(result.ok, false, token);
      if (!result.ok) assert.equal(result.reason, "invalid", token);
    }
  });

  it("refuses a token of another issuer with issuer_mismatch", async () => {
    const result = await subject
      .adapter()
      .verify(await subject.sign({ iss: "https://elsewhere.example" }));
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.reason, "issuer_mismatch");
  });

  it("refuses a token signed with a key it does not know with unknown_key", async () => {
    const result = await subject.adapter().verify(await subject.signWithUnknownKey());
    assert.equal(result.ok, false);
    if (!result.ok) assert.equal(result.reason, "unknown_key");
  });
}
