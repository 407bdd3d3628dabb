/**
 * What the HTTP layer does on its own: security headers, a stalled body, oversized
 * headers, and a database that cannot be reached.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, it } from "node:test";
import { loadConfig } from "../../server/config.ts";
import { startHearth } from "../../server/hearth.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { createPostgresDatabase, testDriver } from "../helpers/database.ts";
import { TEST_SSO_SECRET } from "../helpers/tokens.ts";

let app: TestApp;

before(async () => {
  app = await startTestApp({ env: { HEARTH_BODY_TIMEOUT_MS: "400", HEARTH_DEMO: "1" } });
});
after(() => app.close());

/** Sends raw bytes and reads what comes back until the server closes the connection. */
function rawExchange(url: string, text: string, timeoutMs = 10_000): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(text));
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => {
      received += chunk;
    });
    socket.on("close", () => resolve(received));
    socket.on("error", reject);
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within ${timeoutMs} ms; got ${received.slice(0, 200)}`));
    }, timeoutMs).unref();
  });
}

describe("HTTP limits and headers", () => {
  it("sends X-Content-Type-Options: nosniff on API replies and errors", async () => {
    const ok = await fetch(`${app.url}/api/threads/x/comments`);
    assert.equal(ok.headers.get("x-content-type-options"), "nosniff");
    const missing = await fetch(`${app.url}/api/nothing`);
    assert.equal(missing.headers.get("x-content-type-options"), "nosniff");
  });

  it("gives the demo page a Content-Security-Policy with frame-ancestors and a script nonce", async () => {
    const res = await fetch(`${app.url}/demo`);
    const csp = res.headers.get("content-security-policy") ?? "";
    assert.match(csp, /frame-ancestors 'self'/);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce);
    assert.match(await res.text(), new RegExp(`nonce="${nonce.replace(/[+/=]/g, "\\$&")}"`));
  });

  it("gives the unsubscribe page a Content-Security-Policy that forbids framing", async () => {
    const res = await fetch(`${app.url}/notifications/unsubscribe?u=forged`);
    assert.equal(res.status, 400);
    assert.match(res.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
  });

  it("answers 408 to a client that sends headers and then stalls its body", async () => {
    const started = Date.now();
    const reply = await rawExchange(
      app.url,
      "POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
    );
    assert.match(reply, /^HTTP\/1\.1 408/);
    assert.match(reply, /"code":"request_timeout"/);
    assert.ok(Date.now() - started < 5_000);
  });

  it("answers headers over Node's limit with a JSON 431", async () => {
    const reply = await rawExchange(
      app.url,
      `GET /api/threads/x HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
    );
    assert.match(reply, /^HTTP\/1\.1 431/);
    assert.match(reply, /"code":"headers_too_large"/);
  });
});

describe("an unreachable database", {
  skip: testDriver !== "postgres" && "PostgreSQL only",
}, () => {
  it("fails a request within about 5 s with 503 unavailable and Retry-After", async () => {
    const database = await createPostgresDatabase();
    const target = new URL(database.url);
    // A proxy between Hearth and PostgreSQL that can be made to swallow connections.
    let silent = false;
    const sockets = new Set<net.Socket>();
    const proxy = net.createServer((client) => {
      sockets.add(client);
      client.on("close", () => sockets.delete(client));
      client.on("error", () => {});
      if (silent) return;
      const upstream = net.connect(Number(target.port || 5432), target.hostname);
      sockets.add(upstream);
      upstream.on("close", () => sockets.delete(upstream));
      upstream.on("error", () => client.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    const proxied = new URL(database.url);
    proxied.port = String((proxy.address() as net.AddressInfo).port);
    const hearth = await startHearth(
      loadConfig({
        PORT: "0",
        HOST: "127.0.0.1",
        DATABASE_URL: proxied.toString(),
        HEARTH_SSO_SECRET: TEST_SSO_SECRET,
        HEARTH_LOG_LEVEL: "silent",
      }),
    );
    try {
      assert.equal((await fetch(`${hearth.url}/api/threads/a/comments`)).status, 404);
      silent = true;
      for (const socket of sockets) socket.destroy();
      const started = Date.now();
      const res = await fetch(`${hearth.url}/api/threads/b/comments`);
      const elapsed = Date.now() - started;
      assert.equal(res.status, 503);
      assert.equal(res.headers.get("retry-after"), "5");
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, "unavailable");
      assert.ok(elapsed < 8_000, `took ${elapsed} ms`);
    } finally {
      silent = false;
      await hearth.close().catch(() => {});
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
      await database.drop();
    }
  });
});
