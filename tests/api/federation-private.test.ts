import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Follow } from "@fedify/vocab";
import { federationFollowers } from "../../db/schema.ts";
import type { TestApp } from "../helpers/app.ts";
import {
  type RemoteServer,
  startFederatedTestApp,
  startRemoteServer,
} from "../helpers/fediverse.ts";

let app: TestApp;
let remote: RemoteServer;

before(async () => {
  app = await startFederatedTestApp({
    HEARTH_FEDERATION_ALLOW_PRIVATE: "0",
  });
  remote = await startRemoteServer(["carol"]);
});
after(async () => {
  await remote?.close();
  await app?.close();
});

describe("remote fetches without HEARTH_FEDERATION_ALLOW_PRIVATE", () => {
  it("refuses to fetch a loopback actor's key, so its activity is refused and nothing is stored", async () => {
    const groupIri = `${app.url}/ap/actors/community`;
    await assert.rejects(
      remote.send(
        "carol",
        groupIri,
        new Follow({
          id: new URL(`${remote.url}/follows/carol`),
          actor: remote.actorUri("carol"),
          object: new URL(groupIri),
        }),
      ),
      /401/,
    );
    const rows = await app.ctx.database.db.select().from(federationFollowers);
    assert.equal(rows.length, 0);
  });
});
