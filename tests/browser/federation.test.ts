/**
 * Federation in headless Chromium against the real server, with a second ActivityPub
 * server (tests/helpers/fediverse.ts) playing someone on the Fediverse: their approved
 * reply shows in <hearth-thread> with their handle and instance, the name linking to their
 * profile.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Create, Follow, Note, PUBLIC_COLLECTION } from "@fedify/vocab";
import { eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { comments } from "../../db/schema.ts";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import { freePort, type RemoteServer, startRemoteServer } from "../helpers/fediverse.ts";
import {
  assertAccessible,
  ensureBundle,
  eventually,
  launchChromium,
  openHostPage,
  skipWithoutChromium,
} from "./support.ts";

const API_KEY = "test-api-key-0123456789abcdef";
const THREAD = "federated-article";

describe("federation in Chromium", { skip: skipWithoutChromium }, () => {
  let app: TestApp;
  let remote: RemoteServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    ensureBundle();
    const port = await freePort();
    app = await startTestApp({
      env: {
        PORT: String(port),
        HEARTH_PUBLIC_URL: `http://127.0.0.1:${port}`,
        HEARTH_FEDERATION: "1",
        HEARTH_FEDERATION_ALLOW_PRIVATE: "1",
        HEARTH_CACHE_MS: "0",
      },
      hearth: { federationPollMs: 50 },
    });
    remote = await startRemoteServer(["alice"]);
    browser = await launchChromium();
    page = await browser.newPage({
      viewport: { width: 1000, height: 800 },
      reducedMotion: "reduce",
    });
    page.setDefaultTimeout(10_000);
    page.on("pageerror", (error) => pageErrors.push(error.message));
  });

  after(async () => {
    await browser?.close();
    await remote?.close();
    await app?.close();
  });

  it("shows an approved reply from the Fediverse with handle and instance, the name linking to the profile", async () => {
    const groupIri = `${app.url}/ap/actors/community`;
    await remote.send(
      "alice",
      groupIri,
      new Follow({
        id: new URL(`${remote.url}/follows/alice`),
        actor: remote.actorUri("alice"),
        object: new URL(groupIri),
      }),
    );
    await remote.waitFor((item) => item.type === "Accept");
    const put = await app.request("PUT", `/api/threads/${THREAD}`, {
      token: API_KEY,
      body: { title: "An article", url: "https://site.example/article", federate: true },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const member = await app.signIn({ name: "Nora Member" });
    const posted = await app.request("POST", `/api/threads/${THREAD}/comments`, {
      token: member.token,
      body: { body: "What did everyone think?" },
    });
    assert.equal(posted.status, 201);
    const create = await remote.waitFor(
      (item) => item.type === "Create" && (item.json.object as { type?: string }).type === "Note",
    );
    const noteId = String((create.json.object as { id: string }).id);

    const replyId = `${remote.url}/notes/browser-reply`;
    await remote.send(
      "alice",
      groupIri,
      new Create({
        id: new URL(`${replyId}/activity`),
        actor: remote.actorUri("alice"),
        to: PUBLIC_COLLECTION,
        object: new Note({
          id: new URL(replyId),
          attribution: remote.actorUri("alice"),
          content: "<p>Loved it, from over here.</p>",
          replyTarget: new URL(noteId),
          to: PUBLIC_COLLECTION,
        }),
      }),
    );
    let stored: { id: number } | undefined;
    await eventually(async () => {
      [stored] = await app.ctx.database.db
        .select({ id: comments.id })
        .from(comments)
        .where(eq(comments.parentId, Number(posted.body.comment.id)));
      assert.ok(stored);
    }, 20_000);
    const moderator = await app.signIn({ name: "Mia Moderator", roles: ["member", "moderator"] });
    const approved = await app.request("POST", `/api/mod/comments/${stored!.id}/approve`, {
      token: moderator.token,
      body: {},
    });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));

    await openHostPage(page, app.url, `<hearth-thread thread="${THREAD}"></hearth-thread>`);
    const reply = page.locator("hearth-thread article.comment", {
      hasText: "Loved it, from over here.",
    });
    await reply.waitFor();
    await reply.getByText(`@alice@${remote.host}`).waitFor();
    const profile = reply.getByRole("link", { name: "Alice Remote" });
    assert.equal(await profile.getAttribute("href"), `${remote.url}/@alice`);
    assert.match((await profile.getAttribute("rel")) ?? "", /\bnofollow\b/);
    // The member's own comment keeps a plain name.
    const own = page.locator("hearth-thread article.comment", {
      hasText: "What did everyone think?",
    });
    assert.equal(await own.getByRole("link", { name: "Nora Member" }).count(), 0);
    await own.getByText("Nora Member").first().waitFor();
    await assertAccessible(page, "a thread with a reply from the Fediverse", ["hearth-thread"]);
    assert.deepEqual(pageErrors, []);
  });
});
