import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AppContext } from "../../server/context.ts";
import { isDeliverable } from "../../server/federation/inbox.ts";

const app = (allowPrivate: boolean) =>
  ({ config: { federation: { allowPrivate } } }) as unknown as AppContext;

describe("inboxes Hearth delivers to", () => {
  it("refuses private, loopback and link-local inboxes", async () => {
    for (const inbox of [
      "http://127.0.0.1:8080/inbox",
      "https://10.1.2.3/inbox",
      "https://192.168.1.5/users/a/inbox",
      "https://169.254.169.254/latest",
      "https://[::1]/inbox",
    ]) {
      assert.equal(await isDeliverable(app(false), new URL(inbox)), false, inbox);
    }
    assert.equal(await isDeliverable(app(false), null), false);
  });

  it("accepts a public address, and private ones only with HEARTH_FEDERATION_ALLOW_PRIVATE", async () => {
    assert.equal(await isDeliverable(app(false), new URL("https://93.184.215.14/inbox")), true);
    assert.equal(await isDeliverable(app(true), new URL("http://127.0.0.1:8080/inbox")), true);
  });
});
