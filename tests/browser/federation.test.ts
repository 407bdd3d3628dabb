/**
 * Federation in headless Chromium against the real server, with a second ActivityPub
 * server (tests/helpers/fediverse.ts) playing someone on the Fediverse: their approved
 * reply shows in <hearth-thread> with their handle and instance, the name linking to their
 * profile. A moderator lists, adds and removes instance and actor blocks in the Fediverse
 * tab of <hearth-moderation> with the keyboard alone, in English, German and French.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Create, Follow, Note, PUBLIC_COLLECTION } from "@fedify/vocab";
import { eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { comments } from "../../db/schema.ts";
import type { TestApp } from "../helpers/app.ts";
import {
  type RemoteServer,
  startFederatedTestApp,
  startRemoteServer,
} from "../helpers/fediverse.ts";
import { signHostToken } from "../helpers/tokens.ts";
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
const DESK = ["hearth-moderation"];

describe("federation in Chromium", { skip: skipWithoutChromium }, () => {
  let app: TestApp;
  let remote: RemoteServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    ensureBundle();
    app = await startFederatedTestApp({
      HEARTH_CACHE_MS: "0",
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

  it("lists, adds and removes instance and actor blocks in the desk's Fediverse tab, by keyboard", async () => {
    const token = await signHostToken({
      sub: "desk-moderator",
      name: "Morgan Moderator",
      roles: ["member", "moderator"],
    });
    await openHostPage(page, app.url, `<hearth-moderation token="${token}"></hearth-moderation>`, {
      path: "desk",
    });
    const desk = page.locator("hearth-moderation");
    const queueTab = desk.getByRole("tab", { name: /^Queue/ });
    await queueTab.waitFor();
    await queueTab.focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    const fediverse = desk.getByRole("tab", { name: "Fediverse" });
    assert.equal(await fediverse.getAttribute("aria-selected"), "true");
    assert.equal(await fediverse.evaluate((tab) => tab.matches(":focus")), true);
    const panel = desk.locator("hearth-federation-blocks");
    await panel.getByRole("heading", { name: "Instance and account blocks" }).waitFor();
    await panel.getByText("No instance or account is blocked.").waitFor();
    await assertAccessible(page, "no blocks", DESK);

    // Tab into the form: an instance, silenced, with a reason; Enter adds it.
    const target = panel.getByRole("textbox", { name: "Instance or account" });
    await page.keyboard.press("Tab");
    assert.equal(await target.evaluate((input) => input.matches(":focus")), true);
    await page.keyboard.type("spam.example");
    await page.keyboard.press("Tab"); // scope: the whole instance (checked)
    await page.keyboard.press("Tab"); // level: suspend (checked)
    await page.keyboard.press("ArrowRight"); // silence
    assert.equal(await panel.getByRole("radio", { name: /^Silence/ }).isChecked(), true);
    await page.keyboard.press("Tab");
    await page.keyboard.type("Floods of ads");
    await page.keyboard.press("Enter");
    const list = panel.getByRole("list", { name: "Blocks" });
    const spam = list.getByRole("listitem").filter({ hasText: "spam.example" });
    await spam.waitFor();
    await spam.getByText("Instance", { exact: true }).waitFor();
    await spam.getByText("Silenced", { exact: true }).waitFor();
    await spam.getByText("“Floods of ads”").waitFor();
    await panel.getByRole("status").getByText("Block on spam.example added.").waitFor();
    assert.equal(await target.evaluate((input) => input.matches(":focus")), true);
    assert.equal(await target.inputValue(), "");

    // One account, suspended (the default level).
    await page.keyboard.type("https://bad.example/users/troll");
    await page.keyboard.press("Tab");
    await page.keyboard.press("ArrowRight"); // only this account
    await page.keyboard.press("Enter");
    const troll = list.getByRole("listitem").filter({ hasText: "https://bad.example/users/troll" });
    await troll.waitFor();
    await troll.getByText("Account", { exact: true }).waitFor();
    await troll.getByText("Suspended", { exact: true }).waitFor();

    // Something that is neither a host nor an address is refused, and said so.
    await target.focus();
    await page.keyboard.type("not a host!");
    await page.keyboard.press("Enter");
    await panel
      .getByRole("alert")
      .getByText("Give a host name (mastodon.example) or an account’s address (https://…).")
      .waitFor();
    assert.equal(await target.getAttribute("aria-invalid"), "true");
    await assertAccessible(page, "two blocks and an error", DESK);
    await page.emulateMedia({ colorScheme: "dark" });
    await assertAccessible(page, "two blocks, dark", DESK);
    await page.emulateMedia({ colorScheme: "light" });

    const moderator = await app.signIn({
      sub: "desk-moderator",
      name: "Morgan Moderator",
      roles: ["member", "moderator"],
    });
    const stored = await app.request("GET", "/api/mod/federation/blocks", {
      token: moderator.token,
    });
    assert.deepEqual(
      stored.body.blocks.map((block: { kind: string; target: string; level: string }) => [
        block.kind,
        block.target,
        block.level,
      ]),
      [
        ["instance", "spam.example", "silence"],
        ["actor", "https://bad.example/users/troll", "suspend"],
      ],
    );
    assert.equal(stored.body.federation, true);

    // Removing moves the focus to the block that took its place.
    await panel.getByRole("button", { name: "Remove the block on spam.example" }).focus();
    await page.keyboard.press("Enter");
    await eventually(async () => assert.equal(await spam.count(), 0));
    await panel.getByRole("status").getByText("Block on spam.example removed.").waitFor();
    const removeTroll = panel.getByRole("button", {
      name: "Remove the block on https://bad.example/users/troll",
    });
    await eventually(async () =>
      assert.equal(await removeTroll.evaluate((button) => button.matches(":focus")), true),
    );
    const left = await app.request("GET", "/api/mod/federation/blocks", { token: moderator.token });
    assert.equal(left.body.blocks.length, 1);

    // German and French, like the rest of the desk.
    await page.evaluate(() => {
      document.documentElement.lang = "de";
    });
    await desk.getByRole("tab", { name: "Fediverse" }).waitFor();
    await panel.getByRole("heading", { name: "Sperren für Instanzen und Konten" }).waitFor();
    await panel
      .getByRole("button", { name: "Sperre für https://bad.example/users/troll aufheben" })
      .waitFor();
    await panel.getByText("Gesperrt", { exact: true }).waitFor();
    await page.evaluate(() => {
      document.documentElement.lang = "fr";
    });
    await desk.getByRole("tab", { name: "Fédivers" }).waitFor();
    await panel.getByRole("heading", { name: "Instances et comptes bloqués" }).waitFor();
    await panel.getByRole("textbox", { name: "Instance ou compte" }).waitFor();
    await assertAccessible(page, "blocks in French", DESK);
    assert.deepEqual(pageErrors, []);
  });
});
