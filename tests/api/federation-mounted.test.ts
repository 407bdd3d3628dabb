/**
 * The Express bridge to Fedify, with Hearth mounted under /community in a host's app:
 * WebFinger at the site's root (`hearth.wellKnown`) points to actors under the mount, the
 * actor and NodeInfo are served there, a browser asking for HTML falls through to the
 * host, and a request body reaches Fedify untouched.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { toFetchRequest } from "../../server/federation/express.ts";
import { type HostApp, startHostApp } from "../helpers/host-app.ts";

let host: HostApp;
let base: string;
let authority: string;

before(async () => {
  host = await startHostApp({
    env: { HEARTH_FEDERATION: "1", HEARTH_FEDERATION_ALLOW_PRIVATE: "1" },
    routes: (app, origin) => {
      app.post("/echo", async (req, res) => {
        const request = toFetchRequest(req, new URL(origin));
        res.json({ url: request.url, method: request.method, body: await request.text() });
      });
      app.use((_req, res) => {
        res.status(404).send("host 404");
      });
    },
  });
  base = host.base;
  authority = new URL(base).host;
});

after(() => host.close());

describe("federation under a mount path", () => {
  it("answers WebFinger at the site's root with the actor under the mount", async () => {
    const res = await fetch(
      `${base}/.well-known/webfinger?resource=${encodeURIComponent(`acct:community@${authority}`)}`,
    );
    assert.equal(res.status, 200);
    const body = (await res.json()) as { links: { rel: string; href?: string }[] };
    const self = body.links.find((link) => link.rel === "self");
    assert.equal(self?.href, `${base}/community/ap/actors/community`);
  });

  it("serves the Group actor and NodeInfo under the mount", async () => {
    const actor = await fetch(`${base}/community/ap/actors/community`, {
      headers: { accept: "application/activity+json" },
    });
    assert.equal(actor.status, 200);
    const group = (await actor.json()) as { id: string; type: string; inbox: string };
    assert.equal(group.type, "Group");
    assert.equal(group.id, `${base}/community/ap/actors/community`);
    assert.equal(group.inbox, `${base}/community/ap/actors/community/inbox`);
    const links = await fetch(`${base}/.well-known/nodeinfo`);
    assert.equal(links.status, 200);
    const href = ((await links.json()) as { links: { href: string }[] }).links[0]?.href;
    assert.equal(href, `${base}/community/nodeinfo/2.1`);
    assert.equal((await fetch(href!)).status, 200);
  });

  it("lets a browser asking for HTML fall through to the host", async () => {
    const res = await fetch(`${base}/community/ap/actors/community`, {
      headers: { accept: "text/html" },
    });
    assert.equal(res.status, 404);
    assert.equal(await res.text(), "host 404");
  });

  it("hands Fedify the path as the client sent it and the body untouched", async () => {
    const res = await fetch(`${base}/echo?x=1`, {
      method: "POST",
      headers: { "content-type": "application/activity+json" },
      body: '{"type":"Follow"}',
    });
    const echoed = (await res.json()) as { url: string; method: string; body: string };
    assert.deepEqual(echoed, {
      url: `${base}/echo?x=1`,
      method: "POST",
      body: '{"type":"Follow"}',
    });
  });
});
