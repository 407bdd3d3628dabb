/**
 * Replies the server leaves off a page, permalinks to comments that are not on the loaded
 * pages, and a thread nobody has posted in yet, in headless Chromium against the real server.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startTestApp, type TestApp } from "../helpers/app.ts";
import {
  assertAccessible,
  ensureBundle,
  eventually,
  launchChromium,
  openHostPage,
  skipWithoutChromium,
} from "./support.ts";

describe("replies and permalinks beyond the page", { skip: skipWithoutChromium }, () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  let posts = 0;

  const comment = (text: string) =>
    page.locator("hearth-thread article.comment", { hasText: text });

  async function post(thread: string, body: string, parentId?: string): Promise<string> {
    const res = await app.request("POST", `/api/threads/${encodeURIComponent(thread)}/comments`, {
      token,
      body: { body, ...(parentId ? { parentId } : {}) },
      headers: { "idempotency-key": `replies-${++posts}` },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.comment.id;
  }

  before(async () => {
    ensureBundle();
    app = await startTestApp({
      env: {
        HEARTH_PAGE_REPLIES: "2",
        HEARTH_CACHE_MS: "0",
        HEARTH_REACTIONS: "like,laugh",
        HEARTH_POSTS_PER_MINUTE: "0",
        // Member tokens come from the demo's /demo/token (off with a configured secret).
        HEARTH_DEMO: "1",
      },
    });
    ({ token } = await app.signIn({ sub: "replier", name: "Rae Replier" }));
    browser = await launchChromium();
  });

  beforeEach(async () => {
    await context?.close();
    context = await browser.newContext({
      viewport: { width: 900, height: 800 },
      reducedMotion: "reduce",
    });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  });

  after(async () => {
    await context?.close();
    await browser?.close();
    await app?.close();
  });

  it("shows the replies left off the page on request, and moves focus to the first", async () => {
    const root = await post("replies/more", "A question with many answers");
    for (let n = 1; n <= 5; n++) await post("replies/more", `Answer number ${n}`, root);
    await openHostPage(page, app.url, `<hearth-thread thread="replies/more"></hearth-thread>`);
    await comment("Answer number 2").waitFor();
    assert.equal(await comment("Answer number 3").count(), 0);
    const more = page.getByRole("button", { name: "Show 3 more replies" });
    await assertAccessible(page, "offering more replies");
    await page.emulateMedia({ colorScheme: "dark" });
    await assertAccessible(page, "offering more replies in the dark theme");
    await page.emulateMedia({ colorScheme: "light" });

    await more.focus();
    await page.keyboard.press("Enter");
    await comment("Answer number 5").waitFor();
    await eventually(async () =>
      assert.equal(await comment("Answer number 3").evaluate((el) => el.matches(":focus")), true),
    );
    await page.getByRole("status").filter({ hasText: "3 more replies shown." }).waitFor();
    assert.equal(await more.count(), 0);
    assert.equal(await comment("Answer number 1").count(), 1);
    await assertAccessible(page, "showing all replies");
  });

  it("speaks the button's plural in German", async () => {
    const root = await post("replies/de", "Eine Frage");
    for (let n = 1; n <= 3; n++) await post("replies/de", `Antwort ${n}`, root);
    await openHostPage(page, app.url, `<hearth-thread thread="replies/de"></hearth-thread>`, {
      lang: "de",
    });
    await page.getByRole("button", { name: "1 weitere Antwort anzeigen" }).waitFor();
  });

  it("loads the replies of a permalinked reply that the page left off", async () => {
    const root = await post("replies/link", "Where is the linked reply?");
    const ids: string[] = [];
    for (let n = 1; n <= 4; n++) ids.push(await post("replies/link", `Linked reply ${n}`, root));
    await openHostPage(page, app.url, `<hearth-thread thread="replies/link"></hearth-thread>`, {
      hash: `#hearth-comment-${ids[3]}`,
    });
    const target = comment("Linked reply 4");
    await eventually(async () =>
      assert.match((await target.getAttribute("part")) ?? "", /comment--highlighted/),
    );
    assert.equal(await target.evaluate((el) => el.matches(":focus")), true);
    assert.equal(await page.getByRole("button", { name: /more repl/ }).count(), 0);
    assert.equal(await page.locator("hearth-thread section.linked").count(), 0);
  });

  it("shows a permalinked comment beyond the first pages in a linked-comment panel", async () => {
    const ids: string[] = [];
    for (let n = 1; n <= 13; n++) ids.push(await post("replies/far", `Far comment ${n}`));
    const reply = await post("replies/far", "A reply to the far comment", ids[12]);
    await openHostPage(
      page,
      app.url,
      `<hearth-thread thread="replies/far" page-size="1" token-url="/demo/token/ben"></hearth-thread>`,
      { hash: `#hearth-comment-${reply}` },
    );
    const panel = page.locator("hearth-thread section.linked");
    await panel.getByRole("heading", { name: "Linked comment" }).waitFor();
    await panel.locator("article", { hasText: "Far comment 13" }).waitFor();
    const target = panel.locator("article", { hasText: "A reply to the far comment" });
    await eventually(async () =>
      assert.match((await target.getAttribute("part")) ?? "", /comment--highlighted/),
    );
    // Ten further pages were tried first; the panel's comment is not in the list as well.
    assert.equal(await comment("Far comment 11").count(), 1);
    assert.equal(await comment("Far comment 13").count(), 1);
    await assertAccessible(page, "showing a linked comment");
    await page.emulateMedia({ colorScheme: "dark" });
    await assertAccessible(page, "showing a linked comment in the dark theme");
    await page.emulateMedia({ colorScheme: "light" });

    // The panel's comments work like any other.
    await target.getByRole("button", { name: "Reply" }).click();
    const box = page.getByRole("textbox", { name: "Reply to Rae Replier" });
    await box.fill("Answering in the panel");
    await box.press("Control+Enter");
    const answer = panel.locator("article", { hasText: "Answering in the panel" });
    await answer.waitFor();
    await eventually(async () => assert.equal(await answer.getAttribute("aria-busy"), "false"));
  });

  it("opens a thread nobody has posted in with the server's settings", async () => {
    await openHostPage(
      page,
      app.url,
      `<hearth-thread thread="replies/brand-new" token-url="/demo/token/anna"></hearth-thread>`,
    );
    await page.getByText("No comments yet. Start the conversation.").waitFor();
    const box = page.getByRole("textbox", { name: "Write a comment" });
    await box.fill("The very first word");
    await page.getByRole("button", { name: "Post comment" }).click();
    const first = comment("The very first word");
    await first.waitFor();
    await eventually(async () => assert.equal(await first.getAttribute("aria-busy"), "false"));
    // The server offers two reactions here, not the widget's four defaults.
    await eventually(async () => assert.equal(await first.locator("button.reaction").count(), 2));
  });
});
