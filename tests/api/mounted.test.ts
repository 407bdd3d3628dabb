/**
 * Hearth mounted in a host's own Express app under /community, with `getMember` reading
 * the host's session: every URL works under the mount, and the host's session signs a
 * member in from its own pages only.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type HostApp, startHostApp } from "../helpers/host-app.ts";

/** The host's "session": a cookie naming the user, as a host's session middleware would. */
const USERS: Record<string, { id: string; name: string; email: string; plans: string[] }> = {
  ada: { id: "u-ada", name: "Ada Host", email: "ada@host.example", plans: ["gold"] },
};

let host: HostApp;
let base: string;

before(async () => {
  host = await startHostApp({
    env: { HEARTH_DEMO: "1" },
    getMember: (req) => {
      const user = /(?:^|;\s*)user=([a-z]+)/.exec(req.headers.cookie ?? "")?.[1];
      const found = user ? USERS[user] : undefined;
      return found
        ? { sub: found.id, name: found.name, email: found.email, tiers: found.plans }
        : null;
    },
    routes: (app) => {
      app.get("/", (_req, res) => {
        res.send("host home");
      });
    },
  });
  base = host.base;
});

after(() => host.close());

const signIn = (headers: Record<string, string>, body: unknown = {}) =>
  fetch(`${base}/community/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

describe("Hearth mounted under /community with getMember", () => {
  it("signs in the member the host's session names, with their tiers", async () => {
    const res = await signIn({ cookie: "user=ada", "sec-fetch-site": "same-origin" });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { session: { token: string }; member: { name: string } };
    assert.equal(body.member.name, "Ada Host");
    const post = await fetch(`${base}/community/api/threads/host%2Fpost/comments`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${body.session.token}`,
      },
      body: JSON.stringify({ body: "Posted through the host's session" }),
    });
    assert.equal(post.status, 201);
    const page = await fetch(`${base}/community/api/threads/host%2Fpost/comments`);
    const comments = ((await page.json()) as { comments: { author: { name: string } }[] }).comments;
    assert.equal(comments.length, 1);
    assert.equal(comments[0]?.author.name, "Ada Host");
  });

  it("answers 401 when nobody is signed in to the host", async () => {
    const res = await signIn({ "sec-fetch-site": "same-origin" });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "unauthenticated");
  });

  it("refuses a cross-site request carrying the member's cookies", async () => {
    const bySite = await signIn({ cookie: "user=ada", "sec-fetch-site": "cross-site" });
    assert.equal(bySite.status, 403);
    assert.equal(((await bySite.json()) as { error: { code: string } }).error.code, "cross_site");
    const byOrigin = await signIn({ cookie: "user=ada", origin: "https://evil.example" });
    assert.equal(byOrigin.status, 403);
    const sameOrigin = await signIn({ cookie: "user=ada", origin: base });
    assert.equal(sameOrigin.status, 200);
  });

  it("still exchanges a member token sent in the body", async () => {
    const { signHostToken } = await import("../helpers/tokens.ts");
    const res = await signIn({}, { token: await signHostToken({ name: "Token Member" }) });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { member: { name: string } }).member.name, "Token Member");
  });

  it("serves the widgets, health and unknown API paths under the mount", async () => {
    const widgets = await fetch(`${base}/community/widgets/hearth.js`);
    assert.equal(widgets.status, 200);
    assert.match(widgets.headers.get("content-type") ?? "", /javascript/);
    const health = await fetch(`${base}/community/healthz`);
    assert.equal(health.status, 200);
    const unknown = await fetch(`${base}/community/api/nothing-here`);
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, "not_found");
    const host = await fetch(`${base}/`);
    assert.equal(await host.text(), "host home");
  });

  it("links the demo page's script and tokens under the mount", async () => {
    const res = await fetch(`${base}/community/demo`);
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /src="\/community\/widgets\/hearth\.js"/);
    assert.match(html, /token-url="\/community\/demo\/token\/anna"/);
    const token = await fetch(`${base}/community/demo/token/anna`);
    assert.equal(token.status, 200);
  });
});
