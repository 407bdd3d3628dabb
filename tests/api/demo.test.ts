/**
 * The demo signs member tokens, a moderator's among them: it is served only on the built-in
 * demo secret, or when HEARTH_DEMO=1 asks for it.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApp } from "../helpers/app.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";

let database: TestDatabase;
before(async () => {
  database = await createTestDatabase();
});
after(() => database.dispose());

describe("the demo", () => {
  it("is 404 on a server with a configured HEARTH_SSO_SECRET", async () => {
    const app = await startTestApp({ database });
    try {
      assert.equal(app.ctx.config.demo, false);
      for (const path of ["/demo/token/mod", "/demo/token/anna", "/demo", "/demo/moderation"]) {
        const res = await app.request("GET", path);
        assert.equal(res.status, 404, path);
        assert.equal(res.body?.token, undefined, path);
      }
      const signedIn = await app.signIn({ name: "Real Member" });
      assert.ok(signedIn.token);
    } finally {
      await app.close();
    }
  });

  it("signs the demo moderator's token with the configured secret when HEARTH_DEMO=1", async () => {
    const app = await startTestApp({ database, env: { HEARTH_DEMO: "1" } });
    try {
      assert.match(app.ctx.config.demoWarning ?? "", /HEARTH_DEMO=1/);
      const res = await app.request("GET", "/demo/token/mod");
      assert.equal(res.status, 200);
      const session = await app.request("POST", "/api/session", {
        body: { token: res.body.token },
      });
      assert.equal(session.status, 200);
      assert.ok(session.body.member.roles.includes("moderator"));
    } finally {
      await app.close();
    }
  });

  it("is served on the built-in demo secret, without a warning", async () => {
    const app = await startTestApp({ database, env: { HEARTH_SSO_SECRET: "" } });
    try {
      assert.equal(app.ctx.config.sso.demoSecret, true);
      assert.equal(app.ctx.config.demoWarning, undefined);
      const page = await app.request("GET", "/demo");
      assert.equal(page.status, 200);
      assert.match(page.headers.get("content-type") ?? "", /text\/html/);
      const token = await app.request("GET", "/demo/token/anna");
      assert.equal(token.status, 200);
      assert.equal(typeof token.body.token, "string");
    } finally {
      await app.close();
    }
  });
});
