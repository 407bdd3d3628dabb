/**
 * HEARTH_ADMINS: host member ids that are admins at every sign-in, with token roles not
 * trusted, so a site's first admin needs no role claim in its tokens.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { signHostToken } from "../helpers/tokens.ts";

const ADMIN_SUB = "site-user-1";
let app: TestApp;

before(async () => {
  app = await startTestApp({
    env: { HEARTH_ADMINS: `${ADMIN_SUB}, site-user-2`, HEARTH_SSO_TRUST_ROLES: "0" },
  });
});
after(() => app.close());

describe("HEARTH_ADMINS", () => {
  it("makes a listed member admin at their session exchange, with token roles not trusted", async () => {
    const res = await app.request("POST", "/api/session", {
      body: { token: await signHostToken({ sub: ADMIN_SUB, name: "Olive Owner" }) },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.member.roles, ["member", "admin"]);
    const roles = await app.request("GET", "/api/mod/roles", { token: res.body.session.token });
    assert.equal(roles.status, 200);
    assert.ok(Array.isArray(roles.body.grants));
  });

  it("lets a listed admin change thread settings and use the moderator routes", async () => {
    const owner = await app.signIn({ sub: ADMIN_SUB, name: "Olive Owner" });
    const put = await app.request("PUT", "/api/threads/admins%2Fsettings", {
      token: owner.token,
      body: { title: "Owner's thread", locked: true },
    });
    assert.equal(put.status, 200);
    assert.equal(put.body.thread.title, "Owner's thread");
    assert.equal(put.body.thread.locked, true);
    const queue = await app.request("GET", "/api/mod/queue", { token: owner.token });
    assert.equal(queue.status, 200);
  });

  it("gives others no admin, even when their token claims it", async () => {
    const claimer = await app.signIn({ sub: "site-user-99", roles: ["member", "admin"] });
    assert.deepEqual((claimer.member as unknown as { roles: string[] }).roles, ["member"]);
    const roles = await app.request("GET", "/api/mod/roles", { token: claimer.token });
    assert.equal(roles.status, 403);
    assert.equal(roles.body.error.code, "forbidden");
    const put = await app.request("PUT", "/api/threads/admins%2Fclaimed", {
      token: claimer.token,
      body: { locked: true },
    });
    assert.equal(put.status, 403);
    const thread = await app.request("GET", "/api/threads/admins%2Fclaimed");
    assert.equal(thread.status, 404);
  });

  it("shows a listed admin's role to moderators and shields them from moderators", async () => {
    const owner = await app.signIn({ sub: ADMIN_SUB, name: "Olive Owner" });
    const sub = "site-user-mod";
    const member = await app.signIn({ sub, name: "Milo Moderator" });
    const grant = await app.request("POST", `/api/mod/members/${member.member.id}/roles`, {
      token: owner.token,
      body: { role: "moderator" },
    });
    assert.equal(grant.status, 200);
    assert.deepEqual(grant.body.member.roles, ["member", "moderator"]);
    const mod = await app.signIn({ sub, name: "Milo Moderator" });
    const detail = await app.request("GET", `/api/mod/members/${owner.member.id}`, {
      token: mod.token,
    });
    assert.equal(detail.status, 200);
    assert.deepEqual(detail.body.member.roles, ["member", "admin"]);
    assert.deepEqual(detail.body.member.grantedRoles, []);
    const ban = await app.request("POST", `/api/mod/members/${owner.member.id}/ban`, {
      token: mod.token,
      body: {},
    });
    assert.equal(ban.status, 403);
    assert.equal(ban.body.error.code, "forbidden");
    const stored = await app.request("GET", `/api/mod/members/${owner.member.id}`, {
      token: mod.token,
    });
    assert.equal(stored.body.member.status, "active");
  });
});
