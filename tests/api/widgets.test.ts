import assert from "node:assert/strict";
import { get, type IncomingHttpHeaders } from "node:http";
import { after, before, describe, it } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { startTestApp, type TestApp } from "../helpers/app.ts";

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.close());

/** The raw response, as sent: node:http decompresses nothing. */
function fetchRaw(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(`${app.url}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on("error", reject);
    }).on("error", reject);
  });
}

describe("widgets bundle", () => {
  it("is sent as built, brotli or gzip compressed when the browser accepts it, to any origin", async () => {
    const plain = await fetchRaw("/widgets/hearth.js");
    assert.equal(plain.status, 200);
    assert.match(String(plain.headers["content-type"]), /javascript/);
    assert.equal(plain.headers["content-encoding"], undefined);
    assert.equal(plain.headers["access-control-allow-origin"], "*");
    assert.ok(plain.body.length > 1000);

    const br = await fetchRaw("/widgets/hearth.js", { "accept-encoding": "gzip, deflate, br" });
    assert.equal(br.status, 200);
    assert.equal(br.headers["content-encoding"], "br");
    assert.match(String(br.headers.vary), /accept-encoding/i);
    assert.equal(br.headers["access-control-allow-origin"], "*");
    assert.ok(br.body.length < plain.body.length / 2);
    assert.deepEqual(brotliDecompressSync(br.body), plain.body);

    const gzip = await fetchRaw("/widgets/hearth.js", { "accept-encoding": "gzip" });
    assert.equal(gzip.headers["content-encoding"], "gzip");
    assert.deepEqual(gunzipSync(gzip.body), plain.body);
  });

  it("serves the chunks the bundle imports the same way", async () => {
    const entry = (await fetchRaw("/widgets/hearth.js")).body.toString("utf8");
    const chunks = [...entry.matchAll(/from\s*"\.\/([\w.-]+\.js)"/g)].map((m) => m[1]!);
    assert.ok(chunks.length > 0, "hearth.js imports its shared chunks");
    for (const chunk of chunks) {
      const plain = await fetchRaw(`/widgets/${chunk}`);
      const br = await fetchRaw(`/widgets/${chunk}`, { "accept-encoding": "br" });
      assert.equal(plain.status, 200);
      assert.equal(br.headers["content-encoding"], "br");
      assert.deepEqual(brotliDecompressSync(br.body), plain.body);
    }
  });
});
