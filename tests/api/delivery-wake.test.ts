import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { startTestApp, type TestApp } from "../helpers/app.ts";

let app: TestApp;
const hooks: string[] = [];
let hookArrived: (() => void) | undefined;
const hookServer = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => {
    body += chunk;
  });
  req.on("end", () => {
    hooks.push(body);
    hookArrived?.();
    res.end("ok");
  });
});

before(async () => {
  await new Promise<void>((resolve) => hookServer.listen(0, "127.0.0.1", resolve));
  const port = (hookServer.address() as AddressInfo).port;
  app = await startTestApp({
    env: {
      HEARTH_WEBHOOK_URLS: `http://127.0.0.1:${port}/hook`,
      HEARTH_WEBHOOK_SECRET: "webhook-secret-0123456789abcdef",
      HEARTH_OUTBOUND_ALLOW_HOSTS: "127.0.0.1",
    },
    // The worker's own poll would come only after the test's time limit.
    hearth: { deliveryPollMs: 3_600_000 },
  });
});
after(async () => {
  await app.close();
  hookServer.closeAllConnections();
  await new Promise<void>((resolve) => hookServer.close(() => resolve()));
});

describe("delivery worker", () => {
  it("sends a webhook as soon as the event batch that queued it commits, without waiting for its poll", async () => {
    const anna = await app.signIn();
    const arrived = new Promise<void>((resolve) => {
      hookArrived = resolve;
    });
    const res = await app.request("POST", "/api/threads/wake-test/comments", {
      token: anna.token,
      body: { body: "Sent at once" },
    });
    assert.equal(res.status, 201);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      arrived,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("no webhook within 10 s")), 10_000);
      }),
    ]).finally(() => clearTimeout(timer));
    const body = JSON.parse(hooks.at(-1)!);
    assert.equal(body.type, "comment.created");
    assert.equal(body.data.comment.id, res.body.comment.id);
  });
});
