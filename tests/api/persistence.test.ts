import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadConfig } from "../../server/config.ts";
import { startHearth } from "../../server/hearth.ts";
import { createPostgresDatabase, testDriver } from "../helpers/database.ts";
import { signHostToken, TEST_SSO_SECRET } from "../helpers/tokens.ts";

async function postAndRestart(env: Record<string, string>) {
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    HEARTH_SSO_SECRET: TEST_SSO_SECRET,
    HEARTH_LOG_LEVEL: "silent",
    ...env,
  });
  const first = await startHearth(config);
  const session = await fetch(`${first.url}/api/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token: await signHostToken({ sub: "restart-1" }) }),
  }).then((r) => r.json());
  const posted = await fetch(`${first.url}/api/threads/restart/comments`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${session.session.token}`,
    },
    body: JSON.stringify({ body: "still here after a restart" }),
  });
  assert.equal(posted.status, 201);
  await first.close();

  const second = await startHearth(config);
  try {
    const list = await fetch(`${second.url}/api/threads/restart/comments`).then((r) => r.json());
    assert.equal(list.comments[0].html, "<p>still here after a restart</p>");
    // The session key survives the restart, so the session is still valid.
    const again = await fetch(`${second.url}/api/threads/restart/comments`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${session.session.token}`,
      },
      body: JSON.stringify({ body: "and the session too" }),
    });
    assert.equal(again.status, 201);
  } finally {
    await second.close();
  }
}

describe("persistence across a restart", () => {
  if (testDriver === "pglite") {
    it("keeps comments and sessions in the embedded database folder", async () => {
      const dir = mkdtempSync(join(tmpdir(), "hearth-data-"));
      try {
        await postAndRestart({ HEARTH_DATA_DIR: dir });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  } else {
    it("keeps comments and sessions in PostgreSQL given by DATABASE_URL", async () => {
      const { url, drop } = await createPostgresDatabase();
      try {
        await postAndRestart({ DATABASE_URL: url });
      } finally {
        await drop();
      }
    });
  }
});
