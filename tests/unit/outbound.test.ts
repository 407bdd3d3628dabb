import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { createOutboundFetch, isPrivateAddress, OutboundError } from "../../server/net/outbound.ts";

describe("isPrivateAddress", () => {
  it("flags loopback, private, link-local and mapped addresses", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.9",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "fd00::1",
      "fe80::1",
      "::ffff:127.0.0.1",
    ]) {
      assert.equal(isPrivateAddress(address), true, address);
    }
  });
  it("lets public addresses through", () => {
    for (const address of ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"]) {
      assert.equal(isPrivateAddress(address), false, address);
    }
  });
});

describe("createOutboundFetch", () => {
  let server: Server;
  let origin: string;
  let slowOrigin: string;
  let slow: Server;
  before(async () => {
    server = createServer((_req, res) => res.end('{"keys":[]}'));
    slow = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    slowOrigin = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
    slow.closeAllConnections();
    slow.close();
  });

  async function refusal(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof OutboundError);
      return error.reason;
    }
    assert.fail("the request was made");
  }

  it("refuses a private address that is not allowed", async () => {
    const fetch = createOutboundFetch({ httpsOnly: false, allowPrivateHosts: [] });
    assert.equal(await refusal(fetch(`${origin}/jwks.json`)), "private_address");
  });

  it("refuses a name that resolves to a private address", async () => {
    const fetch = createOutboundFetch({ httpsOnly: false, allowPrivateHosts: [] });
    const port = new URL(origin).port;
    assert.equal(await refusal(fetch(`http://localhost:${port}/jwks.json`)), "private_address");
  });

  it("reaches a private host the owner allowed by name", async () => {
    const fetch = createOutboundFetch({ httpsOnly: false, allowPrivateHosts: ["127.0.0.1"] });
    const res = await fetch(`${origin}/jwks.json`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { keys: [] });
  });

  it("refuses plain http in production, even for an allowed host", async () => {
    const fetch = createOutboundFetch({ httpsOnly: true, allowPrivateHosts: ["127.0.0.1"] });
    assert.equal(await refusal(fetch(`${origin}/jwks.json`)), "insecure_scheme");
  });

  it("gives up after the timeout", async () => {
    const fetch = createOutboundFetch({
      httpsOnly: false,
      allowPrivateHosts: ["127.0.0.1"],
      timeoutMs: 200,
    });
    const started = Date.now();
    assert.equal(await refusal(fetch(`${slowOrigin}/jwks.json`)), "timeout");
    assert.ok(Date.now() - started < 2000);
  });

  it("stops reading a response over the size limit", async () => {
    const fetch = createOutboundFetch({
      httpsOnly: false,
      allowPrivateHosts: ["127.0.0.1"],
      maxBytes: 4,
    });
    assert.equal(await refusal(fetch(`${origin}/jwks.json`)), "too_large");
  });
});
